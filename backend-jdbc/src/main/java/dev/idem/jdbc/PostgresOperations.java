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
import java.sql.Types;
import java.util.List;

/**
 * PostgreSQL: every operation, batches included, is one statement over arrays bound as single
 * parameters.
 *
 * <p>A claim is one data-modifying CTE and a read in one statement:
 * <ol>
 *   <li>{@code fresh}: {@code INSERT ... ON CONFLICT DO UPDATE ... WHERE claimable} inserts an
 *       absent key, claims an expired row, or takes over a live IN_PROGRESS row whose lease is
 *       over and whose fingerprint matches. On conflict, PostgreSQL checks the condition against
 *       the latest committed version of the row and locks that row even when the condition is
 *       false.</li>
 *   <li>the final SELECT returns, per request, what the write returned, or, when it wrote
 *       nothing, the row as the statement's snapshot saw it.</li>
 * </ol>
 * RETURNING shows only the new row, so the new fencing token carries the kind of claim in its
 * parity: a fresh insert gets 1, a claim of an expired row the next even number above the old
 * token, and a takeover the next odd number above it. Tokens still increase with every claim;
 * they only skip a number now and then. One write step costs the server less time than an
 * INSERT followed by a separate takeover UPDATE, which is how the statement was first written.
 * Under READ COMMITTED the snapshot can be older than the row that the write steps examined: a
 * concurrent claim may have inserted or changed it after the statement started. A snapshot row
 * that is live and not claimable is still a correct answer, as if the claim had happened before
 * that concurrent write. A snapshot that shows an absent, expired or claimable row while nothing
 * was written is stale, so the store sends the claim again; this costs a second round trip only
 * under contention on that key.
 *
 * <p>Each statement reads the row back only for the requests that it did not write, because a
 * written row's new values come back through RETURNING.
 *
 * <p>Every step reaches the table through its primary key, even in a plan made for an empty
 * table. After a few executions the server keeps one generic plan per connection until the
 * table's statistics change. A plan made while the table was empty chose sequential scans with
 * hash joins for plain joins. It kept them as the table grew, so every claim and completion read
 * the whole table until an ANALYZE made the server plan again. The final read therefore
 * looks the row up in a LATERAL subquery with LIMIT 1, which the planner does not flatten into
 * a join, and the completion's UPDATE also matches the keys with {@code = ANY(...)}, which the
 * planner serves from the index.
 *
 * <p>Time is {@code statement_timestamp()}, which is constant within a statement and, unlike
 * {@code now()}, moves on inside a transaction, so that a completion in the caller's
 * transaction uses the time it runs.
 */
final class PostgresOperations extends SqlOperations {

    private static final String NOW = "FLOOR(EXTRACT(EPOCH FROM statement_timestamp()) * 1000)::bigint";

    private final String claimSql;
    private final String claimOneSql;
    private final String completeSql;
    private final String completeOneSql;
    private final String extendSql;
    private final String purgeSql;

    PostgresOperations(TableName table, int queryTimeoutSeconds) {
        super(table, JdbcDialect.POSTGRESQL, queryTimeoutSeconds);
        this.claimSql = claimSql(table.qualified(), Shape.BATCH);
        this.claimOneSql = claimSql(table.qualified(), Shape.SINGLE);
        this.completeSql = completeSql(table.qualified(), Shape.BATCH);
        this.completeOneSql = completeSql(table.qualified(), Shape.SINGLE);
        this.extendSql = extendSql(table.qualified());
        this.purgeSql = "DELETE FROM " + table + " WHERE idempotency_key IN (SELECT idempotency_key FROM " + table
                + " WHERE expires_at <= " + NOW + " ORDER BY expires_at LIMIT ? FOR UPDATE SKIP LOCKED)"
                + " AND expires_at <= " + NOW;
    }

    @Override
    String now() {
        return NOW;
    }

    /**
     * Escapes the NUL character, which PostgreSQL text cannot store, as a backslash and '0', and
     * doubles backslashes so that the mapping stays one to one. Keys without either character,
     * the usual case, are stored as they are; results always carry the caller's key.
     */
    @Override
    String storedKey(String key) {
        if (key.indexOf('\\') < 0 && key.indexOf('\0') < 0) {
            return key;
        }
        return key.replace("\\", "\\\\").replace("\0", "\\0");
    }

