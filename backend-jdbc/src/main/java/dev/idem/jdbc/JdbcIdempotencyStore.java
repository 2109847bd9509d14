package dev.idem.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.idem.BackendException;
import dev.idem.spi.ClaimRequest;
import dev.idem.spi.ClaimResult;
import dev.idem.spi.CompleteRequest;
import dev.idem.spi.CompleteResult;
import dev.idem.spi.ExtendResult;
import dev.idem.spi.IdempotencyRecord;
import dev.idem.spi.IdempotencyStore;
import dev.idem.spi.StoreCapabilities;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An idempotency store in one SQL table, on PostgreSQL, MariaDB, MySQL or H2, over any
 * {@link DataSource}.
 *
 * <p>Storage layout: one row per key in the table named on the builder ({@code idem_records} by
 * default), with the columns {@code idempotency_key} (primary key), {@code status}
 * ({@code IN_PROGRESS} or {@code COMPLETED}), {@code fencing_token}, {@code lease_expires_at},
 * {@code expires_at}, {@code fingerprint}, {@code result}, {@code created_at},
 * {@code completed_at} and {@code owner}. Times are epoch milliseconds on the database server's
 * clock; the client's clock is never used. {@link #schemaDdl()} returns the DDL and
 * {@link #createTableIfMissing()} runs it.
 *
 * <p>Conditional writes: a claim inserts an absent key, or updates a row that is expired or
 * whose lease is over with a matching fingerprint, incrementing its fencing token. Completion,
 * extension and release are UPDATEs whose WHERE clause requires {@code status = 'IN_PROGRESS'},
 * the caller's fencing token and {@code expires_at > now}. Release does not delete the row but
 * ends its retention, so the next claim of the key continues the token sequence. On PostgreSQL
 * each operation, batches included, is one statement. On MariaDB a claim, single or batched, and
 * a completion or extension that succeeds are one statement each, as {@code MariaDbOperations}
 * explains. On MySQL and H2 a first claim reads and then writes, as
 * {@code ReadThenWriteOperations} explains.
 *
 * <p>Expired rows are absent for every operation, and stay in the table until
 * {@link #purgeExpired(int)} deletes them. Warning: fencing tokens live in the rows, so a key
 * whose row was purged starts again at token 1. A holder whose lease expired before the purge
 * could then present a token that matches a new claim. Keep the time between expiry and purge
 * longer than any action can run.
 *
 * <p>Warning: point the store at the primary, never at a read replica. A replica lags, so it
 * would answer claims with records that the primary has already changed.
 *
 * <p>Transactional completion: {@link #complete(Connection, CompleteRequest)} writes the
 * completion on the caller's connection without committing, so that an action's own writes and
 * its record commit or roll back together; {@link TransactionalIdempotency} wraps the whole cycle.
 */
public final class JdbcIdempotencyStore implements IdempotencyStore {

    /** The table name when the builder sets none. */
    public static final String DEFAULT_TABLE = "idem_records";

    private static final Logger log = LoggerFactory.getLogger(JdbcIdempotencyStore.class);

    /** How often one claim is sent while concurrent writes keep winning, before the store gives up. */
    private static final int MAX_ATTEMPTS = 10;

    private final DataSource dataSource;
    private final HikariDataSource ownedPool;
    private final JdbcDialect dialect;
    private final TableName table;
    private final SqlOperations operations;
    private final int maxResultBytes;
    private final int purgeBatchSize;

    private JdbcIdempotencyStore(Builder builder, DataSource dataSource, HikariDataSource ownedPool,
                                 JdbcDialect dialect) {
        this.dataSource = dataSource;
        this.ownedPool = ownedPool;
        this.dialect = dialect;
        this.table = builder.table;
        this.operations = SqlOperations.create(dialect, builder.table, builder.queryTimeoutSeconds());
        this.maxResultBytes = builder.maxResultBytes;
        this.purgeBatchSize = builder.purgeBatchSize;
    }

    /** Starts a builder for a store on {@code dataSource}, which the store uses but never closes. */
    public static Builder builder(DataSource dataSource) {
        return new Builder(Objects.requireNonNull(dataSource, "dataSource"));
    }

    /** Starts a builder for a store that opens its own HikariCP pool from a JDBC URL and closes it on {@link #close()}. */
    public static Builder builder() {
        return new Builder(null);
    }

    @Override
    public ClaimResult claim(ClaimRequest request) {
        Objects.requireNonNull(request, "request");
        return claimAll(List.of(request)).get(0);
    }

    /**
     * Claims many keys with one statement per hundreds of keys rather than one per key. A key
     * listed twice is claimed in a second statement, after the first claim, so that the second
     * request sees the first one's record.
     */
    @Override
    public List<ClaimResult> claimAll(List<ClaimRequest> requests) {
        Objects.requireNonNull(requests, "requests");
        if (requests.isEmpty()) {
            return List.of();
        }

        ClaimResult[] results = new ClaimResult[requests.size()];
        String firstKey = requests.get(0).key();
        withConnection("claim", firstKey, connection -> {
            for (List<Integer> round : distinctKeyRounds(requests, ClaimRequest::key)) {
                runUntilSettled(round, "claim", requests, ClaimRequest::key, chunk -> {
                    List<ClaimRequest> batch = new ArrayList<>(chunk.size());
                    for (int index : chunk) {
                        batch.add(requests.get(index));
                    }
                    return operations.claimDistinct(connection, batch);
                }, results);
            }
            return null;
        });
        return Arrays.asList(results);
    }

    @Override
    public CompleteResult complete(CompleteRequest request) {
        Objects.requireNonNull(request, "request");
        return completeAll(List.of(request)).get(0);
    }

    /**
     * Completes a claim on the caller's connection, inside the caller's transaction: the
     * completion commits or rolls back with the caller's own writes. This method neither commits
     * nor changes the connection's auto-commit mode, and runs no retry, because a failed
     * statement may have aborted the caller's transaction.
     *
     * <p>Warning: the connection must reach the same database and table as this store. A
     * {@link CompleteResult.Rejected} means the lease was lost; roll back then, or the action's
     * writes commit without a record.
     *
     * @throws BackendException when the statement fails
     */
    public CompleteResult complete(Connection connection, CompleteRequest request) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(request, "request");
        try {
            return operations.completeDistinct(connection, List.of(request))[0];
        } catch (SQLException e) {
            throw failure("complete", request.key(), e);
        }
    }

    @Override
    public List<CompleteResult> completeAll(List<CompleteRequest> requests) {
        Objects.requireNonNull(requests, "requests");
        if (requests.isEmpty()) {
            return List.of();
        }

        CompleteResult[] results = new CompleteResult[requests.size()];
        withConnection("complete", requests.get(0).key(), connection -> {
            for (List<Integer> round : distinctKeyRounds(requests, CompleteRequest::key)) {
                runUntilSettled(round, "complete", requests, CompleteRequest::key, chunk -> {
                    List<CompleteRequest> batch = new ArrayList<>(chunk.size());
                    for (int index : chunk) {
                        batch.add(requests.get(index));
                    }
                    return operations.completeDistinct(connection, batch);
                }, results);
            }
            return null;
        });
        return Arrays.asList(results);
    }

    @Override
    public boolean release(String key, long fencingToken) {
        Objects.requireNonNull(key, "key");
        return withConnection("release", key, connection -> operations.release(connection, key, fencingToken));
    }

    @Override
    public ExtendResult extend(String key, long fencingToken, long leaseMillis) {
        Objects.requireNonNull(key, "key");
        if (leaseMillis < 0) {
            throw new IllegalArgumentException("leaseMillis must be zero or positive, got " + leaseMillis);
        }
        return withConnection("extend", key, connection -> operations.extend(connection, key, fencingToken, leaseMillis));
    }

    @Override
    public Optional<IdempotencyRecord> get(String key) {
        Objects.requireNonNull(key, "key");
        return Optional.ofNullable(withConnection("get", key, connection -> operations.get(connection, key)));
    }

    /**
     * Deletes up to {@code limit} expired rows, oldest first, in statements of at most the
     * builder's purge batch size, each committed on its own so that no statement holds many locks.
     * Rows that a concurrent claim holds are skipped on PostgreSQL and waited for elsewhere.
     */
    @Override
    public int purgeExpired(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be zero or positive, got " + limit);
        }
        return withConnection("purgeExpired", null, connection -> {
            int purged = 0;
            while (purged < limit) {
                int batch = Math.min(purgeBatchSize, limit - purged);
                int deleted = operations.purgeBatch(connection, batch);
                purged += deleted;
                if (deleted < batch) {
                    break;
                }
            }
            if (purged > 0) {
                log.debug("[{}] purged {} expired records", table, purged);
            }
            return purged;
        });
    }

    @Override
    public StoreCapabilities capabilities() {
        return new StoreCapabilities(dialect.backendName(), dialect.maxKeyBytes(), maxResultBytes, false, true);
    }

    /** Closes the connection pool that the store opened from a JDBC URL; a {@link DataSource} given to the builder stays open. */
    @Override
    public void close() {
        if (ownedPool != null) {
            ownedPool.close();
        }
    }

    /** The dialect in use, detected or set on the builder. */
    public JdbcDialect dialect() {
        return dialect;
    }

    /** The table name as written in SQL, schema included. */
    public String table() {
        return table.qualified();
    }

    /** The data source that the store takes connections from. */
    public DataSource dataSource() {
        return dataSource;
    }

    /** Returns the DDL that creates this store's table and its index on {@code expires_at}, for this dialect. */
    public String schemaDdl() {
        String template;
        try (InputStream in = JdbcIdempotencyStore.class.getClassLoader().getResourceAsStream(dialect.schemaResource())) {
            if (in == null) {
                throw new IllegalStateException("Resource " + dialect.schemaResource() + " is missing from the idem-jdbc jar");
            }
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read " + dialect.schemaResource(), e);
        }
        return template.replace("${table}", table.qualified()).replace("${index}", table.expiryIndex());
    }

    /**
     * Creates the table and its index on {@code expires_at} when they do not exist. The DDL is the
     * one {@link #schemaDdl()} returns; running it needs the right to create tables, which many
     * production accounts lack, so a migration tool may run that DDL instead.
     *
     * @throws BackendException when a statement fails
     */
    public void createTableIfMissing() {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : schemaDdl().split("\n")) {
            if (line.strip().startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (line.strip().endsWith(";")) {
                String sql = current.toString().strip();
                statements.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }

        withConnection("createTableIfMissing", null, connection -> {
            try (Statement statement = connection.createStatement()) {
                for (String sql : statements) {
                    statement.execute(sql);
                }
            }
            return null;
        });
        log.info("[{}] ensured table {} exists on {}", table, table, dialect.backendName());
    }

    @Override
    public String toString() {
        return "JdbcIdempotencyStore[dialect=" + dialect + ", table=" + table + "]";
    }

    // ------------------------------------------------------------ execution

    /** A step that uses a connection and may fail with an SQLException. */
    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** A statement over a chunk of request indexes; {@code null} entries mean "send again". */
    @FunctionalInterface
    private interface ChunkWork<R> {
        R[] run(List<Integer> chunk) throws SQLException;
    }

    /**
     * Runs {@code work} on a connection from the data source in auto-commit mode, so that each
     * statement commits at once and holds its row locks only while it runs.
     */
    private <T> T withConnection(String operation, String key, SqlWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            boolean restoreManualCommit = !connection.getAutoCommit();
            if (restoreManualCommit) {
                connection.setAutoCommit(true);
            }
            try {
                return work.run(connection);
            } finally {
                if (restoreManualCommit) {
                    connection.setAutoCommit(false);
                }
            }
        } catch (SQLException e) {
            throw failure(operation, key, e);
        }
    }

    /**
     * Runs a round of requests on distinct keys in chunks, sending again the requests that lost a
     * race to a concurrent write and the chunks that the database aborted for a deadlock or a
     * serialization failure, which it rolled back whole.
     */
    private <Q, R> void runUntilSettled(List<Integer> round, String operation, List<Q> requests,
                                        java.util.function.Function<Q, String> keyOf, ChunkWork<R> work,
                                        R[] results) throws SQLException {
        List<Integer> pending = round;
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            if (attempt > MAX_ATTEMPTS) {
                String key = keyOf.apply(requests.get(pending.get(0)));
                throw new BackendException(dialect.backendName(), operation, key, "the " + operation + " did not settle"
                        + " after " + MAX_ATTEMPTS + " attempts because concurrent writes kept changing the key"
                        + (pending.size() > 1 ? " and " + (pending.size() - 1) + " other keys" : "")
                        + "; retry later");
            }

            List<Integer> next = new ArrayList<>();
            for (List<Integer> chunk : chunks(pending, operations.maxRowsPerStatement())) {
                R[] chunkResults;
                try {
                    chunkResults = work.run(chunk);
                } catch (SQLException e) {
                    if (!isTransient(e) || attempt == MAX_ATTEMPTS) {
                        throw e;
                    }
                    log.warn("[{}] {} of {} keys aborted by the database (SQL state {}), sending it again: {}",
                            table, operation, chunk.size(), e.getSQLState(), e.getMessage());
                    next.addAll(chunk);
                    continue;
                }
                for (int i = 0; i < chunk.size(); i++) {
                    if (chunkResults[i] == null) {
                        next.add(chunk.get(i));
                    } else {
                        results[chunk.get(i)] = chunkResults[i];
                    }
                }
            }
            if (!next.isEmpty()) {
                log.debug("[{}] {} of {} keys lost a race to a concurrent write; sending again (attempt {})",
                        table, operation, next.size(), attempt + 1);
            }
            pending = next;
        }
    }

    /**
     * Splits request indexes into rounds in which every key appears once: the first occurrence of
     * each key in round one, the second in round two, and so on. A single statement cannot write
     * one row twice, and later occurrences must see the earlier ones' effect.
     */
    private static <Q> List<List<Integer>> distinctKeyRounds(List<Q> requests, java.util.function.Function<Q, String> keyOf) {
        Map<String, Integer> occurrences = new HashMap<>();
        List<List<Integer>> rounds = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            int round = occurrences.merge(Objects.requireNonNull(keyOf.apply(requests.get(i)), "key"), 1, Integer::sum) - 1;
            if (rounds.size() <= round) {
                rounds.add(new ArrayList<>());
            }
            rounds.get(round).add(i);
        }
        return rounds;
    }

    private static List<List<Integer>> chunks(List<Integer> indexes, int size) {
        List<List<Integer>> chunks = new ArrayList<>();
        for (int start = 0; start < indexes.size(); start += size) {
            chunks.add(indexes.subList(start, Math.min(indexes.size(), start + size)));
        }
        return chunks;
    }

    /** Tells whether the database rolled the statement back for a deadlock or a serialization failure (SQL state class 40). */
    private static boolean isTransient(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("40");
    }

    private BackendException failure(String operation, String key, SQLException e) {
        if (isMissingTable(e)) {
            return new BackendException(dialect.backendName(), operation, key, "table " + table + " does not exist"
                    + " (SQL state " + e.getSQLState() + "). Call JdbcIdempotencyStore.createTableIfMissing() or run"
                    + " this DDL:\n" + schemaDdl(), e);
        }
        return new BackendException(dialect.backendName(), operation, key, "SQL state " + e.getSQLState() + ": "
                + describe(e), e);
    }

    /**
     * Returns the exception's message followed by its root cause's. A pool that cannot connect
     * reports only a timeout, while the refused connection or the rejected login that explains
     * it sits several causes down.
     */
    static String describe(SQLException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root == e || root.getMessage() == null || String.valueOf(e.getMessage()).contains(root.getMessage())) {
            return e.getMessage();
        }
        return e.getMessage() + " Cause: " + root.getMessage();
    }

    private boolean isMissingTable(SQLException e) {
        String state = e.getSQLState();
        // PostgreSQL reports 42P01; MySQL, MariaDB and H2 report 42S02.
        return ("42P01".equals(state) || "42S02".equals(state))
                && e.getMessage() != null
                && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains(tableNameForMessages());
    }

    private String tableNameForMessages() {
        String qualified = table.qualified().toLowerCase(java.util.Locale.ROOT);
        int dot = qualified.indexOf('.');
        return dot < 0 ? qualified : qualified.substring(dot + 1);
    }

    // ------------------------------------------------------------ builder

    /** Builds a {@link JdbcIdempotencyStore}; every setter validates its value and names it when invalid. */
    public static final class Builder {

        private final DataSource dataSource;
        private String jdbcUrl;
        private String username;
        private String password;
        private int maximumPoolSize = 10;
        private Duration connectionTimeout = Duration.ofSeconds(5);
        private TableName table = TableName.parse(DEFAULT_TABLE);
        private JdbcDialect dialect;
        private Duration queryTimeout = Duration.ZERO;
        private int maxResultBytes = 4 * 1024 * 1024;
        private int purgeBatchSize = 1_000;

        private Builder(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        /** Sets the JDBC URL of the pool that the store opens; only for {@link JdbcIdempotencyStore#builder()}. */
        public Builder jdbcUrl(String jdbcUrl) {
            requireOwnPool("jdbcUrl");
            if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:")) {
                throw new IllegalArgumentException("jdbcUrl must start with 'jdbc:', got " + jdbcUrl);
            }
            this.jdbcUrl = jdbcUrl;
            return this;
        }

        /** Sets the user name of the pool that the store opens. */
        public Builder username(String username) {
            requireOwnPool("username");
            this.username = username;
            return this;
        }

        /** Sets the password of the pool that the store opens. */
        public Builder password(String password) {
            requireOwnPool("password");
            this.password = password;
            return this;
        }

        /** Sets the size of the pool that the store opens, 10 connections by default. */
        /**
         * How long an operation waits for a connection from the store's own pool before it fails
         * with a {@link BackendException}; 5 seconds by default (HikariCP's own default is 30).
         * An unreachable database then fails fast instead of holding every request for 30 seconds.
         */
        public Builder connectionTimeout(Duration connectionTimeout) {
            requireOwnPool("connectionTimeout");
            if (connectionTimeout == null || connectionTimeout.toMillis() < 250) {
                throw new IllegalArgumentException("connectionTimeout must be at least 250 ms (HikariCP's minimum), got "
                        + connectionTimeout);
            }
            this.connectionTimeout = connectionTimeout;
            return this;
        }

        public Builder maximumPoolSize(int maximumPoolSize) {
            requireOwnPool("maximumPoolSize");
            if (maximumPoolSize < 1) {
                throw new IllegalArgumentException("maximumPoolSize must be at least 1, got " + maximumPoolSize);
            }
            this.maximumPoolSize = maximumPoolSize;
            return this;
        }

        /**
         * Sets the table, {@value JdbcIdempotencyStore#DEFAULT_TABLE} by default, optionally as
         * {@code schema.table}.
         *
         * @throws IllegalArgumentException when the name is not a plain SQL identifier
         */
        public Builder table(String table) {
            this.table = TableName.parse(table);
            return this;
        }

        /** Sets the dialect instead of detecting it from the database's metadata. */
        public Builder dialect(JdbcDialect dialect) {
            this.dialect = Objects.requireNonNull(dialect, "dialect");
            return this;
        }

        /**
         * Sets the time after which the driver cancels a statement, none by default. JDBC counts
         * query timeouts in whole seconds, so the value is rounded up to the next second. A
         * cancelled statement fails with a {@link BackendException} and changes nothing.
         */
        public Builder queryTimeout(Duration queryTimeout) {
            Objects.requireNonNull(queryTimeout, "queryTimeout");
            if (queryTimeout.isNegative()) {
                throw new IllegalArgumentException("queryTimeout must be zero or positive, got " + queryTimeout);
            }
            this.queryTimeout = queryTimeout;
            return this;
        }

        /** Sets the largest encoded result the store accepts, 4 MiB by default; MySQL and MariaDB also need a max_allowed_packet above it. */
        public Builder maxResultBytes(int maxResultBytes) {
            if (maxResultBytes <= 0) {
                throw new IllegalArgumentException("maxResultBytes must be positive, got " + maxResultBytes);
            }
            this.maxResultBytes = maxResultBytes;
            return this;
        }

        /** Sets how many rows one purge statement deletes at most, 1,000 by default. */
        public Builder purgeBatchSize(int purgeBatchSize) {
            if (purgeBatchSize < 1) {
                throw new IllegalArgumentException("purgeBatchSize must be at least 1, got " + purgeBatchSize);
            }
            this.purgeBatchSize = purgeBatchSize;
            return this;
        }

        /**
         * Builds the store. Without a dialect set, it opens one connection to read the database's
         * metadata.
         *
         * @throws IllegalArgumentException when no data source and no JDBC URL was given, or the database is unsupported
         * @throws BackendException         when the database cannot be reached to detect the dialect
         */
        public JdbcIdempotencyStore build() {
            HikariDataSource pool = null;
            DataSource source = dataSource;
            if (source == null) {
                if (jdbcUrl == null) {
                    throw new IllegalArgumentException("Set jdbcUrl, or pass a DataSource to JdbcIdempotencyStore.builder(dataSource)");
                }
                pool = openPool();
                source = pool;
            }

            try {
                JdbcDialect resolved = dialect != null ? dialect : detect(source);
                return new JdbcIdempotencyStore(this, source, pool, resolved);
            } catch (RuntimeException e) {
                if (pool != null) {
                    pool.close();
                }
                throw e;
            }
        }

        private HikariDataSource openPool() {
            HikariConfig config = new HikariConfig();
            config.setPoolName("idem-jdbc");
            config.setJdbcUrl(jdbcUrl);
            config.setUsername(username);
            config.setPassword(password);
            config.setMaximumPoolSize(maximumPoolSize);
            config.setConnectionTimeout(connectionTimeout.toMillis());
            config.setAutoCommit(true);
            // Failing here would make a store unusable after a database restart at boot; the
            // first operation reports an unreachable database instead.
            config.setInitializationFailTimeout(-1);
            return new HikariDataSource(config);
        }

        private JdbcDialect detect(DataSource source) {
            try (Connection connection = source.getConnection()) {
                return JdbcDialect.detect(connection.getMetaData());
            } catch (SQLException e) {
                throw new BackendException("jdbc", "detectDialect", null, "could not read the database's metadata"
                        + (jdbcUrl == null ? "" : " at " + withoutParameters(jdbcUrl))
                        + " (SQL state " + e.getSQLState() + "): " + describe(e)
                        + " Check the URL and credentials, or set the dialect on the builder.", e);
            }
        }

        /** Drops a URL's parameters, where drivers accept passwords, so that messages never carry one. */
        private static String withoutParameters(String url) {
            int end = url.length();
            for (char separator : new char[] {'?', ';'}) {
                int index = url.indexOf(separator);
                if (index >= 0 && index < end) {
                    end = index;
                }
            }
            return url.substring(0, end);
        }

        private int queryTimeoutSeconds() {
            long millis = queryTimeout.toMillis();
            return millis == 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, (millis + 999) / 1000);
        }

        private void requireOwnPool(String setting) {
            if (dataSource != null) {
                throw new IllegalStateException(setting + " applies only to a store that opens its own pool;"
                        + " configure the DataSource given to JdbcIdempotencyStore.builder(dataSource) instead");
            }
        }
    }
}
