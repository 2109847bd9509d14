package dev.idem.lambda;

import dev.idem.ClaimOutcome;
import dev.idem.Idem;
import dev.idem.Lease;
import dev.idem.memory.InMemoryIdempotencyStore;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InvocationLeaseTest {

    private MutableClock clock;
    private Idem idem;
    private InvocationLease lease;

    @BeforeEach
    void setUp() {
        clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
        idem = Idem.builder(InMemoryIdempotencyStore.builder().clock(clock).build()).clock(clock).build();
        lease = InvocationLease.of(Duration.ofSeconds(2), Duration.ofMinutes(5)).withClock(clock);
    }

    private Lease claim(TestContext context) {
        return ((ClaimOutcome.Acquired) lease.apply(idem, context).claim("k", null)).lease();
    }

    @Test
    void leaseEndsMarginBeforeDeadline() {
        Lease held = claim(new TestContext(30_000));

        assertThat(held.expiresAt()).isEqualTo(clock.instant().plusSeconds(28));
    }

    @Test
    void leaseIsCappedAtMax() {
        Lease held = claim(new TestContext(900_000));

        assertThat(held.remaining()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void remainingBelowMarginEndsNow() {
        Lease held = claim(new TestContext(1_500));

        assertThat(held.expiresAt()).isEqualTo(clock.instant());
    }

    @Test
    void zeroRemainingTimeEndsNow() {
        Lease held = claim(new TestContext(0));

        assertThat(held.expiresAt()).isEqualTo(clock.instant());
    }

    @Test
    void negativeRemainingTimeEndsNow() {
        Lease held = claim(new TestContext(-250));

        assertThat(held.expiresAt()).isEqualTo(clock.instant());
    }

    @Test
    void leaseEndingNowCanBeTakenOver() {
        claim(new TestContext(0));

        ClaimOutcome retry = lease.apply(idem, new TestContext(30_000)).claim("k", null);

        assertThat(retry).isInstanceOfSatisfying(ClaimOutcome.Acquired.class,
                acquired -> assertThat(acquired.lease().isTakeover()).isTrue());
    }

    @Test
    void missingContextUsesMax() {
        Lease held = ((ClaimOutcome.Acquired) lease.apply(idem, null).claim("k", null)).lease();

        assertThat(held.remaining()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void deadlineIsReadOncePerInvocation() {
        Idem invocation = lease.apply(idem, new TestContext(30_000));
        clock.advance(Duration.ofSeconds(10));

        Lease held = ((ClaimOutcome.Acquired) invocation.claim("k", null)).lease();

        assertThat(held.remaining()).isEqualTo(Duration.ofSeconds(18));
    }

    @Test
    void defaultsAreOneSecondAndFifteenMinutes() {
        assertThat(InvocationLease.defaults().margin()).isEqualTo(Duration.ofSeconds(1));
        assertThat(InvocationLease.defaults().max()).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThatThrownBy(() -> InvocationLease.of(Duration.ofSeconds(-1), Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("margin");
        assertThatThrownBy(() -> InvocationLease.of(Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max");
    }
}
