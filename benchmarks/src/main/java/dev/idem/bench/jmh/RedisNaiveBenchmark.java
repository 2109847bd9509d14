package dev.idem.bench.jmh;

import dev.idem.bench.Backend;
import dev.idem.bench.BackendConnection;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The duplicate check of libraries that do not read the record back with the claim, on Redis:
 * a failed {@code SET NX}, then a {@code GET} for the status, then a {@code GET} for the result.
 * Compare with {@code StoreBenchmark.duplicateFromBackend} on redis, which needs one round trip.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RedisNaiveBenchmark {

    private static final int COMPLETED_KEYS = 200;

    private BackendConnection connection;
    private RedisFloor floor;
    private String[] completedKeys;

    /** The position of one benchmark thread in the completed keys. */
    @State(Scope.Thread)
    public static class Cursor {
        private int index;

        String next(String[] keys) {
            index = index + 1 == keys.length ? 0 : index + 1;
            return keys[index];
        }
    }

    @Setup(Level.Trial)
    public void open() {
        connection = BackendConnection.open(Backend.REDIS, BenchTargets.url(Backend.REDIS), StoreBenchmark.STORE_TABLE,
                StoreBenchmark.POOL_SIZE);
        floor = new RedisFloor(connection.redis(), StoreBenchmark.RETENTION.toMillis());

        String prefix = "raw:bench:done-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        completedKeys = new String[COMPLETED_KEYS];
        for (int i = 0; i < COMPLETED_KEYS; i++) {
            completedKeys[i] = prefix + i;
            floor.claim(completedKeys[i]);
            floor.complete(completedKeys[i], new byte[64]);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        connection.close();
    }

    /** Three round trips per duplicate: SET NX, GET, GET. */
    @Benchmark
    public byte[] naiveDuplicate(Cursor cursor) {
        return floor.naiveDuplicate(cursor.next(completedKeys));
    }
}
