package dev.idem;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import dev.idem.event.IdempotencyEvent;
import dev.idem.event.IdempotencyEventType;
import dev.idem.memory.InMemoryIdempotencyStore;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Backend failure policies, the local cache, listeners and logging. */
class IdemPoliciesTest {

    private MutableClock clock;
    private FaultyStore store;
    private final AtomicInteger runs = new AtomicInteger();
    private final List<IdempotencyEvent> events = new CopyOnWriteArrayList<>();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private Logger idemLogger;

    @BeforeEach
    void setUp() {
        clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        store = new FaultyStore(InMemoryIdempotencyStore.builder().clock(clock).build());
        idemLogger = (Logger) LoggerFactory.getLogger("dev.idem");
        idemLogger.setLevel(Level.DEBUG);
        // Keep the expected warnings out of the build output; the list appender still records them.
        idemLogger.setAdditive(false);
        logs.start();
        idemLogger.addAppender(logs);
    }

    @AfterEach
    void tearDown() {
        idemLogger.detachAppender(logs);
        idemLogger.setLevel(Level.INFO);
        idemLogger.setAdditive(true);
    }

    private IdemBuilder builder() {
        return Idem.builder(store).namespace("orders").clock(clock).listener(events::add);
    }

    private String run(String value) {
        runs.incrementAndGet();
        return value;
    }

    @Test
    void failClosedDoesNotRunAction() {
        Idem idem = builder().build();
        store.failClaims = true;

        assertThatThrownBy(() -> idem.execute("k1", null, String.class, () -> run("x")))
                .isInstanceOfSatisfying(BackendException.class, e -> {
                    assertThat(e.operation()).isEqualTo("claim");
                    assertThat(e.key()).isEqualTo("orders:k1");
                });
        assertThat(runs).hasValue(0);
    }

    @Test
    void failOpenRunsActionUnprotected() {
        Idem idem = builder().onBackendFailure(BackendFailurePolicy.FAIL_OPEN).build();
        store.failClaims = true;

        Execution<String> result = idem.execute("k1", null, String.class, () -> run("x"));

        assertThat(result.source()).isEqualTo(Source.EXECUTED_UNPROTECTED);
        assertThat(result.value()).isEqualTo("x");
        assertThat(events).extracting(IdempotencyEvent::type).contains(IdempotencyEventType.FAIL_OPEN);
        assertThat(logs.list).anyMatch(e -> e.getLevel() == Level.WARN && e.getFormattedMessage().contains("fails open"));
    }

    @Test
    void failedCompletionIsReportedWhenFailingClosed() {
        Idem idem = builder().build();
        store.failCompletes = true;

        assertThatThrownBy(() -> idem.execute("k1", null, String.class, () -> run("x")))
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("the action ran but its result was not recorded");
        assertThat(runs).hasValue(1);
    }

    @Test
    void failedReleaseKeepsActionException() {
        Idem idem = builder().build();
        store.failReleases = true;

        assertThatThrownBy(() -> idem.execute("k1", null, String.class, () -> {
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class)
                .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));
    }

    @Test
    void cacheAnswersDuplicateWithoutRoundTrip() {
        Idem idem = builder().localCache(100, Duration.ofMinutes(5)).build();
        idem.execute("k1", null, String.class, () -> run("x"));
        int claimsBefore = store.claims.get();

        Execution<String> replay = idem.execute("k1", null, String.class, () -> run("y"));

        assertThat(replay.source()).isEqualTo(Source.REPLAYED_FROM_CACHE);
        assertThat(replay.value()).isEqualTo("x");
        assertThat(store.claims.get()).isEqualTo(claimsBefore);
    }

    @Test
    void cacheIsFilledByReplayFromStore() {
        Idem writer = builder().build();
        Idem reader = builder().localCache(100, Duration.ofMinutes(5)).build();
        writer.execute("k1", null, String.class, () -> run("x"));

        assertThat(reader.execute("k1", null, String.class, () -> run("y")).source()).isEqualTo(Source.REPLAYED);
        assertThat(reader.execute("k1", null, String.class, () -> run("y")).source())
                .isEqualTo(Source.REPLAYED_FROM_CACHE);
    }

    @Test
    void cacheNeverServesPastExpiry() {
        Idem idem = builder().retention(Duration.ofMinutes(1)).localCache(100, Duration.ofHours(1)).build();
        idem.execute("k1", null, String.class, () -> run("x"));
        clock.advance(Duration.ofSeconds(61));

        Execution<String> again = idem.execute("k1", null, String.class, () -> run("y"));

        assertThat(again.source()).isEqualTo(Source.EXECUTED);
        assertThat(again.value()).isEqualTo("y");
    }

