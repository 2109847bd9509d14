package dev.idem;

import java.time.Duration;
import java.util.Objects;

/**
 * What a duplicate does while the first caller's action is still running.
 *
 * <p>{@link #failFast()} (the default) throws an {@link InFlightException} at once, carrying the
 * lease's remaining time: right for queues, which redeliver later. {@link #await(Duration)}
 * polls with exponential backoff until the record completes (and replays it), the lease ends
 * (and takes the key over), or the wait limit passes: right for synchronous APIs.
 */
public final class InFlightPolicy {

    private static final InFlightPolicy FAIL_FAST = new InFlightPolicy(Duration.ZERO, Duration.ZERO, Duration.ZERO);

    private final Duration maxWait;
    private final Duration initialBackoff;
    private final Duration maxBackoff;

    private InFlightPolicy(Duration maxWait, Duration initialBackoff, Duration maxBackoff) {
        this.maxWait = maxWait;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    public static InFlightPolicy failFast() {
        return FAIL_FAST;
    }

    /** Waits up to {@code maxWait}, polling after 10 ms at first and at most every 500 ms. */
    public static InFlightPolicy await(Duration maxWait) {
        return await(maxWait, Duration.ofMillis(10), Duration.ofMillis(500));
    }

    /**
     * Waits up to {@code maxWait}, polling after {@code initialBackoff}, doubling each time up to {@code maxBackoff}.
     *
     * @throws IllegalArgumentException when a duration is not positive or the initial backoff exceeds the max
     */
    public static InFlightPolicy await(Duration maxWait, Duration initialBackoff, Duration maxBackoff) {
        requirePositive(maxWait, "maxWait");
        requirePositive(initialBackoff, "initialBackoff");
        requirePositive(maxBackoff, "maxBackoff");
        if (initialBackoff.compareTo(maxBackoff) > 0) {
            throw new IllegalArgumentException("initialBackoff " + initialBackoff + " exceeds maxBackoff " + maxBackoff);
        }
        return new InFlightPolicy(maxWait, initialBackoff, maxBackoff);
    }

    public boolean waits() {
        return !maxWait.isZero();
    }

    public Duration maxWait() {
        return maxWait;
    }

    public Duration initialBackoff() {
        return initialBackoff;
    }

    public Duration maxBackoff() {
        return maxBackoff;
    }

    static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    @Override
    public String toString() {
        return waits() ? "await(" + maxWait + ")" : "failFast";
    }
}
