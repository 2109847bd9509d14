package dev.idem.jdbc;

import dev.idem.BackendException;
import dev.idem.spi.ClaimRequest;
import dev.idem.spi.ClaimResult;
import dev.idem.spi.CompleteRequest;
import dev.idem.spi.CompleteResult;
import dev.idem.spi.ExtendResult;
import dev.idem.spi.IdempotencyRecord;
import dev.idem.spi.RecordStatus;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * MySQL and H2: a claim reads the rows and the server's time in one statement, then writes only
 * the keys it can acquire, each write conditional on what it read. MariaDB claims in one
 * statement instead ({@link MariaDbOperations}), and uses this class for batches of completions
 * and for purging.
 *
 * <p>These two databases cannot claim in one statement and still tell whether the claim
 * acquired the key. MySQL has no RETURNING clause. H2's {@code FINAL TABLE} returns only rows
 * that changed, and its {@code MERGE} raises a duplicate key error instead of waiting when a
 * concurrent insert wins. So the claim is optimistic instead, without a transaction:
 * <ol>
 *   <li>one SELECT reads the rows of all requested keys and the server's time;</li>
 *   <li>a live record that the request may not take over is the answer, with no write;</li>
 *   <li>an absent key is inserted in one multi-row INSERT, and a duplicate key error means a
 *       concurrent claim won, so the claim is sent again;</li>
 *   <li>an expired or taken-over row is updated only while its fencing token is still the one
 *       read, so an update count of zero also means another writer won and the claim is sent
 *       again.</li>
 * </ol>
 * A duplicate of a live record costs one round trip and a first claim two. No locks are held
 * between the round trips, so there are no gap-lock deadlocks under REPEATABLE READ.
 *
 * <p>The server's time is read once by the first statement and bound into the writes, so that
 * the lease and the result's {@code now} agree exactly; the row's liveness is checked again
 * with the time at the write.
 *
 * <p>A completion or extension is one token-checked UPDATE followed by a read of the row,
 * because UPDATE returns no rows on these databases.
 */
final class ReadThenWriteOperations extends SqlOperations {

    /** The server time in epoch milliseconds on MySQL and MariaDB, constant within a statement. */
    static final String MARIADB_NOW = "(TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', UTC_TIMESTAMP(6)) DIV 1000)";

    // NOTE: H2 keeps CURRENT_TIMESTAMP constant for a whole transaction, so a completion inside a
    // caller's transaction uses the time that transaction started.
    private static final String H2_NOW = "DATEDIFF(MILLISECOND, TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00',"
            + " CURRENT_TIMESTAMP)";

    private static final String SET_CLAIM = " SET status = 'IN_PROGRESS', fencing_token = fencing_token + 1,"
            + " lease_expires_at = ?, expires_at = ?, fingerprint = ?, result = NULL, created_at = ?,"
            + " completed_at = 0, owner = ?";

    private final String now;
    private final String takeExpiredSql;
    private final String takeOverSql;
    private final String completeSql;
    private final String extendSql;
    private final String purgeSql;

