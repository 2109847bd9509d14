package dev.idem.jdbc;

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
import java.util.List;

/**
 * The SQL of one dialect family. Each method runs on a connection that the caller manages; none
 * commits, so the same code serves the store's own auto-commit connections and a caller's
 * transaction.
 */
abstract class SqlOperations {

    final TableName table;
    final JdbcDialect dialect;
    private final int queryTimeoutSeconds;

    SqlOperations(TableName table, JdbcDialect dialect, int queryTimeoutSeconds) {
        this.table = table;
        this.dialect = dialect;
        this.queryTimeoutSeconds = queryTimeoutSeconds;
    }

    /** Creates the operations for {@code dialect}. */
    static SqlOperations create(JdbcDialect dialect, TableName table, int queryTimeoutSeconds) {
        return switch (dialect) {
            case POSTGRESQL -> new PostgresOperations(table, queryTimeoutSeconds);
            case MARIADB, MYSQL, H2 -> new ReadThenWriteOperations(table, dialect, queryTimeoutSeconds);
        };
    }

    /**
     * Claims keys that are all distinct. Returns one result per request, in request order, with
     * {@code null} where a concurrent write won a race and the claim must be sent again.
     */
    abstract ClaimResult[] claimDistinct(Connection connection, List<ClaimRequest> requests) throws SQLException;

    /** Completes claims on distinct keys, one result per request in request order. */
    abstract CompleteResult[] completeDistinct(Connection connection, List<CompleteRequest> requests)
            throws SQLException;

    /** Extends a lease, checking the fencing token. */
    abstract ExtendResult extend(Connection connection, String key, long fencingToken, long leaseMillis)
            throws SQLException;

    /** Deletes at most {@code limit} expired records in one statement and returns how many it deleted. */
    abstract int purgeBatch(Connection connection, int limit) throws SQLException;

    /** The maximum number of requests in one statement, so that bind parameters stay under the driver's limit. */
    abstract int maxRowsPerStatement();

    /** An SQL expression for the database server's time in epoch milliseconds, constant within a statement. */
    abstract String now();

    /**
     * Releases a claim by ending its retention now instead of deleting the row. The row keeps its
     * fencing token, so the next claim continues the sequence and a stale holder can never see its
     * old token again while the row exists.
     */
    boolean release(Connection connection, String key, long fencingToken) throws SQLException {
        String sql = "UPDATE " + table + " SET expires_at = " + now() + ", lease_expires_at = LEAST(lease_expires_at, "
                + now() + ") WHERE idempotency_key = ? AND status = 'IN_PROGRESS' AND fencing_token = ? AND expires_at > "
                + now();
        try (PreparedStatement statement = prepare(connection, sql)) {
            statement.setString(1, storedKey(key));
            statement.setLong(2, fencingToken);
            return statement.executeUpdate() > 0;
        }
    }

    /** Reads the live record of {@code key}, or {@code null}. */
    IdempotencyRecord get(Connection connection, String key) throws SQLException {
        String sql = "SELECT " + RecordRows.columns("") + " FROM " + table
                + " WHERE idempotency_key = ? AND expires_at > " + now();
        try (PreparedStatement statement = prepare(connection, sql)) {
            statement.setString(1, storedKey(key));
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? RecordRows.read(rows, 1, key, dialect.backendName(), "get") : null;
            }
        }
    }

    /** Returns the value stored in {@code idempotency_key} for {@code key}; the key itself unless a dialect cannot store it. */
    String storedKey(String key) {
        return key;
    }

    /** Prepares a statement with the configured query timeout. */
    PreparedStatement prepare(Connection connection, String sql) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        if (queryTimeoutSeconds > 0) {
            statement.setQueryTimeout(queryTimeoutSeconds);
        }
        return statement;
    }
}
