package dev.idem.bench.jmh;

import dev.idem.ClaimOutcome;
import dev.idem.Execution;
import dev.idem.Idem;
import dev.idem.bench.Backend;
import dev.idem.bench.BackendConnection;
import dev.idem.dynamodb.DynamoDbTables;
import dev.idem.jdbc.JdbcIdempotencyStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The library's claim, complete, duplicate and batch paths on every backend, each beside the raw
 * client operation that is its floor, over the same connection pool in the same run. Run with
 * {@code -t 1} and {@code -t 8}. The pool has 8 connections, so that at 8 threads each thread can have one.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StoreBenchmark {

    /** Connections in the Redis or JDBC pool: the largest thread count the benchmarks are run with. */
    static final int POOL_SIZE = 8;

    static final String STORE_TABLE = "idem_bench_jmh";
    static final String FLOOR_TABLE = "idem_bench_floor";

    /** Long enough to outlive a run, short enough that Redis frees the keys soon after. */
    static final Duration RETENTION = Duration.ofMinutes(5);

    private static final int COMPLETED_KEYS = 200;
    private static final int BATCH_SIZE = 100;
    private static final byte[] RESULT = new byte[64];

    @Param({"memory", "redis", "postgresql", "mariadb", "h2", "dynamodb"})
    public String backend;

    private BackendConnection connection;
    private Idem idem;
    private Idem cachedIdem;
    private Floor floor;
    private String[] completedKeys;

    /** The keys of one benchmark thread: a random prefix so that threads and runs never share one. */
    @State(Scope.Thread)
    public static class ThreadKeys {
        private final String prefix = UUID.randomUUID().toString().substring(0, 12) + "-";
        private long next;
        private int duplicate;

        String newKey() {
            return prefix + next++;
        }

        List<String> newKeys(int count) {
            List<String> keys = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                keys.add(newKey());
            }
            return keys;
        }

        String completedKey(String[] completed) {
            duplicate = duplicate + 1 == completed.length ? 0 : duplicate + 1;
            return completed[duplicate];
        }
    }

    @Setup(Level.Trial)
    public void open() throws SQLException {
        Backend parsed = Backend.parse(backend);
        connection = BackendConnection.open(parsed, BenchTargets.url(parsed), STORE_TABLE, POOL_SIZE);

        if (connection.store() instanceof JdbcIdempotencyStore sql) {
            prepareTables(sql);
        }
        if (parsed == Backend.DYNAMODB) {
            connection.createTableIfMissing();
            DynamoDbTables.createTable(connection.dynamoDb(), FLOOR_TABLE);
        }
        prepare();
    }

    /**
     * Starts each iteration of the in-memory backend on an empty store, because at millions of
     * operations per second the records of a whole run would fill the heap.
     */
    @Setup(Level.Iteration)
    public void renewMemoryStore() {
        if (connection.backend() == Backend.MEMORY) {
            connection.close();
            connection = BackendConnection.open(Backend.MEMORY, null, STORE_TABLE, POOL_SIZE);
            prepare();
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        connection.close();
    }

    /** Claims a key no one has used: one conditional write on the backend. */
    @Benchmark
    public ClaimOutcome claim(ThreadKeys keys) {
        return idem.claim(keys.newKey(), null);
    }

    /** Runs the floor of {@link #claim}: the backend's plain insert-if-absent. */
    @Benchmark
    public void rawClaim(ThreadKeys keys) {
        floor.claim("raw:bench:" + keys.newKey());
    }

    /** Runs a trivial action on a new key: claim, then complete with a 64-byte result. */
    @Benchmark
    public Execution<byte[]> claimThenComplete(ThreadKeys keys) {
        return idem.execute(keys.newKey(), null, byte[].class, () -> RESULT);
    }

    /** Runs the floor of {@link #claimThenComplete}: insert-if-absent, then an update of the same key. */
    @Benchmark
    public void rawClaimThenComplete(ThreadKeys keys) {
        String key = "raw:bench:" + keys.newKey();
        floor.claim(key);
        floor.complete(key, RESULT);
    }

    /** Replays a completed record that the backend returns from the claim's round trip. */
    @Benchmark
    public Execution<byte[]> duplicateFromBackend(ThreadKeys keys) {
        return idem.execute(keys.completedKey(completedKeys), null, byte[].class, () -> RESULT);
    }

    /** Replays a completed record from the local cache, with no round trip. */
    @Benchmark
    public Execution<byte[]> duplicateFromCache(ThreadKeys keys) {
        return cachedIdem.execute(keys.completedKey(completedKeys), null, byte[].class, () -> RESULT);
    }

    /** Claims 100 new keys in one call; compare with 100 times {@link #claim}. */
    @Benchmark
    public List<ClaimOutcome> batchClaim100(ThreadKeys keys) {
        return idem.claimAll(keys.newKeys(BATCH_SIZE), null);
    }

    private void prepare() {
        Backend parsed = connection.backend();
        idem = Idem.builder(connection.store()).namespace("bench").retention(RETENTION).build();
        cachedIdem = Idem.builder(connection.store()).namespace("bench").retention(RETENTION)
                .localCache(COMPLETED_KEYS * 2L, RETENTION).build();
        floor = switch (parsed) {
            case MEMORY -> new MemoryFloor();
            case REDIS -> new RedisFloor(connection.redis(), RETENTION.toMillis());
            case POSTGRESQL, MARIADB, H2 -> new SqlFloor(parsed, connection.dataSource(), FLOOR_TABLE,
                    RETENTION.toMillis());
            case DYNAMODB -> new DynamoDbFloor(connection.dynamoDb(), FLOOR_TABLE, RETENTION.toMillis());
        };

        // Completed records for the duplicate benchmarks, read once through the cache so that it contains them all.
        String prefix = "done-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        completedKeys = new String[COMPLETED_KEYS];
        for (int i = 0; i < COMPLETED_KEYS; i++) {
            completedKeys[i] = prefix + i;
            idem.execute(completedKeys[i], null, byte[].class, () -> RESULT);
            cachedIdem.execute(completedKeys[i], null, byte[].class, () -> RESULT);
        }
    }

    /** Creates both tables with the store's own DDL and empties them, so that every trial starts alike. */
    private void prepareTables(JdbcIdempotencyStore store) throws SQLException {
        store.createTableIfMissing();
        try (JdbcIdempotencyStore floorStore = JdbcIdempotencyStore.builder(connection.dataSource())
                .table(FLOOR_TABLE).dialect(store.dialect()).build()) {
            floorStore.createTableIfMissing();
        }
        try (Connection sql = connection.dataSource().getConnection(); Statement statement = sql.createStatement()) {
            statement.execute("TRUNCATE TABLE " + STORE_TABLE);
            statement.execute("TRUNCATE TABLE " + FLOOR_TABLE);
        }
    }
}