    @Test
    void cacheChecksFingerprintBeforeServing() {
        Idem idem = builder().localCache(100, Duration.ofMinutes(5)).build();
        idem.execute("k1", "{\"amount\":1}", String.class, () -> run("x"));

        assertThatThrownBy(() -> idem.execute("k1", "{\"amount\":2}", String.class, () -> run("y")))
                .isInstanceOf(FingerprintMismatchException.class);
        assertThat(runs).hasValue(1);
    }

    @Test
    void cacheFilledByManualCompleteChecksFingerprint() {
        Idem idem = builder().localCache(100, Duration.ofMinutes(5)).build();
        Lease lease = ((ClaimOutcome.Acquired) idem.claim("k1", "{\"amount\":1}")).lease();
        idem.complete(lease, "x", String.class);

        assertThatThrownBy(() -> idem.execute("k1", "{\"amount\":2}", String.class, () -> run("y")))
                .isInstanceOf(FingerprintMismatchException.class);
        assertThat(idem.execute("k1", "{\"amount\":1}", String.class, () -> run("y")).source())
                .isEqualTo(Source.REPLAYED_FROM_CACHE);
    }

    @Test
    void cacheHoldsNoFailures() {
        Idem idem = builder().localCache(100, Duration.ofMinutes(5))
                .onFailure(FailurePolicy.storeFailuresWhere(e -> true)).build();
        assertThatThrownBy(() -> idem.execute("k1", null, String.class, () -> {
            throw new IllegalArgumentException("declined");
        })).isInstanceOf(IllegalArgumentException.class);
        int claimsBefore = store.claims.get();

        assertThatThrownBy(() -> idem.execute("k1", null, String.class, () -> run("y")))
                .isInstanceOf(ReplayedFailureException.class);
        assertThat(store.claims.get()).isEqualTo(claimsBefore + 1);
    }

    @Test
    void listenerSeesEveryOutcomeWithLatency() {
        Idem idem = builder().build();
        idem.execute("k1", null, String.class, () -> run("x"));
        idem.execute("k1", null, String.class, () -> run("x"));

        assertThat(events).extracting(IdempotencyEvent::type).containsExactly(
                IdempotencyEventType.ACQUIRED, IdempotencyEventType.COMPLETED, IdempotencyEventType.REPLAYED);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.latency().isNegative()).isFalse();
            assertThat(e.namespace()).isEqualTo("orders");
            assertThat(e.key()).isEqualTo("orders:k1");
        });
    }

    @Test
    void throwingListenerIsLoggedAndIgnored() {
        Idem idem = Idem.builder(store).namespace("orders").clock(clock).listener(e -> {
            throw new IllegalStateException("metrics down");
        }).build();

        Execution<String> result = idem.execute("k1", null, String.class, () -> run("x"));

        assertThat(result.value()).isEqualTo("x");
        assertThat(logs.list).anyMatch(e -> e.getLevel() == Level.WARN && e.getFormattedMessage().contains("listener"));
    }

    @Test
    void logsNeverContainResultsOrPayloads() {
        Idem idem = builder().localCache(10, Duration.ofMinutes(1)).build();
        String secretPayload = "{\"card\":\"4111-SECRET-PAYLOAD\"}";

        idem.execute("k1", secretPayload, String.class, () -> run("SECRET-RESULT"));
        idem.execute("k1", secretPayload, String.class, () -> run("SECRET-RESULT"));
        assertThatThrownBy(() -> idem.execute("k1", "{\"card\":\"other\"}", String.class, () -> run("x")))
                .isInstanceOf(FingerprintMismatchException.class);

        assertThat(logs.list).isNotEmpty();
        assertThat(logs.list).noneMatch(e -> e.getFormattedMessage().contains("SECRET"));
    }

    @Test
    void takeoverIsLoggedAtInfo() {
        Idem idem = builder().lease(Duration.ofSeconds(5)).build();
        idem.claim("k1", null);
        clock.advance(Duration.ofSeconds(6));

        idem.execute("k1", null, String.class, () -> run("x"));

        assertThat(logs.list).anyMatch(e -> e.getLevel() == Level.INFO && e.getFormattedMessage().contains("took over"));
        assertThat(events).extracting(IdempotencyEvent::type).contains(IdempotencyEventType.TAKEOVER);
    }
}
