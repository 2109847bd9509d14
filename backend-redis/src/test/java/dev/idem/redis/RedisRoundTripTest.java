package dev.idem.redis;

import dev.idem.spi.ClaimRequest;
import dev.idem.spi.ClaimResult;
import dev.idem.spi.CompleteRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Counts round trips and EVALSHA calls per operation on a private server: the client's socket
 * counts each switch from writing to reading, and INFO commandstats counts the server's calls.
 */
class RedisRoundTripTest {

    private static final long LEASE = 30_000;
    private static final long RETENTION = 600_000;
    private static final int BATCH = 50;
    private static final Pattern EVALSHA_CALLS = Pattern.compile("cmdstat_evalsha:calls=(\\d+)");

    private static RedisServerProcess server;
    private static RedisClient admin;
    private static RoundTripCounter counter;
    private static RedisClient client;
    private static RedisIdempotencyStore store;

    private int roundTripsBefore;
    private long evalshaBefore;

    @BeforeAll
    static void startServer() {
        server = RedisServerProcess.start();
        admin = server.client();
        counter = new RoundTripCounter(server.address());
        client = counter.client();
        store = RedisIdempotencyStore.builder(client).build();
    }

    @AfterAll
    static void stopServer() {
        store.close();
        client.close();
        admin.close();
        server.close();
    }

    @BeforeEach
    void warmUpAndMark() {
        warmUp();
        mark();
    }

    @Test
    void claimTakesOneRoundTrip() {
        store.claim(request("claim"));

        assertThat(roundTrips()).isEqualTo(1);
        assertThat(evalsha()).isEqualTo(1);
    }

    @Test
    void duplicateClaimTakesOneRoundTrip() {
        store.claim(request("duplicate"));
        mark();

        ClaimResult duplicate = store.claim(request("duplicate"));

        assertThat(duplicate).isInstanceOf(ClaimResult.InProgress.class);
        assertThat(roundTrips()).isEqualTo(1);
        assertThat(evalsha()).isEqualTo(1);
    }

    @Test
    void completeTakesOneRoundTrip() {
        long token = acquire("complete");
        mark();

        store.complete(new CompleteRequest("complete", token, new byte[]{1, 2, 3}, RETENTION));

        assertThat(roundTrips()).isEqualTo(1);
        assertThat(evalsha()).isEqualTo(1);
    }

    @Test
    void releaseTakesOneRoundTrip() {
        long token = acquire("release");
        mark();

        boolean released = store.release("release", token);

        assertThat(released).isTrue();
        assertThat(roundTrips()).isEqualTo(1);
        assertThat(evalsha()).isEqualTo(1);
    }

    @Test
    void claimAllTakesOneRoundTrip() {
        List<ClaimRequest> requests = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            requests.add(request("batch-claim:" + i));
        }

        store.claimAll(requests);

        assertThat(roundTrips()).isEqualTo(1);
        assertThat(evalsha()).isEqualTo(BATCH);
    }

    @Test
    void completeAllTakesOneRoundTrip() {
        List<ClaimRequest> claims = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            claims.add(request("batch-complete:" + i));
        }
        List<ClaimResult> acquired = store.claimAll(claims);
        List<CompleteRequest> completions = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            long token = ((ClaimResult.Acquired) acquired.get(i)).fencingToken();
            completions.add(new CompleteRequest("batch-complete:" + i, token, new byte[]{(byte) i}, RETENTION));
        }
        mark();

        store.completeAll(completions);

        assertThat(roundTrips()).isEqualTo(1);
        assertThat(evalsha()).isEqualTo(BATCH);
    }

    @Test
    void flushedScriptCostsTwoMoreRoundTrips() {
        admin.scriptFlush();
        mark();

        ClaimResult result = store.claim(request("after-flush"));

        // EVALSHA failed with NOSCRIPT, then SCRIPT LOAD, then EVALSHA again.
        assertThat(result).isInstanceOf(ClaimResult.Acquired.class);
        assertThat(roundTrips()).isEqualTo(3);
        assertThat(evalsha()).isEqualTo(2);
    }

    /** Runs every script once so that the counted calls find them cached, even after a test flushed them. */
    private static void warmUp() {
        String key = "warm-up:" + UUID.randomUUID();
        long token = acquire(key);
        store.extend(key, token, LEASE);
        store.get(key);
        store.release(key, token);
        token = acquire(key);
        store.complete(new CompleteRequest(key, token, new byte[0], RETENTION));
    }

    private static long acquire(String key) {
        return ((ClaimResult.Acquired) store.claim(request(key))).fencingToken();
    }

    private static ClaimRequest request(String key) {
        return new ClaimRequest(key, null, LEASE, RETENTION, "round-trip-test");
    }

    private void mark() {
        roundTripsBefore = counter.roundTrips();
        evalshaBefore = evalshaCalls();
    }

    private int roundTrips() {
        return counter.roundTrips() - roundTripsBefore;
    }

    private long evalsha() {
        return evalshaCalls() - evalshaBefore;
    }

    private static long evalshaCalls() {
        Matcher matcher = EVALSHA_CALLS.matcher(admin.info("commandstats"));
        return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
    }
}
