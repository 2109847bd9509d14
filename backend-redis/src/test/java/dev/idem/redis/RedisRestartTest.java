package dev.idem.redis;

import dev.idem.BackendException;
import dev.idem.spi.ClaimRequest;
import dev.idem.spi.ClaimResult;
import dev.idem.spi.CompleteRequest;
import dev.idem.spi.CompleteResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A private server without persistence, killed and started again between claim and complete,
 * loses every record and counter. Complete then finds no record and is rejected, and a new
 * claim still gets a higher token because a new counter starts from the server's clock.
 */
class RedisRestartTest {

    private static final long LEASE = 30_000;
    private static final long RETENTION = 600_000;

    private static RedisServerProcess server;
    private static RedisClient client;
    private static RedisIdempotencyStore store;

    @BeforeAll
    static void startServer() {
        server = RedisServerProcess.start();
        client = server.client();
        store = RedisIdempotencyStore.builder(client).build();
    }

    @AfterAll
    static void stopServer() {
        store.close();
        client.close();
        server.close();
    }

    @Test
    void completeAfterRestartIsRejected() {
        long token = acquire("restart:complete");

        server.restart();
        CompleteResult result = afterReconnect(() -> store.complete(
                new CompleteRequest("restart:complete", token, new byte[]{1}, RETENTION)));

        assertThat(result).isEqualTo(new CompleteResult.Rejected(null));
    }

    @Test
    void recordIsGoneAfterRestart() {
        acquire("restart:get");

        server.restart();

        assertThat(afterReconnect(() -> store.get("restart:get"))).isEmpty();
    }

    @Test
    void tokenAfterRestartIsHigher() {
        long before = acquire("restart:token");

        server.restart();
        ClaimResult claim = afterReconnect(() -> store.claim(request("restart:token")));

        assertThat(claim).isInstanceOf(ClaimResult.Acquired.class);
        assertThat(((ClaimResult.Acquired) claim).fencingToken()).isGreaterThan(before);
    }

    @Test
    void oldHolderCannotCompleteNewClaim() {
        long oldToken = acquire("restart:fence");
        server.restart();
        long newToken = afterReconnect(() -> acquire("restart:fence"));

        CompleteResult result = store.complete(new CompleteRequest("restart:fence", oldToken, new byte[]{1}, RETENTION));

        assertThat(result).isInstanceOf(CompleteResult.Rejected.class);
        assertThat(((CompleteResult.Rejected) result).current().fencingToken()).isEqualTo(newToken);
    }

    private static long acquire(String key) {
        return ((ClaimResult.Acquired) store.claim(request(key))).fencingToken();
    }

    private static ClaimRequest request(String key) {
        return new ClaimRequest(key, null, LEASE, RETENTION, "restart-test");
    }

    /**
     * Runs a call that may first fail with {@link BackendException}, because the pool still contains
     * the connection that the restart broke, and returns the result of the retry.
     */
    private static <T> T afterReconnect(Supplier<T> call) {
        try {
            return call.get();
        } catch (BackendException e) {
            return call.get();
        }
    }
}
