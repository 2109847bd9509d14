package dev.idem.redis;

import dev.idem.spi.ClaimRequest;
import dev.idem.spi.ClaimResult;
import dev.idem.spi.CompleteRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks the documented record layout on the shared server, as an operator would read it with redis-cli. */
class RedisRecordLayoutTest {

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
    void claimWritesDocumentedFields() {
        ClaimResult.Acquired acquired = (ClaimResult.Acquired) store.claim(
                new ClaimRequest("orders:1", "fp-1", LEASE, RETENTION, "worker-7"));

        Map<String, String> hash = client.hgetAll(prefix + "{orders:1}");

        assertThat(hash).containsEntry("status", "IN_PROGRESS");
        assertThat(hash).containsEntry("token", Long.toString(acquired.fencingToken()));
        assertThat(hash).containsEntry("lease", Long.toString(acquired.leaseExpiresAt()));
        assertThat(hash).containsEntry("exp", Long.toString(acquired.now() + RETENTION));
        assertThat(hash).containsEntry("created", Long.toString(acquired.now()));
        assertThat(hash).containsEntry("completed", "0");
        assertThat(hash).containsEntry("fp", "fp-1");
        assertThat(hash).containsEntry("owner", "worker-7");
        assertThat(hash).doesNotContainKey("result");
    }

    @Test
    void claimSetsRecordExpiry() {
        ClaimResult.Acquired acquired = (ClaimResult.Acquired) store.claim(
                new ClaimRequest("orders:2", null, LEASE, RETENTION, null));

        long expiresAt = client.pexpireTime(prefix + "{orders:2}");

        assertThat(expiresAt).isEqualTo(acquired.now() + RETENTION);
    }

    @Test
    void counterOutlivesRecordByTokenRetention() {
        ClaimResult.Acquired acquired = (ClaimResult.Acquired) store.claim(
                new ClaimRequest("orders:3", null, LEASE, RETENTION, null));

        String counterKey = prefix + "{orders:3}:token";

        assertThat(client.get(counterKey)).isEqualTo(Long.toString(acquired.fencingToken()));
        assertThat(client.pexpireTime(counterKey)).isEqualTo(acquired.now() + RETENTION + 24 * 3_600_000L);
    }

    @Test
    void completeStoresResultBytes() {
        ClaimResult.Acquired acquired = (ClaimResult.Acquired) store.claim(
                new ClaimRequest("orders:4", null, LEASE, RETENTION, null));
        byte[] result = {0, (byte) 0xff, 'o', 'k'};

        store.complete(new CompleteRequest("orders:4", acquired.fencingToken(), result, RETENTION));
        byte[] recordKey = (prefix + "{orders:4}").getBytes(StandardCharsets.UTF_8);

        assertThat(client.hget(recordKey, "result".getBytes(StandardCharsets.UTF_8))).isEqualTo(result);
        assertThat(client.hget(prefix + "{orders:4}", "status")).isEqualTo("COMPLETED");
        assertThat(client.hget(prefix + "{orders:4}", "lease")).isEqualTo("0");
    }

    @Test
    void bracesInKeyAreEscaped() {
        store.claim(new ClaimRequest("a{b}%c", null, LEASE, RETENTION, null));

        assertThat(client.exists(prefix + "{a%7Bb%7D%25c}")).isTrue();
        assertThat(client.exists(prefix + "{a%7Bb%7D%25c}:token")).isTrue();
    }

    @Test
    void recordKeyMatchesStoreAccessor() {
        assertThat(store.recordKey("x}y")).isEqualTo(prefix + "{x%7Dy}");
        assertThat(store.counterKey("x}y")).isEqualTo(prefix + "{x%7Dy}:token");
    }
}
