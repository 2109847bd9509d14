package dev.idem.redis;

import dev.idem.BackendException;
import dev.idem.spi.ClaimRequest;
import dev.idem.spi.ClaimResult;
import dev.idem.spi.CompleteRequest;
import dev.idem.spi.CompleteResult;
import dev.idem.spi.IdempotencyRecord;
import dev.idem.spi.RecordStatus;
import dev.idem.testkit.fault.TcpProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisConnectionException;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Connections cut while a script runs. The store talks to a private server through a TCP proxy
 * that lets requests through but drops or cuts the replies, so the write takes effect and the
 * client never learns it. The store must raise {@link BackendException}, and a retry must see
 * the record as the server stored it.
 */
class RedisConnectionFaultTest {

    private static final long LEASE = 30_000;
    private static final long RETENTION = 600_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    private static RedisServerProcess server;
    private static RedisClient admin;

    private TcpProxy proxy;
    private RedisIdempotencyStore store;

    @BeforeAll
    static void startServer() {
        server = RedisServerProcess.start();
        admin = server.client();
    }

    @AfterAll
    static void stopServer() {
        admin.close();
        server.close();
    }

    @BeforeEach
    void startProxy() throws IOException {
        admin.flushAll();
        proxy = TcpProxy.start("127.0.0.1", server.port());
        store = RedisIdempotencyStore.builder()
                .url("redis://" + proxy.host() + ":" + proxy.port())
                .timeout(TIMEOUT)
                .build();
        warmUp();
    }

    @AfterEach
    void stopProxy() {
        store.close();
        proxy.close();
    }

    @Test
    void cutDuringClaimRaisesBackendException() {
        proxy.dropResponses(true);
        CompletableFuture<ClaimResult> claim = CompletableFuture.supplyAsync(() -> store.claim(request("cut:claim")));
        await().atMost(Duration.ofSeconds(5)).until(() -> admin.exists(store.recordKey("cut:claim")));

        proxy.resetConnections();

        Throwable error = failure(claim);
        assertThat(error).isInstanceOf(BackendException.class);
        assertThat(error.getCause()).isInstanceOf(JedisConnectionException.class);
    }

    @Test
    void retryAfterCutClaimSeesRecord() {
        proxy.dropResponses(true);
        CompletableFuture<ClaimResult> claim = CompletableFuture.supplyAsync(() -> store.claim(request("cut:retry")));
        await().atMost(Duration.ofSeconds(5)).until(() -> admin.exists(store.recordKey("cut:retry")));
        proxy.resetConnections();
        failure(claim);
        proxy.dropResponses(false);

        ClaimResult retry = store.claim(request("cut:retry"));

        assertThat(retry).isInstanceOf(ClaimResult.InProgress.class);
        IdempotencyRecord record = ((ClaimResult.InProgress) retry).record();
        assertThat(record.fencingToken()).isEqualTo(storedToken("cut:retry"));
        assertThat(record.owner()).isEqualTo("fault-test");
    }

    @Test
    void cutDuringCompleteRaisesBackendException() {
        long token = acquire("cut:complete");
        proxy.dropResponses(true);
        CompletableFuture<CompleteResult> complete = CompletableFuture.supplyAsync(() -> store.complete(
                new CompleteRequest("cut:complete", token, new byte[]{7}, RETENTION)));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> "COMPLETED".equals(admin.hget(store.recordKey("cut:complete"), "status")));

        proxy.resetConnections();