    @Override
    int maxRowsPerStatement() {
        // Arrays travel as one parameter each, so only memory bounds a batch.
        return 10_000;
    }

    @Override
    ClaimResult[] claimDistinct(Connection connection, List<ClaimRequest> requests) throws SQLException {
        int size = requests.size();
        String[] keys = new String[size];
        String[] fingerprints = new String[size];
        Long[] leases = new Long[size];
        Long[] retentions = new Long[size];
        String[] owners = new String[size];
        for (int i = 0; i < size; i++) {
            ClaimRequest request = requests.get(i);
            keys[i] = storedKey(request.key());
            fingerprints[i] = request.fingerprint();
            leases[i] = request.leaseMillis();
            retentions[i] = request.retentionMillis();
            owners[i] = request.owner();
        }

        ClaimResult[] results = new ClaimResult[size];
        Shape shape = Shape.of(size);
        try (PreparedStatement statement = prepare(connection, shape == Shape.SINGLE ? claimOneSql : claimSql)) {
            shape.bind(statement, 1, "text", keys);
            shape.bind(statement, 2, "text", fingerprints);
            shape.bind(statement, 3, "bigint", leases);
            shape.bind(statement, 4, "bigint", retentions);
            shape.bind(statement, 5, "text", owners);

            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    int index = rows.getInt(1) - 1;
                    results[index] = claimResult(rows, requests.get(index));
                }
            }
        }
        return results;
    }

    private ClaimResult claimResult(ResultSet rows, ClaimRequest request) throws SQLException {
        long now = rows.getLong(2);

        long token = rows.getLong(3);
        if (!rows.wasNull()) {
            // The token's parity encodes the kind of claim: 1 for an insert, even for a claim of
            // an expired row, and odd above 1 for a takeover.
            boolean takeover = token > 1 && token % 2 == 1;
            return new ClaimResult.Acquired(token, rows.getLong(4), now, takeover);
        }

        IdempotencyRecord snapshot = RecordRows.read(rows, 5, request.key(), dialect.backendName(), "claim");
        if (RecordRows.claimable(snapshot, request, now)) {
            // Nothing was written, yet the snapshot allows a claim: a concurrent write that the
            // snapshot cannot see decided the outcome, so the caller sends the claim again.
            return null;
        }
        return RecordRows.existing(snapshot, now);
    }

    @Override
    CompleteResult[] completeDistinct(Connection connection, List<CompleteRequest> requests) throws SQLException {
        int size = requests.size();
        String[] keys = new String[size];
        Long[] tokens = new Long[size];
        byte[][] payloads = new byte[size][];
        Long[] retentions = new Long[size];
        for (int i = 0; i < size; i++) {
            CompleteRequest request = requests.get(i);
            keys[i] = storedKey(request.key());
            tokens[i] = request.fencingToken();
            payloads[i] = request.result();
            retentions[i] = request.retentionMillis();
        }

        CompleteResult[] results = new CompleteResult[size];
        Shape shape = Shape.of(size);
        try (PreparedStatement statement = prepare(connection, shape == Shape.SINGLE ? completeOneSql : completeSql)) {
            shape.bind(statement, 1, "text", keys);
            shape.bind(statement, 2, "bigint", tokens);
            shape.bind(statement, 3, "bytea", payloads);
            shape.bind(statement, 4, "bigint", retentions);
            shape.bind(statement, 5, "text", keys);

            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    int index = rows.getInt(1) - 1;
                    CompleteRequest request = requests.get(index);
                    long now = rows.getLong(2);
                    long storedExpiresAt = rows.getLong(3);
                    if (!rows.wasNull()) {
                        results[index] = new CompleteResult.Stored(storedExpiresAt, now);
                        continue;
                    }
                    IdempotencyRecord snapshot = RecordRows.read(rows, 4, request.key(), dialect.backendName(), "complete");
                    results[index] = new CompleteResult.Rejected(currentAfterRejection(connection, snapshot,
                            request.key(), request.fencingToken(), now));
                }
            }
        }
        return results;
    }

    @Override
    ExtendResult extend(Connection connection, String key, long fencingToken, long leaseMillis) throws SQLException {
        try (PreparedStatement statement = prepare(connection, extendSql)) {
            statement.setString(1, storedKey(key));
            statement.setLong(2, fencingToken);
            statement.setLong(3, leaseMillis);

            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                long now = rows.getLong(1);
                long leaseExpiresAt = rows.getLong(2);
                if (!rows.wasNull()) {
                    return new ExtendResult.Extended(leaseExpiresAt, now);
                }
                IdempotencyRecord snapshot = RecordRows.read(rows, 3, key, dialect.backendName(), "extend");
                return new ExtendResult.Rejected(currentAfterRejection(connection, snapshot, key, fencingToken, now));
            }
        }
    }

    @Override
    int purgeBatch(Connection connection, int limit) throws SQLException {
        try (PreparedStatement statement = prepare(connection, purgeSql)) {
            statement.setInt(1, limit);
            return statement.executeUpdate();
        }
    }

    /**
     * Returns the record to report with a rejection. The snapshot is usually right; when it still
     * shows the caller's claim, a concurrent write that the snapshot cannot see caused the
     * rejection, so the record is read again.
     */
    private IdempotencyRecord currentAfterRejection(Connection connection, IdempotencyRecord snapshot, String key,
                                                    long fencingToken, long now) throws SQLException {
        if (RecordRows.heldBy(snapshot, fencingToken, now)) {
            return get(connection, key);
        }
        return RecordRows.live(snapshot, now);
    }

    static String claimSql(String table, Shape shape) {
        return """
                WITH request AS (
                    %4$s
                ),
                fresh AS (
                    INSERT INTO %1$s AS r (idempotency_key, status, fencing_token, lease_expires_at, expires_at,
                                           fingerprint, result, created_at, completed_at, owner)
                    SELECT key, 'IN_PROGRESS', 1, now + lease_millis, now + GREATEST(retention_millis, lease_millis),
                           fingerprint, NULL, now, 0, owner
                    FROM request
                    ORDER BY key
                    ON CONFLICT (idempotency_key) DO UPDATE SET
                        status = 'IN_PROGRESS',
                        fencing_token = CASE WHEN r.expires_at <= EXCLUDED.created_at
                                             THEN (r.fencing_token / 2 + 1) * 2
                                             ELSE (r.fencing_token + 1) / 2 * 2 + 1 END,
                        lease_expires_at = EXCLUDED.lease_expires_at,
                        expires_at = EXCLUDED.expires_at,
                        fingerprint = CASE WHEN r.expires_at <= EXCLUDED.created_at THEN EXCLUDED.fingerprint
                                           ELSE COALESCE(EXCLUDED.fingerprint, r.fingerprint) END,
                        result = NULL,
                        created_at = EXCLUDED.created_at,
                        completed_at = 0,
                        owner = EXCLUDED.owner
                    WHERE r.expires_at <= EXCLUDED.created_at
                       OR (r.status = 'IN_PROGRESS'
                           AND r.lease_expires_at <= EXCLUDED.created_at
                           AND (r.fingerprint IS NULL OR EXCLUDED.fingerprint IS NULL
                                OR r.fingerprint = EXCLUDED.fingerprint))
                    RETURNING r.idempotency_key, r.fencing_token, r.lease_expires_at
                )
                SELECT q.position, q.now, f.fencing_token, f.lease_expires_at, %3$s
                FROM request AS q
                LEFT JOIN fresh AS f ON f.idempotency_key = q.key
                LEFT JOIN LATERAL (SELECT * FROM %1$s AS x
                                   WHERE x.idempotency_key = q.key AND f.idempotency_key IS NULL LIMIT 1) AS e ON TRUE
                ORDER BY q.position
                """.formatted(table, NOW, RecordRows.columns("e."),
                shape.requests(NOW, "key text", "fingerprint text", "lease_millis bigint", "retention_millis bigint",
                        "owner text"));
    }

    static String completeSql(String table, Shape shape) {
        return """
                WITH request AS (
                    %4$s
                ),
                stored AS (
                    UPDATE %1$s AS r SET
                        status = 'COMPLETED',
                        result = q.result,
                        lease_expires_at = 0,
                        completed_at = q.now,
                        expires_at = q.now + q.retention_millis
                    FROM request AS q
                    WHERE r.idempotency_key = q.key
                      AND r.idempotency_key %5$s
                      AND r.status = 'IN_PROGRESS'
                      AND r.fencing_token = q.fencing_token
                      AND r.expires_at > q.now
                    RETURNING r.idempotency_key, r.expires_at
                )
                SELECT q.position, q.now, s.expires_at, %3$s
                FROM request AS q
                LEFT JOIN stored AS s ON s.idempotency_key = q.key
                LEFT JOIN LATERAL (SELECT * FROM %1$s AS x
                                   WHERE x.idempotency_key = q.key AND s.idempotency_key IS NULL LIMIT 1) AS e ON TRUE
                ORDER BY q.position
                """.formatted(table, NOW, RecordRows.columns("e."),
                shape.requests(NOW, "key text", "fencing_token bigint", "result bytea", "retention_millis bigint"),
                shape.keyMatch());
    }

    static String extendSql(String table) {
        return """
                WITH request AS (
                    SELECT CAST(? AS text) AS key, CAST(? AS bigint) AS fencing_token,
                           CAST(? AS bigint) AS lease_millis, %2$s AS now
                ),
                extended AS (
                    UPDATE %1$s AS r SET
                        lease_expires_at = q.now + q.lease_millis,
                        expires_at = GREATEST(r.expires_at, q.now + q.lease_millis)
                    FROM request AS q
                    WHERE r.idempotency_key = q.key
                      AND r.status = 'IN_PROGRESS'
                      AND r.fencing_token = q.fencing_token
                      AND r.expires_at > q.now
                    RETURNING r.lease_expires_at
                )
                SELECT q.now, d.lease_expires_at, %3$s
                FROM request AS q
                LEFT JOIN extended AS d ON TRUE
                LEFT JOIN LATERAL (SELECT * FROM %1$s AS x
                                   WHERE x.idempotency_key = q.key AND d.lease_expires_at IS NULL LIMIT 1) AS e ON TRUE
                """.formatted(table, NOW, RecordRows.columns("e."));
    }

    /**
     * The way a statement receives its requests. A batch binds one array per column and unnests
     * them. A single request binds plain values, so the planner estimates one row and, after a few
     * executions, the server reuses a generic plan. With arrays the planner cannot estimate their
     * length. It then rates a generic plan dearer than one made for the actual values and plans
     * the statement again at every execution, which costs more server time than running it.
     */
    enum Shape {
        BATCH,
        SINGLE;

        static Shape of(int requests) {
            return requests == 1 ? SINGLE : BATCH;
        }

        /**
         * Returns the body of the {@code request} CTE: one row per request with the given columns
         * (each "name type"), its 1-based {@code position} and the statement's {@code now}.
         */
        String requests(String now, String... columns) {
            StringBuilder sql = new StringBuilder("SELECT ");
            if (this == SINGLE) {
                for (String column : columns) {
                    String[] parts = column.split(" ");
                    sql.append("CAST(? AS ").append(parts[1]).append(") AS ").append(parts[0]).append(", ");
                }
                return sql.append("CAST(1 AS bigint) AS position, ").append(now).append(" AS now").toString();
            }

            StringBuilder names = new StringBuilder();
            sql.append("q.*, ").append(now).append(" AS now FROM unnest(");
            for (int i = 0; i < columns.length; i++) {
                String[] parts = columns[i].split(" ");
                sql.append(i == 0 ? "" : ", ").append("?::").append(parts[1]).append("[]");
                names.append(parts[0]).append(", ");
            }
            return sql.append(") WITH ORDINALITY AS q(").append(names).append("position)").toString();
        }

        /** Returns the condition that matches a row's key against the requested keys through the primary key. */
        String keyMatch() {
            return this == SINGLE ? "= CAST(? AS text)" : "= ANY(?::text[])";
        }

        /** Binds one column of the requests: the value itself for a single request, else an array. */
        void bind(PreparedStatement statement, int index, String type, Object[] values) throws SQLException {
            if (this == BATCH) {
                statement.setArray(index, statement.getConnection().createArrayOf(type, values));
                return;
            }
            Object value = values[0];
            switch (type) {
                case "text" -> statement.setString(index, (String) value);
                case "bigint" -> {
                    if (value == null) {
                        statement.setNull(index, Types.BIGINT);
                    } else {
                        statement.setLong(index, (Long) value);
                    }
                }
                case "bytea" -> statement.setBytes(index, (byte[]) value);
                default -> throw new IllegalArgumentException("unsupported SQL type " + type + "; expected text, bigint or bytea");
            }
        }
    }
}
