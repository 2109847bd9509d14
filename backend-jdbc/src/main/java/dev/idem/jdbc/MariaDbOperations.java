package dev.idem.jdbc;

import dev.idem.BackendException;
import dev.idem.spi.ClaimRequest;
import dev.idem.spi.ClaimResult;
import dev.idem.spi.CompleteRequest;
import dev.idem.spi.CompleteResult;
import dev.idem.spi.ExtendResult;
import dev.idem.spi.IdempotencyRecord;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * MariaDB 10.5 or newer: a claim, single or batched, is one statement, and so is a completion or
 * an extension that succeeds.
 *
 * <p>A claim is one {@code INSERT ... ON DUPLICATE KEY UPDATE ... RETURNING}. An absent key is
 * inserted. For an existing key, InnoDB locks the row and the ON DUPLICATE KEY UPDATE clause
 * reads its latest committed version, so a concurrent claim of the same key waits and then reads
 * the winner's row. RETURNING sends one row per VALUES row, in VALUES order, after that row's insert
 * or update. It returns the row as it is after the statement, whether or not the claim acquired
 * the key, so the statement reports the outcome through {@code LAST_INSERT_ID(expr)}. That call
 * sets the session's last insert id to {@code expr}, and {@code LAST_INSERT_ID()} in a later
 * assignment or in RETURNING reads it back. Every row sets it to a claim code:
 * <ul>
 *   <li>{@code 2 * token} when the claim acquired the key without a takeover, which is a fresh
 *       insert (the VALUES row sets code 2, token 1) or a claim of an expired row;</li>
 *   <li>{@code 2 * token + 1} when it took over a live IN_PROGRESS record whose lease is over and
 *       whose fingerprint matches;</li>
 *   <li>{@code 0} when the live record stays as it is.</li>
 * </ul>
 * The first assignment of the update clause decides the outcome from the old row and sets the
 * code. Every later assignment only tests {@code LAST_INSERT_ID() > 0} and never a column that an
 * earlier assignment changed. So the statement means the same whether the server evaluates
 * assignments left to right (the default) or from the old row (sql_mode
 * SIMULTANEOUS_ASSIGNMENT). The code is session state that outlives the statement on a pooled
 * connection, which is why every branch sets it, including the one that leaves the record alone.
 *
 * <p>A user variable cannot carry the takeover flag instead. On MariaDB 10.11 with Connector/J
 * 3.5's client-side prepared statements, the first statement of a session read such a variable
 * in RETURNING as its value from before the statement. A later assignment in the same update
 * clause did see the new value.
 *
 * <p>A single completion is one token-checked UPDATE that stores the statement's time with
 * {@code completed_at = LAST_INSERT_ID(now)}. MariaDB sends that value back in the OK packet,
 * which JDBC returns as the generated key, so a stored completion needs no read. A rejected
 * completion, or a driver that returns no generated key, reads the row as on MySQL. Extension
 * works the same way with the new lease end. A batch of completions runs the MySQL statements in
 * {@link ReadThenWriteOperations}: one token-checked UPDATE per key in a JDBC batch, then one
 * read of the rows, because a batch returns no generated key per statement that could be relied
 * on.
 *
 * <p>Time is {@code UTC_TIMESTAMP(6)}, which MariaDB fixes at the start of each statement, so
 * every row of a statement, its lease and its reported {@code now} use the same instant.
 */
final class MariaDbOperations extends SqlOperations {

    private static final String NOW = ReadThenWriteOperations.MARIADB_NOW;

    /** The columns in the order that each VALUES row lists them. */
    private static final String INSERT_COLUMNS = "(idempotency_key, created_at, status, fencing_token,"
            + " lease_expires_at, expires_at, fingerprint, result, completed_at, owner)";

    /**
     * One VALUES row. The parameters are the key, the lease, the retention span, the fingerprint
     * and the owner. MariaDB, like MySQL, lets a VALUES expression read a column set earlier in
     * the same row, so the statement's time appears once per row, as created_at.
     */
    private static final String VALUES_ROW = "(?, " + NOW + ", 'IN_PROGRESS', LAST_INSERT_ID(2) DIV 2,"
            + " created_at + ?, created_at + ?, ?, NULL, 0, ?)";