    ReadThenWriteOperations(TableName table, JdbcDialect dialect, int queryTimeoutSeconds) {
        super(table, dialect, queryTimeoutSeconds);
        this.now = dialect == JdbcDialect.H2 ? H2_NOW : MARIADB_NOW;
        // MySQL and MariaDB name the 64-bit integer type SIGNED in CAST, H2 names it BIGINT.
        String bigint = dialect == JdbcDialect.H2 ? "BIGINT" : "SIGNED";

        this.takeExpiredSql = "UPDATE " + table + SET_CLAIM
                + " WHERE idempotency_key = ? AND fencing_token = ? AND expires_at <= ?";
        this.takeOverSql = "UPDATE " + table + SET_CLAIM
                + " WHERE idempotency_key = ? AND fencing_token = ? AND status = 'IN_PROGRESS'"
                + " AND lease_expires_at <= ? AND expires_at > " + now;
        // MySQL and MariaDB evaluate SET assignments left to right, so no assignment below reads
        // a column that an earlier one changed.
        this.completeSql = "UPDATE " + table + " SET status = 'COMPLETED', result = ?, lease_expires_at = 0,"
                + " completed_at = " + now + ", expires_at = " + now + " + CAST(? AS " + bigint + ")"
                + " WHERE idempotency_key = ? AND status = 'IN_PROGRESS' AND fencing_token = ? AND expires_at > " + now;
        this.extendSql = "UPDATE " + table + " SET expires_at = GREATEST(expires_at, " + now + " + CAST(? AS " + bigint + ")),"
                + " lease_expires_at = " + now + " + CAST(? AS " + bigint + ")"
                + " WHERE idempotency_key = ? AND status = 'IN_PROGRESS' AND fencing_token = ? AND expires_at > " + now;
        this.purgeSql = dialect == JdbcDialect.H2
                ? "DELETE FROM " + table + " WHERE expires_at <= " + now + " FETCH FIRST ? ROWS ONLY"
                : "DELETE FROM " + table + " WHERE expires_at <= " + now + " ORDER BY expires_at LIMIT ?";
    }

    @Override
    String now() {
        return now;
    }

    @Override
    int maxRowsPerStatement() {
        // An INSERT binds six parameters per row; 1,000 rows stay well under the 65,535 that
        // MySQL and MariaDB accept in one statement.
        return 1_000;
    }

    @Override
    ClaimResult[] claimDistinct(Connection connection, List<ClaimRequest> requests) throws SQLException {
        Snapshot snapshot = read(connection, keysOf(requests, ClaimRequest::key), "claim");
        long readAt = snapshot.now();

        ClaimResult[] results = new ClaimResult[requests.size()];
        List<Integer> inserts = new ArrayList<>();
        List<Integer> expiredUpdates = new ArrayList<>();
        List<Integer> takeovers = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            ClaimRequest request = requests.get(i);
            IdempotencyRecord current = snapshot.records().get(request.key());
            if (current == null) {
                inserts.add(i);
            } else if (current.isExpiredAt(readAt)) {
                expiredUpdates.add(i);
            } else if (RecordRows.takeoverAllowed(current, request, readAt)) {
                takeovers.add(i);
            } else {
                results[i] = RecordRows.existing(current, readAt);
            }
        }

