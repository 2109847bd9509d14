package dev.idem.jdbc;

import dev.idem.BackendException;
import dev.idem.ClaimOutcome;
import dev.idem.Execution;
import dev.idem.FingerprintMismatchException;
import dev.idem.Idem;
import dev.idem.InFlightException;
import dev.idem.Lease;
import dev.idem.LeaseLostException;
import dev.idem.Source;
import dev.idem.codec.ResultType;
import dev.idem.spi.CompleteRequest;
import dev.idem.spi.CompleteResult;
import dev.idem.spi.IdempotencyRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;

/**
 * Runs an action whose writes go to the same database as the idempotency records, in one
 * transaction with the record's completion, so that the action's writes and the COMPLETED record
 * commit together or not at all.
 *
 * <p>The cycle: claim the key through {@link Idem#claim}; on a new claim, take a connection from
 * the store's data source, turn auto-commit off, run the action with that connection, write the
 * completion on the same connection with {@link JdbcIdempotencyStore#complete(Connection, CompleteRequest)},
 * then commit. A duplicate gets the stored result without running the action.
 *
 * <p>This gives exactly-once effects only when every effect of the action is a write through the
 * given connection: the database then contains either the action's writes and the completed record,
 * or neither. An email sent, an HTTP call made or a write to another database from inside the
 * action is not rolled back and can repeat.
 *
 * <p>Failures:
 * <ul>
 *   <li>the action throws: the transaction rolls back, the claim is released so that a retry runs
 *       the action again, and the exception propagates;</li>
 *   <li>the completion is rejected because the lease was lost: the transaction rolls back, so the
 *       action's writes do not commit next to another holder's record, and
 *       {@link LeaseLostException} is thrown;</li>
 *   <li>the commit fails: the claim is released and a {@link BackendException} is thrown. Whether
 *       the commit took effect is unknown, but the writes and the record share its fate, and a
 *       retry's claim finds out which happened.</li>
 * </ul>
 * A key that another caller holds raises {@link InFlightException}; the in-flight policy of
 * {@link Idem#execute} does not apply here.
 */
public final class TransactionalIdempotency {

    private static final Logger log = LoggerFactory.getLogger(TransactionalIdempotency.class);

    private final Idem idem;
    private final JdbcIdempotencyStore store;

    private TransactionalIdempotency(Idem idem, JdbcIdempotencyStore store) {
        this.idem = idem;
        this.store = store;
    }

    /**
     * Wraps an {@link Idem} whose store is a {@link JdbcIdempotencyStore}.
     *
     * @throws IllegalArgumentException when {@code idem} uses another store
     */
    public static TransactionalIdempotency of(Idem idem) {
        Objects.requireNonNull(idem, "idem");
        if (!(idem.store() instanceof JdbcIdempotencyStore store)) {
            throw new IllegalArgumentException("TransactionalIdempotency needs an Idem built on a JdbcIdempotencyStore,"
                    + " got " + idem.store().getClass().getName());
        }
        return new TransactionalIdempotency(idem, store);
    }

    /** An action that writes through the connection it is given and must not commit or roll back itself. */
    @FunctionalInterface
    public interface TransactionalAction<T, E extends Exception> {

        /** Runs the action inside the open transaction of {@code connection}. */
        T run(Connection connection) throws E;
    }

    /** Like {@link #execute(String, Object, ResultType, TransactionalAction)} for a non-generic result type. */
    public <T, E extends Exception> Execution<T> execute(String key, Object payload, Class<T> type,
                                                         TransactionalAction<T, E> action) throws E {
        return execute(key, payload, ResultType.of(type), action);
    }

