package dev.idem;

import dev.idem.codec.ResultType;
import dev.idem.memory.InMemoryIdempotencyStore;
import dev.idem.spi.IdempotencyRecord;
import dev.idem.spi.RecordStatus;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdemExecuteTest {

    private MutableClock clock;
    private InMemoryIdempotencyStore store;
    private Idem idem;
    private final AtomicInteger runs = new AtomicInteger();

    @BeforeEach
    void setUp() {
        clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        store = InMemoryIdempotencyStore.builder().clock(clock).build();
        idem = Idem.builder(store).namespace("orders").clock(clock).lease(Duration.ofSeconds(30)).build();
    }

    private String charge(String value) {
        runs.incrementAndGet();
        return value;
    }

    @Test
    void firstCallRunsAction() {
        Execution<String> first = idem.execute("k1", null, String.class, () -> charge("receipt-1"));

        assertThat(first.value()).isEqualTo("receipt-1");
        assertThat(first.isReplay()).isFalse();
        assertThat(first.source()).isEqualTo(Source.EXECUTED);
        assertThat(first.fencingToken()).isPositive();
    }

    @Test
    void duplicateReplaysStoredResult() {
        idem.execute("k1", null, String.class, () -> charge("receipt-1"));

        Execution<String> second = idem.execute("k1", null, String.class, () -> charge("receipt-2"));

        assertThat(second.value()).isEqualTo("receipt-1");
        assertThat(second.isReplay()).isTrue();
        assertThat(second.source()).isEqualTo(Source.REPLAYED);
        assertThat(runs).hasValue(1);
    }

    @Test
    void genericResultReplaysAsGenericType() {
        ResultType<List<Order>> type = new ResultType<>() {
        };
        List<Order> orders = List.of(
                new Order("o-1", new BigDecimal("19.90"), Instant.parse("2026-01-01T10:15:30.123Z")),
                new Order("o-2", new BigDecimal("0.10"), Instant.parse("2026-01-02T00:00:00Z")));

        idem.execute("list", null, type, () -> orders);
        Execution<List<Order>> replay = idem.execute("list", null, type, List::<Order>of);

        assertThat(replay.isReplay()).isTrue();
        assertThat(replay.value()).containsExactlyElementsOf(orders);
        assertThat(replay.value().get(0)).isInstanceOf(Order.class);
    }

    @Test
    void edgeValuesReplayExactly() {
        assertReplays("empty-string", String.class, "");
        assertReplays("zero", Integer.class, 0);
        assertReplays("false", Boolean.class, false);
        assertReplays("null", String.class, null);
        assertReplays("null-json", Order.class, null);
        assertReplays("empty-bytes", byte[].class, new byte[0]);
        assertReplays("text-null", String.class, "null");
        ResultType<List<String>> listType = new ResultType<>() {
        };
        idem.execute("empty-list", null, listType, List::<String>of);
        assertThat(idem.execute("empty-list", null, listType, () -> List.of("x")).value()).isEmpty();
        ResultType<Map<String, Integer>> mapType = new ResultType<>() {
        };
        idem.execute("empty-map", null, mapType, Map::<String, Integer>of);
        assertThat(idem.execute("empty-map", null, mapType, () -> Map.of("x", 1)).value()).isEmpty();
    }

    private <T> void assertReplays(String key, Class<T> type, T value) {
        idem.execute(key, null, type, () -> value);

        Execution<T> replay = idem.execute(key, null, type, () -> {
            throw new AssertionError("a duplicate must not run the action");
        });

        assertThat(replay.isReplay()).as("replay of %s", key).isTrue();
        assertThat(replay.value()).as("value of %s", key).isEqualTo(value);
    }

    @Test
    void failureReleasesClaimAndRethrows() {
        assertThatThrownBy(() -> idem.execute("k1", null, String.class, () -> {
            throw new IllegalStateException("card service down");
        })).isInstanceOf(IllegalStateException.class).hasMessage("card service down");

        assertThat(store.get("orders:k1")).isEmpty();
        Execution<String> retry = idem.execute("k1", null, String.class, () -> charge("receipt"));
        assertThat(retry.source()).isEqualTo(Source.EXECUTED);
    }

    @Test
    void checkedExceptionPropagatesWithItsType() {
        assertThatThrownBy(() -> idem.execute("k1", null, String.class, () -> {
            throw new IOException("socket closed");
        })).isExactlyInstanceOf(IOException.class);
    }

    @Test
    void finalFailureIsStoredAndReplayed() {
        Idem storing = Idem.builder(store).namespace("orders").clock(clock)
                .onFailure(FailurePolicy.storeFailuresWhere(e -> e instanceof IllegalArgumentException))
                .build();

        assertThatThrownBy(() -> storing.execute("k1", null, String.class, () -> {
            throw new IllegalArgumentException("card declined");
        })).isExactlyInstanceOf(IllegalArgumentException.class);

        assertThatThrownBy(() -> storing.execute("k1", null, String.class, () -> charge("never")))
                .isInstanceOfSatisfying(ReplayedFailureException.class, e -> {
                    assertThat(e.failureType()).isEqualTo(IllegalArgumentException.class.getName());
                    assertThat(e.failureMessage()).isEqualTo("card declined");
                });
        assertThat(runs).hasValue(0);
    }

    @Test
    void nonFinalFailureIsNotStored() {
        Idem storing = Idem.builder(store).namespace("orders").clock(clock)
                .onFailure(FailurePolicy.storeFailuresWhere(e -> e instanceof IllegalArgumentException))
                .build();

        assertThatThrownBy(() -> storing.execute("k1", null, String.class, () -> {
            throw new IllegalStateException("timeout");
        })).isExactlyInstanceOf(IllegalStateException.class);

        assertThat(storing.execute("k1", null, String.class, () -> charge("ok")).source()).isEqualTo(Source.EXECUTED);
    }

    @Test
    void inFlightDuplicateFailsFastWithRetryAfter() {
        ClaimOutcome first = idem.claim("k1", null);
        assertThat(first).isInstanceOf(ClaimOutcome.Acquired.class);
        clock.advance(Duration.ofSeconds(10));

        assertThatThrownBy(() -> idem.execute("k1", null, String.class, () -> charge("second")))
                .isInstanceOfSatisfying(InFlightException.class, e -> {
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(20));
                    assertThat(e.key()).isEqualTo("orders:k1");
                });
        assertThat(runs).hasValue(0);
    }

    @Test
    void inFlightDuplicateWaitsForCompletion() throws Exception {
        Idem waiting = Idem.builder(store).namespace("orders").clock(clock)
                .inFlight(InFlightPolicy.await(Duration.ofSeconds(5), Duration.ofMillis(5), Duration.ofMillis(20)))
                .build();
        ClaimOutcome.Acquired first = (ClaimOutcome.Acquired) waiting.claim("k1", null);

        Thread completer = new Thread(() -> {
            sleepQuietly(100);
            waiting.complete(first.lease(), "first-result", String.class);
        });
        completer.start();
        Execution<String> second = waiting.execute("k1", null, String.class, () -> charge("second"));
        completer.join();

        assertThat(second.value()).isEqualTo("first-result");
        assertThat(second.isReplay()).isTrue();
        assertThat(runs).hasValue(0);
    }

    @Test
    void waitingDuplicateTakesOverAfterRelease() throws Exception {
        Idem waiting = Idem.builder(store).namespace("orders").clock(clock)
                .inFlight(InFlightPolicy.await(Duration.ofSeconds(5), Duration.ofMillis(5), Duration.ofMillis(20)))
                .build();
        ClaimOutcome.Acquired first = (ClaimOutcome.Acquired) waiting.claim("k1", null);

        Thread releaser = new Thread(() -> {
            sleepQuietly(100);
            waiting.release(first.lease());
        });
        releaser.start();
        Execution<String> second = waiting.execute("k1", null, String.class, () -> charge("second"));
        releaser.join();

        assertThat(second.source()).isEqualTo(Source.EXECUTED);
        assertThat(second.fencingToken()).isGreaterThan(first.lease().fencingToken());
    }

    @Test
    void waitGivesUpAfterMaxWait() {
        Idem waiting = Idem.builder(store).namespace("orders").clock(clock)
                .inFlight(InFlightPolicy.await(Duration.ofMillis(150), Duration.ofMillis(5), Duration.ofMillis(20)))
                .build();
        waiting.claim("k1", null);

        assertThatThrownBy(() -> waiting.execute("k1", null, String.class, () -> charge("second")))
                .isInstanceOf(InFlightException.class);
        assertThat(runs).hasValue(0);
    }

    @Test
    void expiredLeaseIsTakenOverWithHigherToken() {
        ClaimOutcome.Acquired first = (ClaimOutcome.Acquired) idem.claim("k1", null);
        clock.advance(Duration.ofSeconds(31));

        Execution<String> second = idem.execute("k1", null, String.class, () -> charge("second"));

        assertThat(second.source()).isEqualTo(Source.EXECUTED);
        assertThat(second.fencingToken()).isGreaterThan(first.lease().fencingToken());
    }

    @Test
    void lateHolderLearnsLeaseLostOnComplete() {
        ClaimOutcome.Acquired first = (ClaimOutcome.Acquired) idem.claim("k1", null);
        clock.advance(Duration.ofSeconds(31));
        idem.execute("k1", null, String.class, () -> "second");

        assertThatThrownBy(() -> idem.complete(first.lease(), "first", String.class))
                .isInstanceOf(LeaseLostException.class)
                .hasMessageContaining("orders:k1");

        assertThat(idem.execute("k1", null, String.class, () -> "third").value()).isEqualTo("second");
    }

    @Test
    void actionOutlivingLeaseGetsLeaseLost() {
        assertThatThrownBy(() -> idem.execute("k1", null, String.class, () -> {
            clock.advance(Duration.ofSeconds(31));
            idem.execute("k1", null, String.class, () -> "taker");
            return "slow";
        })).isInstanceOf(LeaseLostException.class);

        assertThat(idem.get("k1")).map(IdempotencyRecord::fencingToken).hasValue(2L);
    }

    @Test
    void leasedActionExtendsItsLease() {
        Execution<String> result = idem.executeWithLease("k1", null, String.class, lease -> {
            clock.advance(Duration.ofSeconds(25));
            lease.extend(Duration.ofSeconds(60));
            clock.advance(Duration.ofSeconds(25));
            assertThatThrownBy(() -> idem.execute("k1", null, String.class, () -> "other"))
                    .isInstanceOf(InFlightException.class);
            return "long work";
        });

        assertThat(result.source()).isEqualTo(Source.EXECUTED);
        assertThat(idem.execute("k1", null, String.class, () -> "again").value()).isEqualTo("long work");
    }

    @Test
    void deadlineLeaseEndsBeforeDeadline() {
        Instant deadline = clock.instant().plusSeconds(10);
        Idem byDeadline = idem.withLease(LeasePolicy.untilDeadline(() -> deadline, Duration.ofSeconds(2),
                Duration.ofMinutes(5)));

        ClaimOutcome.Acquired acquired = (ClaimOutcome.Acquired) byDeadline.claim("k1", null);

        assertThat(acquired.lease().expiresAt()).isEqualTo(deadline.minusSeconds(2));
    }

    @Test
    void passedDeadlineStillYieldsLeaseEndingNow() {
        Instant deadline = clock.instant().minusSeconds(1);
        Idem byDeadline = idem.withLease(LeasePolicy.untilDeadline(() -> deadline, Duration.ofSeconds(2),
                Duration.ofMinutes(5)));

        ClaimOutcome.Acquired acquired = (ClaimOutcome.Acquired) byDeadline.claim("k1", null);

        assertThat(acquired.lease().expiresAt()).isEqualTo(clock.instant());
        assertThat(store.get("orders:k1")).map(IdempotencyRecord::status).hasValue(RecordStatus.IN_PROGRESS);
    }

    @Test
    void deadlineLeaseIsCappedAtMax() {
        Idem byDeadline = idem.withLease(LeasePolicy.untilDeadline(() -> clock.instant().plusSeconds(900),
                Duration.ofSeconds(2), Duration.ofSeconds(60)));

        ClaimOutcome.Acquired acquired = (ClaimOutcome.Acquired) byDeadline.claim("k1", null);

        assertThat(acquired.lease().remaining()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void fingerprintMismatchOnCompletedRecord() {
        idem.execute("k1", Map.of("amount", 10), String.class, () -> "r");

        assertThatThrownBy(() -> idem.execute("k1", Map.of("amount", 11), String.class, () -> charge("x")))
                .isInstanceOf(FingerprintMismatchException.class)
                .hasMessageContaining("orders:k1");
        assertThat(runs).hasValue(0);
    }

    @Test
    void fingerprintMismatchOnInFlightRecord() {
        idem.claim("k1", Map.of("amount", 10));

        assertThatThrownBy(() -> idem.execute("k1", Map.of("amount", 11), String.class, () -> charge("x")))
                .isInstanceOf(FingerprintMismatchException.class);
    }

    @Test
    void fingerprintMismatchBlocksTakeover() {
        idem.claim("k1", Map.of("amount", 10));
        clock.advance(Duration.ofMinutes(5));

        assertThatThrownBy(() -> idem.execute("k1", Map.of("amount", 11), String.class, () -> charge("x")))
                .isInstanceOf(FingerprintMismatchException.class);
        assertThat(runs).hasValue(0);
    }

    @Test
    void samePayloadInOtherFieldOrderReplays() {
        idem.execute("k1", "{\"a\":1,\"b\":\"x\"}", String.class, () -> "r");

        Execution<String> replay = idem.execute("k1", "{\"b\":\"x\",\"a\":1}", String.class, () -> charge("x"));

        assertThat(replay.isReplay()).isTrue();
    }

    @Test
    void namespacesNeverShareKeys() {
        Idem other = Idem.builder(store).namespace("refunds").clock(clock).build();
        idem.execute("k1", null, String.class, () -> "order");

        Execution<String> inOther = other.execute("k1", null, String.class, () -> "refund");

        assertThat(inOther.source()).isEqualTo(Source.EXECUTED);
        assertThat(inOther.value()).isEqualTo("refund");
    }

    @Test
    void missingKeysAreRejected() {
        for (String key : new String[] {null, "", "   ", "\t\n"}) {
            assertThatThrownBy(() -> idem.execute(key, null, String.class, () -> charge("x")))
                    .as("key %s", key == null ? "null" : "'" + key + "'")
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("orders");
        }
        assertThat(runs).hasValue(0);
        assertThat(store.size()).isZero();
    }

    @Test
    void mutatedInputStillCompletesUnderClaimedKey() {
        StringBuilder requestId = new StringBuilder("req-1");
        List<String> payload = new ArrayList<>(List.of("a"));

        idem.execute(requestId.toString(), payload, String.class, () -> {
            requestId.setLength(0);
            requestId.append("req-2");
            payload.add("b");
            return "done";
        });

        assertThat(idem.get("req-1")).map(IdempotencyRecord::status).hasValue(RecordStatus.COMPLETED);
        assertThat(idem.get("req-2")).isEmpty();
        assertThat(idem.execute("req-1", List.of("a"), String.class, () -> "x").isReplay()).isTrue();
    }

    @Test
    void oversizedResultCompletesWithoutResult() {
        Idem limited = Idem.builder(store).namespace("orders").clock(clock).maxResultBytes(100).build();

        assertThatThrownBy(() -> limited.execute("k1", null, String.class, () -> charge("x".repeat(500))))
                .isInstanceOfSatisfying(ResultTooLargeException.class, e -> {
                    assertThat(e.size()).isEqualTo(500);
                    assertThat(e.limit()).isEqualTo(100);
                });

        assertThatThrownBy(() -> limited.execute("k1", null, String.class, () -> charge("again")))
                .isInstanceOf(ResultNotStoredException.class);
        assertThat(runs).hasValue(1);
    }

    @Test
    void resultOfExactlyMaxBytesIsStored() {
        Idem limited = Idem.builder(store).namespace("orders").clock(clock).maxResultBytes(1024).build();

        limited.execute("k1", null, String.class, () -> "z".repeat(1024));

        assertThat(limited.execute("k1", null, String.class, () -> "x").value()).hasSize(1024);
    }

    @Test
    void maxResultBytesAboveStoreLimitIsRejected() {
        InMemoryIdempotencyStore small = InMemoryIdempotencyStore.builder().maxResultBytes(1000).build();

        assertThatThrownBy(() -> Idem.builder(small).maxResultBytes(5000).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("5000")
                .hasMessageContaining("999");
    }

    /** Jackson writes this class through its getter but cannot create it, having no usable constructor. */
    static final class WriteOnly {
        private final int amount;

        WriteOnly(int amount) {
            this.amount = amount;
        }

        public int getAmount() {
            return amount;
        }
    }

    @Test
    void unreadableResultFailsOnFirstCall() {
        assertThatThrownBy(() -> idem.execute("k1", null, WriteOnly.class, () -> {
            runs.incrementAndGet();
            return new WriteOnly(5);
        })).isInstanceOf(ResultEncodingException.class).hasMessageContaining("cannot be read back");

        assertThatThrownBy(() -> idem.execute("k1", null, WriteOnly.class, () -> new WriteOnly(6)))
                .isInstanceOf(ResultNotStoredException.class);
        assertThat(runs).hasValue(1);
    }

    @Test
    void unencodableResultCompletesWithoutResult() {
        assertThatThrownBy(() -> idem.execute("k1", null, Object.class, () -> {
            runs.incrementAndGet();
            return new Object();
        })).isInstanceOf(ResultEncodingException.class).hasMessageContaining("java.lang.Object");

        assertThatThrownBy(() -> idem.execute("k1", null, Object.class, Object::new))
                .isInstanceOf(ResultNotStoredException.class);
        assertThat(runs).hasValue(1);
    }

    @Test
    void unpairedSurrogateResultIsNotEncoded() {
        assertThatThrownBy(() -> idem.execute("k1", null, String.class, () -> "bad \uD800 text"))
                .isInstanceOf(ResultEncodingException.class)
                .hasMessageContaining("surrogate");
    }

    @Test
    void corruptStoredResultIsReported() {
        ClaimOutcome.Acquired acquired = (ClaimOutcome.Acquired) idem.claim("k1", null);
        store.complete(new dev.idem.spi.CompleteRequest("orders:k1", acquired.lease().fencingToken(),
                "garbage".getBytes(java.nio.charset.StandardCharsets.UTF_8), 60_000));

        assertThatThrownBy(() -> idem.execute("k1", null, String.class, () -> "x"))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("orders:k1");
    }

    @Test
    void nullTagWithTrailingBytesIsCorrupt() {
        ClaimOutcome.Acquired acquired = (ClaimOutcome.Acquired) idem.claim("k1", null);
        store.complete(new dev.idem.spi.CompleteRequest("orders:k1", acquired.lease().fencingToken(),
                "not an envelope".getBytes(java.nio.charset.StandardCharsets.UTF_8), 60_000));

        assertThatThrownBy(() -> idem.execute("k1", null, String.class, () -> "x"))
                .isInstanceOf(CorruptRecordException.class);
    }

    @Test
    void repeatedCompleteOfOwnLeaseSucceeds() {
        Lease lease = ((ClaimOutcome.Acquired) idem.claim("k1", null)).lease();
        idem.complete(lease, "first", String.class);

        idem.complete(lease, "first", String.class);

        assertThat(idem.execute("k1", null, String.class, () -> "x").value()).isEqualTo("first");
    }

    @Test
    void manualStepsRunOnce() {
        ClaimOutcome outcome = idem.claim("k1", null);
        assertThat(outcome).isInstanceOf(ClaimOutcome.Acquired.class);
        Lease lease = ((ClaimOutcome.Acquired) outcome).lease();
        idem.complete(lease, 42, Integer.class);

        ClaimOutcome duplicate = idem.claim("k1", null);

        assertThat(duplicate).isInstanceOfSatisfying(ClaimOutcome.Replay.class,
                replay -> assertThat(replay.value(Integer.class)).isEqualTo(42));
    }

    @Test
    void claimAllReturnsOutcomesInOrder() {
        idem.execute("done", null, String.class, () -> "r");
        idem.claim("busy", null);

        List<ClaimOutcome> outcomes = idem.claimAll(List.of("new-1", "done", "busy", "new-1"), null);

        assertThat(outcomes.get(0)).isInstanceOf(ClaimOutcome.Acquired.class);
        assertThat(outcomes.get(1)).isInstanceOf(ClaimOutcome.Replay.class);
        assertThat(outcomes.get(2)).isInstanceOf(ClaimOutcome.InFlight.class);
        assertThat(outcomes.get(3)).isInstanceOf(ClaimOutcome.InFlight.class);
    }

    @Test
    void claimAllReportsMismatchWithoutFailingBatch() {
        idem.execute("paid", Map.of("amount", 1), String.class, () -> "r");

        List<ClaimOutcome> outcomes = idem.claimAll(List.of("paid", "fresh"),
                List.of(Map.of("amount", 2), Map.of("amount", 3)));

        assertThat(outcomes.get(0)).isInstanceOf(ClaimOutcome.PayloadMismatch.class);
        assertThat(outcomes.get(1)).isInstanceOf(ClaimOutcome.Acquired.class);
    }

    @Test
    void completeAllReportsEachStatus() {
        Idem limited = Idem.builder(store).namespace("orders").clock(clock).lease(Duration.ofSeconds(30))
                .maxResultBytes(50).build();
        List<ClaimOutcome> claimed = limited.claimAll(List.of("a", "b", "c"), null);
        Lease a = ((ClaimOutcome.Acquired) claimed.get(0)).lease();
        Lease b = ((ClaimOutcome.Acquired) claimed.get(1)).lease();
        Lease c = ((ClaimOutcome.Acquired) claimed.get(2)).lease();
        clock.advance(Duration.ofSeconds(31));
        limited.claim("c", null);

        List<CompletionStatus> statuses = limited.completeAll(List.of(
                Completion.of(a, "small", String.class),
                Completion.of(b, "x".repeat(100), String.class),
                Completion.of(c, "late", String.class)));

        assertThat(statuses).containsExactly(
                CompletionStatus.STORED, CompletionStatus.RESULT_NOT_STORED, CompletionStatus.LEASE_LOST);
        assertThat(limited.execute("a", null, String.class, () -> "again").value()).isEqualTo("small");
        assertThatThrownBy(() -> limited.execute("b", null, String.class, () -> "again"))
                .isInstanceOf(ResultNotStoredException.class);
    }

    @Test
    void completeExceptionallyReplaysFailure() {
        Lease lease = ((ClaimOutcome.Acquired) idem.claim("k1", null)).lease();
        idem.completeExceptionally(lease, new IllegalArgumentException("invalid card"));

        ClaimOutcome.Replay replay = (ClaimOutcome.Replay) idem.claim("k1", null);

        assertThatThrownBy(() -> replay.value(String.class)).isInstanceOf(ReplayedFailureException.class)
                .hasMessageContaining("invalid card");
    }

    @Test
    void retentionExpiryLetsActionRunAgain() {
        Idem shortRetention = Idem.builder(store).namespace("orders").clock(clock).retention(Duration.ofMinutes(1)).build();
        shortRetention.execute("k1", null, String.class, () -> charge("first"));
        clock.advance(Duration.ofMinutes(2));

        Execution<String> again = shortRetention.execute("k1", null, String.class, () -> charge("second"));

        assertThat(again.source()).isEqualTo(Source.EXECUTED);
        assertThat(runs).hasValue(2);
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