        insertClaims(connection, requests, inserts, readAt, results);
        updateClaims(connection, takeExpiredSql, requests, expiredUpdates, snapshot, false, results);
        updateClaims(connection, takeOverSql, requests, takeovers, snapshot, true, results);
        return results;
    }

    private void insertClaims(Connection connection, List<ClaimRequest> requests, List<Integer> indexes, long now,
                              ClaimResult[] results) throws SQLException {
        if (indexes.isEmpty()) {
            return;
        }

        // Rows go in key order so that concurrent multi-row inserts lock keys in the same order.
        List<Integer> sorted = new ArrayList<>(indexes);
        sorted.sort(Comparator.comparing(index -> requests.get(index).key()));
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(table)
                .append(" (idempotency_key, status, fencing_token, lease_expires_at, expires_at, fingerprint, result,"
                        + " created_at, completed_at, owner) VALUES ");
        sql.append(String.join(", ", Collections.nCopies(sorted.size(), "(?, 'IN_PROGRESS', 1, ?, ?, ?, NULL, ?, 0, ?)")));

        try (PreparedStatement statement = prepare(connection, sql.toString())) {
            int parameter = 1;
            for (int index : sorted) {
                ClaimRequest request = requests.get(index);
                statement.setString(parameter++, request.key());
                statement.setLong(parameter++, now + request.leaseMillis());
                statement.setLong(parameter++, request.expiresAt(now));
                statement.setString(parameter++, request.fingerprint());
                statement.setLong(parameter++, now);
                statement.setString(parameter++, request.owner());
            }
            statement.executeUpdate();
        } catch (SQLException e) {
            if (isDuplicateKey(e)) {
                // A concurrent claim inserted one of the keys first. The statement inserted
                // nothing, so these claims are sent again and will read that row.
                return;
            }
            throw e;
        }

        for (int index : sorted) {
            ClaimRequest request = requests.get(index);
            results[index] = new ClaimResult.Acquired(1, now + request.leaseMillis(), now, false);
        }
    }

    private void updateClaims(Connection connection, String sql, List<ClaimRequest> requests, List<Integer> indexes,
                              Snapshot snapshot, boolean takeover, ClaimResult[] results) throws SQLException {
        if (indexes.isEmpty()) {
            return;
        }

        long now = snapshot.now();
        int[] counts;
        try (PreparedStatement statement = prepare(connection, sql)) {
            for (int index : indexes) {
                ClaimRequest request = requests.get(index);
                IdempotencyRecord current = snapshot.records().get(request.key());
                statement.setLong(1, now + request.leaseMillis());
                statement.setLong(2, request.expiresAt(now));
                // A takeover without a fingerprint keeps the stored one, so later mismatches are still caught.
                boolean keepFingerprint = takeover && request.fingerprint() == null;
                statement.setString(3, keepFingerprint ? current.fingerprint() : request.fingerprint());
                statement.setLong(4, now);
                statement.setString(5, request.owner());
                statement.setString(6, request.key());
                statement.setLong(7, current.fencingToken());
                statement.setLong(8, now);
                statement.addBatch();
            }
            counts = statement.executeBatch();
        }

        for (int i = 0; i < indexes.size(); i++) {
            int index = indexes.get(i);
            ClaimRequest request = requests.get(index);
            int count = requireCount(counts[i], request.key(), "claim");
            if (count > 0) {
                long token = snapshot.records().get(request.key()).fencingToken() + 1;
                results[index] = new ClaimResult.Acquired(token, now + request.leaseMillis(), now, takeover);
            }
            // An update count of zero leaves the result null: another writer changed the row after
            // the read, so the claim is sent again.
        }
    }

    @Override
    CompleteResult[] completeDistinct(Connection connection, List<CompleteRequest> requests) throws SQLException {
        int[] counts;
        try (PreparedStatement statement = prepare(connection, completeSql)) {
            for (CompleteRequest request : requests) {
                statement.setBytes(1, request.result());
                statement.setLong(2, request.retentionMillis());
                statement.setString(3, request.key());
                statement.setLong(4, request.fencingToken());
                statement.addBatch();
            }
            counts = statement.executeBatch();
        }
        return completeResults(connection, requests, counts);
    }

    /**
     * Reads the rows after token-checked completion UPDATEs and returns one result per request,
     * given the UPDATEs' update counts in request order.
     */
    CompleteResult[] completeResults(Connection connection, List<CompleteRequest> requests, int[] counts)
            throws SQLException {
        Snapshot snapshot = read(connection, keysOf(requests, CompleteRequest::key), "complete");
        CompleteResult[] results = new CompleteResult[requests.size()];
        for (int i = 0; i < requests.size(); i++) {
            CompleteRequest request = requests.get(i);
            IdempotencyRecord current = snapshot.records().get(request.key());
            if (requireCount(counts[i], request.key(), "complete") == 0) {
                results[i] = new CompleteResult.Rejected(RecordRows.live(current, snapshot.now()));
            } else if (current != null && current.status() == RecordStatus.COMPLETED
                    && current.fencingToken() == request.fencingToken()) {
                results[i] = new CompleteResult.Stored(current.expiresAt(), current.completedAt());
            } else {
                // NOTE: the completed record expired and was claimed again before the read, which
                // needs a retention shorter than one round trip. Its times are lost, so the read's
                // time stands in for both.
                results[i] = new CompleteResult.Stored(snapshot.now(), snapshot.now());
            }
        }
        return results;
    }

    @Override
    ExtendResult extend(Connection connection, String key, long fencingToken, long leaseMillis) throws SQLException {
        int count;
        try (PreparedStatement statement = prepare(connection, extendSql)) {
            statement.setLong(1, leaseMillis);
            statement.setLong(2, leaseMillis);
            statement.setString(3, key);
            statement.setLong(4, fencingToken);
            count = requireCount(statement.executeUpdate(), key, "extend");
        }
        return extendResult(connection, key, fencingToken, leaseMillis, count);
    }

    /** Reads the row after a token-checked extension UPDATE whose update count was {@code count}, and returns the result. */
    ExtendResult extendResult(Connection connection, String key, long fencingToken, long leaseMillis, int count)
            throws SQLException {
        Snapshot snapshot = read(connection, List.of(key), "extend");
        IdempotencyRecord current = snapshot.records().get(key);
        if (RecordRows.heldBy(current, fencingToken, snapshot.now())) {
            // A driver that reports changed rather than matched rows returns zero when the new
            // lease equals the old one, so a record still held under the token counts as extended.
            return new ExtendResult.Extended(current.leaseExpiresAt(), current.leaseExpiresAt() - leaseMillis);
        }
        if (count > 0) {
            // NOTE: the lease was extended, then lost before the read, which needs a lease shorter
            // than one round trip; the read's time stands in for the lost times.
            return new ExtendResult.Extended(snapshot.now(), snapshot.now());
        }
        return new ExtendResult.Rejected(RecordRows.live(current, snapshot.now()));
    }

    @Override
    int purgeBatch(Connection connection, int limit) throws SQLException {
        try (PreparedStatement statement = prepare(connection, purgeSql)) {
            statement.setInt(1, limit);
            return statement.executeUpdate();
        }
    }

    /** The rows of some keys, expired ones included, and the server's time when they were read. */
    private record Snapshot(long now, Map<String, IdempotencyRecord> records) {
    }

    private Snapshot read(Connection connection, List<String> keys, String operation) throws SQLException {
        String sql = "SELECT c.now_ms, t.idempotency_key, " + RecordRows.columns("t.")
                + " FROM (SELECT " + now + " AS now_ms) c LEFT JOIN " + table + " t ON t.idempotency_key IN ("
                + String.join(", ", Collections.nCopies(keys.size(), "?")) + ")";
        try (PreparedStatement statement = prepare(connection, sql)) {
            for (int i = 0; i < keys.size(); i++) {
                statement.setString(i + 1, keys.get(i));
            }

            long readAt = 0;
            Map<String, IdempotencyRecord> records = new HashMap<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    readAt = rows.getLong(1);
                    String key = rows.getString(2);
                    if (key != null) {
                        records.put(key, RecordRows.read(rows, 3, key, dialect.backendName(), operation));
                    }
                }
            }
            return new Snapshot(readAt, records);
        }
    }

    private int requireCount(int count, String key, String operation) {
        if (count >= 0) {
            return count;
        }
        // The token check is only as good as the update count, so a driver that withholds it
        // (such as MariaDB Connector/J with useBulkStmts=true) cannot be used.
        throw new BackendException(dialect.backendName(), operation, key, "the JDBC driver returned no update count ("
                + count + ") for a batched UPDATE; turn off bulk batch execution in the driver, such as"
                + " useBulkStmts=false for MariaDB Connector/J");
    }

    private static boolean isDuplicateKey(SQLException e) {
        // H2 and the SQL standard report 23505; MySQL and MariaDB report 23000 with error 1062.
        return "23505".equals(e.getSQLState()) || ("23000".equals(e.getSQLState()) && e.getErrorCode() == 1062);
    }

    private static <T> List<String> keysOf(List<T> requests, java.util.function.Function<T, String> key) {
        List<String> keys = new ArrayList<>(requests.size());
        for (T request : requests) {
            keys.add(key.apply(request));
        }
        return keys;
    }
}
