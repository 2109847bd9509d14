package dev.idem.redis;

import dev.idem.spi.ClaimRequest;
import dev.idem.spi.ClaimResult;
import dev.idem.spi.CompleteRequest;
import dev.idem.spi.CompleteResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.util.JedisClusterCRC16;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Batches and hash tags on a three-master Cluster that the test starts for itself. */
class RedisClusterBatchTest {

    private static final long LEASE = 30_000;
    private static final long RETENTION = 600_000;

    private static RedisClusterProcess cluster;
    private static RedisClusterClient client;
    private static RedisIdempotencyStore store;

    @BeforeAll
    static void startCluster() {
        cluster = RedisClusterProcess.start();
        client = cluster.client();
        store = RedisIdempotencyStore.builder(client).build();
    }

    @AfterAll
    static void stopCluster() {
        store.close();
        client.close();
        cluster.close();
    }

    @Test
    void recordAndCounterShareSlot() {
        List<String> keys = List.of("plain", "a{b}c", "{", "}", "{}", "}{", "%7B", "", "ключ", "\uD800x", "x{y}z{w}");

        for (String key : keys) {
            long recordSlot = cluster.keySlot(store.recordKey(key));
            long counterSlot = cluster.keySlot(store.counterKey(key));

            assertThat(counterSlot).as("slot of the counter of %s", key).isEqualTo(recordSlot);
        }
    }

    @Test
    void escapedKeysStayDistinct() {
        List<String> keys = List.of("a{b", "a%7Bb", "a%257Bb", "", "%", "\uD800", "%uD800", "?");
        Set<String> recordKeys = new HashSet<>();

        for (String key : keys) {
            recordKeys.add(store.recordKey(key));
        }

        assertThat(recordKeys).hasSize(keys.size());
    }

    @Test
    void claimAllSpansNodes() {
        List<ClaimRequest> requests = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            requests.add(new ClaimRequest("spread:" + i, null, LEASE, RETENTION, null));
        }
        Set<Integer> slots = new HashSet<>();
        for (ClaimRequest request : requests) {
            slots.add(JedisClusterCRC16.getSlot(store.recordKey(request.key())));
        }

        List<ClaimResult> results = store.claimAll(requests);

        assertThat(slots.size()).as("distinct slots").isGreaterThan(3);
        assertThat(results).hasSize(60);
        assertThat(results).allMatch(result -> result instanceof ClaimResult.Acquired);
        for (int i = 0; i < 60; i++) {
            ClaimResult.Acquired acquired = (ClaimResult.Acquired) results.get(i);
            String token = client.hget(store.recordKey("spread:" + i), "token");
            assertThat(token).as("token of spread:%d", i).isEqualTo(Long.toString(acquired.fencingToken()));
        }
    }

    @Test
    void claimAllKeepsDuplicateOrder() {
        List<ClaimRequest> requests = List.of(
                new ClaimRequest("dup:a", null, LEASE, RETENTION, null),
                new ClaimRequest("dup:b", null, LEASE, RETENTION, null),
                new ClaimRequest("dup:a", null, LEASE, RETENTION, null),
                new ClaimRequest("dup:c", null, LEASE, RETENTION, null),
                new ClaimRequest("dup:b", null, LEASE, RETENTION, null));

        List<ClaimResult> results = store.claimAll(requests);

        assertThat(results.get(0)).isInstanceOf(ClaimResult.Acquired.class);
        assertThat(results.get(1)).isInstanceOf(ClaimResult.Acquired.class);
        assertThat(results.get(2)).isInstanceOf(ClaimResult.InProgress.class);
        assertThat(results.get(3)).isInstanceOf(ClaimResult.Acquired.class);
        assertThat(results.get(4)).isInstanceOf(ClaimResult.InProgress.class);
        long firstToken = ((ClaimResult.Acquired) results.get(0)).fencingToken();
        assertThat(((ClaimResult.InProgress) results.get(2)).record().fencingToken()).isEqualTo(firstToken);
    }

    @Test
    void completeAllReturnsRequestOrder() {
        List<ClaimRequest> claims = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            claims.add(new ClaimRequest("done:" + i, null, LEASE, RETENTION, null));
        }
        List<ClaimResult> claimed = store.claimAll(claims);
        List<CompleteRequest> completions = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            long token = ((ClaimResult.Acquired) claimed.get(i)).fencingToken();
            // Every fifth request presents a wrong token and must be rejected in its own position.
            long presented = i % 5 == 0 ? token + 1 : token;
            completions.add(new CompleteRequest("done:" + i, presented, ("result-" + i).getBytes(), RETENTION));
        }

        List<CompleteResult> results = store.completeAll(completions);

        for (int i = 0; i < 20; i++) {
            Class<?> expected = i % 5 == 0 ? CompleteResult.Rejected.class : CompleteResult.Stored.class;
            assertThat(results.get(i)).as("result %d", i).isInstanceOf(expected);
        }
        assertThat(store.get("done:7").orElseThrow().result()).isEqualTo("result-7".getBytes());
    }

    @Test
    void claimAllReloadsFlushedScripts() {
        store.claimAll(List.of(new ClaimRequest("flush:warm", null, LEASE, RETENTION, null)));
        cluster.flushScripts();
        List<ClaimRequest> requests = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            requests.add(new ClaimRequest("flush:" + i, null, LEASE, RETENTION, null));
        }

        List<ClaimResult> results = store.claimAll(requests);

        assertThat(results).allMatch(result -> result instanceof ClaimResult.Acquired);
    }
}