    /**
     * Runs {@code action} once per key, in one transaction with the record's completion.
     *
     * @param payload the request payload to fingerprint, or {@code null} to skip the payload check
     * @throws InFlightException            when another caller holds the key
     * @throws FingerprintMismatchException when the key was first used with another payload
     * @throws LeaseLostException           when the lease expired before the completion; nothing committed
     * @throws BackendException             when the database failed
     * @throws E                            what the action throws, after the rollback
     */
    public <T, E extends Exception> Execution<T> execute(String key, Object payload, ResultType<T> type,
                                                         TransactionalAction<T, E> action) throws E {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(action, "action");

        ClaimOutcome outcome = idem.claim(key, payload);
        if (outcome instanceof ClaimOutcome.Replay replay) {
            return new Execution<>(replay.value(type), Source.REPLAYED, replay.key(), replay.fencingToken());
        }
        if (outcome instanceof ClaimOutcome.InFlight inFlight) {
            throw new InFlightException(inFlight.key(), inFlight.retryAfter(), inFlight.fencingToken());
        }

        Lease lease = ((ClaimOutcome.Acquired) outcome).lease();
        T value = runInTransaction(lease, type, action);
        return new Execution<>(value, Source.EXECUTED, lease.key(), lease.fencingToken());
    }

    private <T, E extends Exception> T runInTransaction(Lease lease, ResultType<T> type,
                                                        TransactionalAction<T, E> action) throws E {
        Connection connection;
        try {
            connection = store.dataSource().getConnection();
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            releaseAfterFailure(lease, e);
            throw backendFailure(lease, "begin", e);
        }

        try {
            T value;
            try {
                value = action.run(connection);
            } catch (Exception | Error e) {
                rollback(connection, lease, e);
                releaseAfterFailure(lease, e);
                throw e;
            }

            CompleteResult completion;
            try {
                CompleteRequest request = idem.completionRequest(lease, value, type);
                completion = store.complete(connection, request);
            } catch (RuntimeException e) {
                rollback(connection, lease, e);
                releaseAfterFailure(lease, e);
                throw e;
            }

            if (completion instanceof CompleteResult.Rejected rejected) {
                // The lease was lost while the action ran; committing would store the action's
                // writes although another holder may run it too.
                LeaseLostException lost = new LeaseLostException(lease.key(), "complete", lease.fencingToken(),
                        describe(rejected.current()));
                rollback(connection, lease, lost);
                log.warn("[{}] completion of key {} rejected, rolled back the action's writes: fencing token {} lost"
                        + " its lease", store.table(), lease.key(), lease.fencingToken());
                throw lost;
            }

            try {
                connection.commit();
            } catch (SQLException e) {
                rollback(connection, lease, e);
                releaseAfterFailure(lease, e);
                throw backendFailure(lease, "commit", e);
            }
            return value;
        } finally {
            closeQuietly(connection, lease);
        }
    }

    private void rollback(Connection connection, Lease lease, Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // The transaction still ends without a commit when the connection closes.
            cause.addSuppressed(e);
            log.warn("[{}] rollback for key {} failed: {}", store.table(), lease.key(), e.toString());
        }
    }

    private void releaseAfterFailure(Lease lease, Throwable cause) {
        try {
            idem.release(lease);
        } catch (BackendException e) {
            // The claim then ends with its lease, and the original failure is what the caller needs.
            cause.addSuppressed(e);
            log.warn("[{}] release of key {} after a failure failed; the claim ends with its lease: {}",
                    store.table(), lease.key(), e.toString());
        }
    }

    private void closeQuietly(Connection connection, Lease lease) {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            log.debug("[{}] restoring auto-commit for key {} failed: {}", store.table(), lease.key(), e.toString());
        }
        try {
            connection.close();
        } catch (SQLException e) {
            log.warn("[{}] closing the connection for key {} failed: {}", store.table(), lease.key(), e.toString());
        }
    }

    private BackendException backendFailure(Lease lease, String step, SQLException e) {
        return new BackendException(store.dialect().backendName(), step, lease.key(), "SQL state " + e.getSQLState()
                + ": " + e.getMessage(), e);
    }

    private static String describe(IdempotencyRecord record) {
        return record == null ? "no live record" : record.status() + " under fencing token " + record.fencingToken();
    }
}
