package dev.idem.redis;

import dev.idem.spi.ClaimRequest;
import dev.idem.spi.ClaimResult;
import dev.idem.spi.CompleteRequest;
import dev.idem.spi.CompleteResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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

    @Test
    void counterExpiryNeverMovesIn() {
        String counterKey = prefix + "{orders:5}:token";
        ClaimResult.Acquired first = (ClaimResult.Acquired) store.claim(
                new ClaimRequest("orders:5", null, LEASE, 10 * RETENTION, null));
        long firstExpiry = client.pexpireTime(counterKey);
        store.release("orders:5", first.fencingToken());

        ClaimResult.Acquired second = (ClaimResult.Acquired) store.claim(
                new ClaimRequest("orders:5", null, LEASE, RETENTION, null));

        assertThat(second.fencingToken()).isEqualTo(first.fencingToken() + 1);
        assertThat(client.get(counterKey)).isEqualTo(Long.toString(second.fencingToken()));
        assertThat(client.pexpireTime(counterKey)).isEqualTo(firstExpiry);
    }

    @Test
    void persistentCounterStaysPersistent() {
        String counterKey = prefix + "{orders:6}:token";
        ClaimResult.Acquired first = (ClaimResult.Acquired) store.claim(
                new ClaimRequest("orders:6", null, LEASE, RETENTION, null));
        client.persist(counterKey);
        store.release("orders:6", first.fencingToken());

        ClaimResult.Acquired second = (ClaimResult.Acquired) store.claim(
                new ClaimRequest("orders:6", null, LEASE, RETENTION, null));
        store.complete(new CompleteRequest("orders:6", second.fencingToken(), new byte[] {1}, RETENTION));

        assertThat(client.get(counterKey)).isEqualTo(Long.toString(second.fencingToken()));
        assertThat(client.pttl(counterKey)).isEqualTo(-1);
    }

    @Test
    void completeRecreatesLostCounter() {
        String counterKey = prefix + "{orders:7}:token";
        ClaimResult.Acquired acquired = (ClaimResult.Acquired) store.claim(
                new ClaimRequest("orders:7", null, LEASE, RETENTION, null));
        client.del(counterKey);

        CompleteResult result = store.complete(
                new CompleteRequest("orders:7", acquired.fencingToken(), new byte[] {1}, 2 * RETENTION));

        CompleteResult.Stored stored = (CompleteResult.Stored) result;
        assertThat(client.get(counterKey)).isEqualTo(Long.toString(acquired.fencingToken()));
        assertThat(client.pexpireTime(counterKey)).isEqualTo(stored.expiresAt() + 24 * 3_600_000L);
    }

    @Test
    void takeoverLeavesNoFieldOfPreviousClaim() {
        String recordKey = prefix + "{orders:8}";
        store.claim(new ClaimRequest("orders:8", "fp-8", 1, RETENTION, "worker-1"));

        // A refused claim writes nothing, so the test claims until the 1 ms lease is over.
        ClaimResult result = await().atMost(Duration.ofSeconds(5)).until(
                () -> store.claim(new ClaimRequest("orders:8", null, LEASE, RETENTION, null)),
                claim -> claim instanceof ClaimResult.Acquired);

        ClaimResult.Acquired takeover = (ClaimResult.Acquired) result;

        Map<String, String> hash = client.hgetAll(recordKey);
        assertThat(takeover.takeover()).isTrue();
        assertThat(hash).containsEntry("token", Long.toString(takeover.fencingToken()));
        assertThat(hash).containsEntry("fp", "fp-8");
        assertThat(hash).doesNotContainKey("owner");
    }
}