        Throwable error = failure(complete);
        assertThat(error).isInstanceOf(BackendException.class);
        assertThat(error.getCause()).isInstanceOf(JedisConnectionException.class);
    }

    @Test
    void retryAfterCutCompleteSeesResult() {
        long token = acquire("cut:complete-retry");
        proxy.dropResponses(true);
        CompletableFuture<CompleteResult> complete = CompletableFuture.supplyAsync(() -> store.complete(
                new CompleteRequest("cut:complete-retry", token, new byte[]{7}, RETENTION)));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> "COMPLETED".equals(admin.hget(store.recordKey("cut:complete-retry"), "status")));
        proxy.resetConnections();
        failure(complete);
        proxy.dropResponses(false);

        ClaimResult duplicate = store.claim(request("cut:complete-retry"));
        CompleteResult again = store.complete(new CompleteRequest("cut:complete-retry", token, new byte[]{7}, RETENTION));

        assertThat(duplicate).isInstanceOf(ClaimResult.Completed.class);
        assertThat(((ClaimResult.Completed) duplicate).record().result()).isEqualTo(new byte[]{7});
        // The first complete took effect, so repeating it finds a COMPLETED record under the caller's own token.
        assertThat(again).isInstanceOf(CompleteResult.Rejected.class);
        assertThat(((CompleteResult.Rejected) again).current().fencingToken()).isEqualTo(token);
        assertThat(((CompleteResult.Rejected) again).current().status()).isEqualTo(RecordStatus.COMPLETED);
    }

    @Test
    void lostReplyTimesOut() {
        proxy.dropResponses(true);

        assertThatThrownBy(() -> store.claim(request("timeout")))
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("timed out");
        assertThat(admin.exists(store.recordKey("timeout"))).isTrue();
    }

    @Test
    void refusedConnectionLeavesNoRecord() {
        proxy.resetConnections();
        proxy.refuseConnections();

        assertThatThrownBy(() -> store.claim(request("refused")))
                .isInstanceOf(BackendException.class);
        assertThat(admin.exists(store.recordKey("refused"))).isFalse();

        proxy.acceptConnections();
        assertThat(retry(() -> store.claim(request("refused")))).isInstanceOf(ClaimResult.Acquired.class);
    }

    @Test
    void cutDuringBatchLeavesConsistentRecords() {
        List<ClaimRequest> requests = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            requests.add(request("cut:batch:" + i));
        }
        proxy.dropResponses(true);
        CompletableFuture<List<ClaimResult>> batch = CompletableFuture.supplyAsync(() -> store.claimAll(requests));
        await().atMost(Duration.ofSeconds(5)).until(() -> admin.exists(store.recordKey("cut:batch:19")));
        proxy.resetConnections();
        Throwable error = failure(batch);
        proxy.dropResponses(false);

        List<ClaimResult> retry = store.claimAll(requests);

        assertThat(error).isInstanceOf(BackendException.class);
        for (int i = 0; i < 20; i++) {
            assertThat(retry.get(i)).as("retry of cut:batch:%d", i).isInstanceOf(ClaimResult.InProgress.class);
            long token = ((ClaimResult.InProgress) retry.get(i)).record().fencingToken();
            assertThat(token).as("token of cut:batch:%d", i).isEqualTo(storedToken("cut:batch:" + i));
        }
    }

    /**
     * Opens the pooled connection and loads every script while replies still arrive, so that the
     * cut calls below are the store's own requests and not the connection handshake or SCRIPT LOAD.
     */
    private void warmUp() {
        long token = acquire("warm-up");
        store.extend("warm-up", token, LEASE);
        store.release("warm-up", token);
        token = acquire("warm-up");
        store.complete(new CompleteRequest("warm-up", token, new byte[0], RETENTION));
        store.get("warm-up");
    }

    private long acquire(String key) {
        return ((ClaimResult.Acquired) store.claim(request(key))).fencingToken();
    }

    private long storedToken(String key) {
        return Long.parseLong(admin.hget(store.recordKey(key), "token"));
    }

    private static ClaimRequest request(String key) {
        return new ClaimRequest(key, null, LEASE, RETENTION, "fault-test");
    }

    /** Waits for a call that must fail and returns its exception. */
    private static Throwable failure(CompletableFuture<?> call) {
        try {
            call.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | CompletionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError("The call did not fail within 10 s", e);
        }
        throw new AssertionError("The call succeeded although its connection was cut");
    }

    /**
     * Runs a call once more when it fails with {@link BackendException}, because the pool may
     * still hold a connection that the proxy cut.
     */
    private static <T> T retry(Supplier<T> call) {
        try {
            return call.get();
        } catch (BackendException e) {
            return call.get();
        }
    }
}