    /**
     * The update clause of a claim. VALUES(created_at) is the statement's time. The first
     * assignment compares the old row with the request: an expired row is claimed, a live record
     * whose lease is over is taken over when the fingerprints match (a missing one matches any),
     * and anything else is left alone.
     */
    private static final String ON_DUPLICATE_KEY = " ON DUPLICATE KEY UPDATE"
            + " fencing_token = CASE"
            + " WHEN expires_at <= VALUES(created_at) THEN LAST_INSERT_ID(2 * fencing_token + 2) DIV 2"
            + " WHEN status = 'IN_PROGRESS' AND lease_expires_at <= VALUES(created_at)"
            + " AND (fingerprint IS NULL OR VALUES(fingerprint) IS NULL OR fingerprint = VALUES(fingerprint))"
            + " THEN LAST_INSERT_ID(2 * fencing_token + 3) DIV 2"
            + " ELSE fencing_token + LAST_INSERT_ID(0) END,"
            // A takeover without a fingerprint keeps the stored one, so later mismatches are still caught.
            + " fingerprint = CASE WHEN LAST_INSERT_ID() = 0 THEN fingerprint"
            + " WHEN LAST_INSERT_ID() MOD 2 = 1 THEN COALESCE(VALUES(fingerprint), fingerprint)"
            + " ELSE VALUES(fingerprint) END,"
            + " status = IF(LAST_INSERT_ID() > 0, 'IN_PROGRESS', status),"
            + " lease_expires_at = IF(LAST_INSERT_ID() > 0, VALUES(lease_expires_at), lease_expires_at),"
            + " expires_at = IF(LAST_INSERT_ID() > 0, VALUES(expires_at), expires_at),"
            + " result = IF(LAST_INSERT_ID() > 0, NULL, result),"
            + " created_at = IF(LAST_INSERT_ID() > 0, VALUES(created_at), created_at),"
            + " completed_at = IF(LAST_INSERT_ID() > 0, 0, completed_at),"
            + " owner = IF(LAST_INSERT_ID() > 0, VALUES(owner), owner)";

    /** The claim code, the statement's time, the key and the record's columns, as {@link #claimResult} reads them. */
    private static final String RETURNING = " RETURNING LAST_INSERT_ID(), " + NOW + ", idempotency_key, "
            + RecordRows.columns("");

    private final ReadThenWriteOperations readThenWrite;
    private final String claimOneSql;
    private final String completeSql;
    private final String extendSql;

    MariaDbOperations(TableName table, int queryTimeoutSeconds) {
        super(table, JdbcDialect.MARIADB, queryTimeoutSeconds);
        this.readThenWrite = new ReadThenWriteOperations(table, JdbcDialect.MARIADB, queryTimeoutSeconds);
        this.claimOneSql = claimSql(1);
        // NOW is fixed for the statement, so expires_at is exactly completed_at plus the
        // retention without reading a column that this statement changed.
        this.completeSql = "UPDATE " + table + " SET status = 'COMPLETED', result = ?, lease_expires_at = 0,"
                + " completed_at = LAST_INSERT_ID(" + NOW + "), expires_at = " + NOW + " + CAST(? AS SIGNED)"
                + " WHERE idempotency_key = ? AND status = 'IN_PROGRESS' AND fencing_token = ? AND expires_at > " + NOW;
        this.extendSql = "UPDATE " + table + " SET expires_at = GREATEST(expires_at, " + NOW + " + CAST(? AS SIGNED)),"
                + " lease_expires_at = LAST_INSERT_ID(" + NOW + " + CAST(? AS SIGNED))"
                + " WHERE idempotency_key = ? AND status = 'IN_PROGRESS' AND fencing_token = ? AND expires_at > " + NOW;
    }

    @Override
    String now() {
        return NOW;
    }

    @Override
    int maxRowsPerStatement() {
        // A claim binds five parameters per row and a batch of completions four per key, so
        // 1,000 rows stay well under the 65,535 parameters that MariaDB accepts in one statement.
        return 1_000;
    }

    @Override
    ClaimResult[] claimDistinct(Connection connection, List<ClaimRequest> requests) throws SQLException {
        // Rows go in key order so that concurrent multi-row statements lock keys in the same order.
        List<Integer> order = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparing(index -> requests.get(index).key()));

