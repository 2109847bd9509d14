package dev.idem.redis;

import dev.idem.spi.ClaimRequest;
import dev.idem.spi.ClaimResult;
import dev.idem.spi.CompleteRequest;
import dev.idem.spi.CompleteResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisSentinelClient;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The store on a {@code RedisSentinelClient}: a private master and a private Sentinel that monitors it. */
class RedisSentinelTest {

    private static final String MASTER_NAME = "idem-test-master";

    private static RedisServerProcess master;
    private static RedisServerProcess sentinel;
    private static RedisSentinelClient client;
    private static RedisIdempotencyStore store;

    @BeforeAll
    static void startSentinel() {
        master = RedisServerProcess.start();
        sentinel = RedisServerProcess.startSentinel(master.address(), MASTER_NAME);
        try (Connection sentinelConnection = new Connection(sentinel.address())) {
            await().atMost(Duration.ofSeconds(10)).until(() -> sentinelConnection.executeCommand(
                    new CommandArguments(Protocol.Command.SENTINEL).add("get-master-addr-by-name").add(MASTER_NAME)) != null);
        }
        client = RedisSentinelClient.builder()
                .masterName(MASTER_NAME)
                .sentinels(Set.of(sentinel.address()))
                .build();
        store = RedisIdempotencyStore.builder(client).build();
    }

    @AfterAll
    static void stopSentinel() {
        store.close();
        client.close();
        sentinel.close();
        master.close();
    }

    @Test
    void claimAndCompleteThroughSentinel() {
        ClaimResult.Acquired acquired = (ClaimResult.Acquired) store.claim(
                new ClaimRequest("sentinel:1", null, 10_000, 60_000, null));

        CompleteResult result = store.complete(new CompleteRequest("sentinel:1", acquired.fencingToken(),
                new byte[]{1}, 60_000));

        assertThat(result).isInstanceOf(CompleteResult.Stored.class);
        try (RedisClient direct = master.client()) {
            assertThat(direct.hget("idem:{sentinel:1}", "status")).isEqualTo("COMPLETED");
        }
    }

    @Test
    void claimAllThroughSentinel() {
        List<ClaimResult> results = store.claimAll(List.of(
                new ClaimRequest("sentinel:a", null, 10_000, 60_000, null),
                new ClaimRequest("sentinel:a", null, 10_000, 60_000, null)));

        assertThat(results.get(0)).isInstanceOf(ClaimResult.Acquired.class);
        assertThat(results.get(1)).isInstanceOf(ClaimResult.InProgress.class);
    }
}
