package dev.idem.redis;

import dev.idem.CorruptRecordException;
import dev.idem.spi.ClaimRequest;
import dev.idem.spi.ClaimResult;
import dev.idem.spi.CompleteRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A value at an Idem key that is not an Idem record is reported and never overwritten. */
class RedisCorruptRecordTest {

    private static final long LEASE = 30_000;
    private static final long RETENTION = 600_000;

    private static RedisClient client;
    private static String prefix;
    private static RedisIdempotencyStore store;

    @BeforeAll
    static void connect() {
        client = TestRedis.connect();
        prefix = TestRedis.uniquePrefix();
        store = RedisIdempotencyStore.builder(client).keyPrefix(prefix).build();
    }

    @AfterAll
    static void cleanUp() {
        TestRedis.deleteKeys(client, prefix);
        store.close();
        client.close();
    }

    @Test
    void stringAtKeyFailsClaim() {
        client.set(store.recordKey("plain"), "not a record");

        CorruptRecordException error = catchThrowableOfType(CorruptRecordException.class,
                () -> store.claim(new ClaimRequest("plain", null, LEASE, RETENTION, null)));

        assertThat(error.key()).isEqualTo("plain");
        assertThat(error.operation()).isEqualTo("claim");
        assertThat(error.getMessage()).contains(store.recordKey("plain"));
        assertThat(error.getMessage()).contains("it is a string");
        assertThat(error.getMessage()).contains("DEL");
        assertThat(client.get(store.recordKey("plain"))).isEqualTo("not a record");
    }

    @Test
    void stringAtKeyIsNotGivenExpiry() {
        client.set(store.recordKey("no-ttl"), "value");

        assertThatThrownBy(() -> store.claim(new ClaimRequest("no-ttl", null, LEASE, RETENTION, null)))
                .isInstanceOf(CorruptRecordException.class);

        assertThat(client.pttl(store.recordKey("no-ttl"))).isEqualTo(-1L);
        assertThat(client.exists(store.counterKey("no-ttl"))).isFalse();
    }

    @Test
    void foreignHashFailsEveryOperation() {
        String recordKey = store.recordKey("foreign");
        client.hset(recordKey, Map.of("name", "someone else's"));

        assertThatThrownBy(() -> store.claim(new ClaimRequest("foreign", null, LEASE, RETENTION, null)))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("field 'status'");
        assertThatThrownBy(() -> store.complete(new CompleteRequest("foreign", 1, new byte[]{1}, RETENTION)))
                .isInstanceOf(CorruptRecordException.class);
        assertThatThrownBy(() -> store.extend("foreign", 1, LEASE))
                .isInstanceOf(CorruptRecordException.class);
        assertThatThrownBy(() -> store.release("foreign", 1))
                .isInstanceOf(CorruptRecordException.class);
        assertThatThrownBy(() -> store.get("foreign"))
                .isInstanceOf(CorruptRecordException.class);
        assertThat(client.hgetAll(recordKey)).isEqualTo(Map.of("name", "someone else's"));
    }

    @Test
    void invalidTokenFieldIsNamed() {
        client.hset(store.recordKey("bad-token"), Map.of("status", "IN_PROGRESS", "token", "abc",
                "lease", "0", "exp", "0", "created", "0", "completed", "0"));

        assertThatThrownBy(() -> store.get("bad-token"))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("field 'token'");
    }

    @Test
    void listAtCounterFailsClaim() {
        client.rpush(store.counterKey("counter"), "x");

        CorruptRecordException error = catchThrowableOfType(CorruptRecordException.class,
                () -> store.claim(new ClaimRequest("counter", null, LEASE, RETENTION, null)));

        assertThat(error.getMessage()).contains(store.counterKey("counter"));
        assertThat(error.getMessage()).contains("it is a list");
        assertThat(client.exists(store.recordKey("counter"))).isFalse();
        assertThat(client.lrange(store.counterKey("counter"), 0, -1)).isEqualTo(List.of("x"));
    }

    @Test
    void textAtCounterFailsComplete() {
        ClaimResult.Acquired acquired = (ClaimResult.Acquired) store.claim(
                new ClaimRequest("counter-text", null, LEASE, RETENTION, null));
        client.set(store.counterKey("counter-text"), "seven");

        assertThatThrownBy(() -> store.complete(new CompleteRequest("counter-text", acquired.fencingToken(),
                new byte[]{1}, RETENTION)))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("fencing-token counter");
        assertThat(client.hget(store.recordKey("counter-text"), "status")).isEqualTo("IN_PROGRESS");
        assertThat(client.get(store.counterKey("counter-text"))).isEqualTo("seven");
    }

    @Test
    void corruptKeyInBatchFailsBatch() {
        client.set(store.recordKey("batch-bad"), "x");

        assertThatThrownBy(() -> store.claimAll(List.of(
                new ClaimRequest("batch-good", null, LEASE, RETENTION, null),
                new ClaimRequest("batch-bad", null, LEASE, RETENTION, null))))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining(store.recordKey("batch-bad"));
        assertThat(client.get(store.recordKey("batch-bad"))).isEqualTo("x");
    }
}