        ClaimResult[] results = new ClaimResult[requests.size()];
        String sql = requests.size() == 1 ? claimOneSql : claimSql(requests.size());
        try (PreparedStatement statement = prepare(connection, sql)) {
            int parameter = 1;
            for (int index : order) {
                ClaimRequest request = requests.get(index);
                statement.setString(parameter++, request.key());
                statement.setLong(parameter++, request.leaseMillis());
                statement.setLong(parameter++, Math.max(request.retentionMillis(), request.leaseMillis()));
                statement.setString(parameter++, request.fingerprint());
                statement.setString(parameter++, request.owner());
            }

            // execute() rather than executeQuery(), because MySQL Connector/J 8, which can also
            // reach MariaDB, rejects executeQuery() for a statement that starts with INSERT.
            statement.execute();
            int row = 0;
            try (ResultSet rows = statement.getResultSet()) {
                while (rows != null && rows.next()) {
                    if (row == order.size()) {
                        throw unexpectedRows(requests, order.size() + " or more");
                    }
                    int index = order.get(row++);
                    results[index] = claimResult(rows, requests.get(index));
                }
            }
            if (row != order.size()) {
                throw unexpectedRows(requests, String.valueOf(row));
            }
        }
        return results;
    }

    private String claimSql(int rows) {
        return "INSERT INTO " + table + " " + INSERT_COLUMNS + " VALUES " + String.join(", ", Collections.nCopies(rows, VALUES_ROW))
                + ON_DUPLICATE_KEY + RETURNING;
    }

    private ClaimResult claimResult(ResultSet rows, ClaimRequest request) throws SQLException {
        long code = rows.getLong(1);
        long now = rows.getLong(2);
        String key = rows.getString(3);
        if (!request.key().equals(key)) {
            // The binary collation of the shipped DDL stores every key exactly as sent, so the
            // rows can only differ from the requests when the table's key column compares keys
            // in another way.
            throw new BackendException(dialect.backendName(), "claim", request.key(), "the claim statement returned"
                    + " the row of key '" + key + "' in the place of this key; create the table with the DDL"
                    + " of JdbcIdempotencyStore.schemaDdl(), whose key column uses the collation utf8mb4_nopad_bin");
        }

        if (code > 0) {
            long token = rows.getLong(5);
            if (token != code / 2) {
                throw new BackendException(dialect.backendName(), "claim", request.key(), "the claim code " + code
                        + " names fencing token " + code / 2 + ", but the row contains token " + token
                        + "; MariaDB evaluated LAST_INSERT_ID(expr) in an order that this store does not support."
                        + " Set the dialect to MYSQL on the builder to claim with a read, then a write");
            }
            return new ClaimResult.Acquired(token, rows.getLong(6), now, code % 2 == 1);
        }
        // The update clause read this row under its row lock, so it is the current record, and
        // a record that the claim left alone is live.
        IdempotencyRecord current = RecordRows.read(rows, 4, request.key(), dialect.backendName(), "claim");
        return RecordRows.existing(current, now);
    }

    private BackendException unexpectedRows(List<ClaimRequest> requests, String returned) {
        return new BackendException(dialect.backendName(), "claim", requests.get(0).key(), "the claim statement for "
                + requests.size() + " keys returned " + returned + " rows; expected one row per key from"
                + " INSERT ... RETURNING, which needs MariaDB 10.5 or newer");
    }

    @Override
    CompleteResult[] completeDistinct(Connection connection, List<CompleteRequest> requests) throws SQLException {
        if (requests.size() > 1) {
            return readThenWrite.completeDistinct(connection, requests);
        }

        CompleteRequest request = requests.get(0);
        int count;
        long now = 0;
        try (PreparedStatement statement = prepare(connection, completeSql, Statement.RETURN_GENERATED_KEYS)) {
            statement.setBytes(1, request.result());
            statement.setLong(2, request.retentionMillis());
            statement.setString(3, request.key());
            statement.setLong(4, request.fencingToken());
            count = statement.executeUpdate();
            if (count == 1) {
                now = generatedKey(statement);
            }
        }

        if (count == 1 && now > 0) {
            return new CompleteResult[] {new CompleteResult.Stored(now + request.retentionMillis(), now)};
        }
        return readThenWrite.completeResults(connection, requests, new int[] {count});
    }

    @Override
    ExtendResult extend(Connection connection, String key, long fencingToken, long leaseMillis) throws SQLException {
        int count;
        long leaseExpiresAt = 0;
        try (PreparedStatement statement = prepare(connection, extendSql, Statement.RETURN_GENERATED_KEYS)) {
            statement.setLong(1, leaseMillis);
            statement.setLong(2, leaseMillis);
            statement.setString(3, key);
            statement.setLong(4, fencingToken);
            count = statement.executeUpdate();
            if (count == 1) {
                leaseExpiresAt = generatedKey(statement);
            }
        }

        if (count == 1 && leaseExpiresAt > 0) {
            return new ExtendResult.Extended(leaseExpiresAt, leaseExpiresAt - leaseMillis);
        }
        // A driver that counts changed rather than matched rows (useAffectedRows=true) returns
        // zero when the new lease equals the old one. The read then finds the lease still held.
        return readThenWrite.extendResult(connection, key, fencingToken, leaseMillis, count);
    }

    @Override
    int purgeBatch(Connection connection, int limit) throws SQLException {
        return readThenWrite.purgeBatch(connection, limit);
    }

    /**
     * Returns the value of the statement's {@code LAST_INSERT_ID(expr)}, which the driver reports
     * as the generated key, or 0 when it reports none. MariaDB sends 0 for a statement that set
     * no last insert id, so a value left in the session by an earlier statement never shows here.
     */
    private static long generatedKey(Statement statement) throws SQLException {
        try (ResultSet keys = statement.getGeneratedKeys()) {
            return keys != null && keys.next() ? keys.getLong(1) : 0;
        }
    }
}
