package dev.idem.lambda;

import com.amazonaws.services.lambda.runtime.Context;

import dev.idem.Idem;
import dev.idem.LeasePolicy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The lease of claims made during one Lambda invocation. It ends {@link #margin()} before the
 * invocation's deadline ({@code now + context.getRemainingTimeInMillis()}), and never later than
 * {@link #max()} after the claim.
 *
 * <p>A lease that follows the invocation frees the key soon after a timeout: once the runtime
 * stops a timed-out invocation, its claims end with it, and a redelivery can take the keys over
 * instead of waiting for a fixed lease. When the remaining time is already below the margin, the
 * lease is zero: the claim still exists, but ends at once. Without a context (a local run or a
 * test) the lease is {@link #max()}.
 *
 * <p>The margin also sets when a batch stops: the batch processors start no new record once less
 * than the margin is left, so that the results of the records that ran can be stored and the
 * partial batch response returned before the runtime stops the invocation.
 *
 * <pre>{@code
 * InvocationLease lease = InvocationLease.of(Duration.ofSeconds(2), Duration.ofMinutes(5));
 * Execution<Receipt> receipt = lease.apply(idem, context).execute(key, payload, Receipt.class, action);
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class InvocationLease {

    /** The default margin: time left for storing results and returning the response. */
    public static final Duration DEFAULT_MARGIN = Duration.ofSeconds(1);

    /** The default cap: 15 minutes, the longest timeout a Lambda function can have. */
    public static final Duration DEFAULT_MAX = Duration.ofMinutes(15);

    private static final InvocationLease DEFAULTS = new InvocationLease(DEFAULT_MARGIN, DEFAULT_MAX, Clock.systemUTC());

    private final Duration margin;
    private final Duration max;
    private final Clock clock;

    private InvocationLease(Duration margin, Duration max, Clock clock) {
        this.margin = margin;
        this.max = max;
        this.clock = clock;
    }

    /** Returns the lease with the default margin (1 second) and cap (15 minutes). */
    public static InvocationLease defaults() {
        return DEFAULTS;
    }

    /**
     * Returns a lease that ends {@code margin} before the invocation's deadline, capped at {@code max}.
     *
     * @param margin zero or positive; keep it well below the function's timeout, or every lease is zero
     * @param max    positive; also the lease when there is no context
     * @throws IllegalArgumentException when {@code margin} is negative or {@code max} is not positive
     */
    public static InvocationLease of(Duration margin, Duration max) {
        Objects.requireNonNull(margin, "margin");
        Objects.requireNonNull(max, "max");
        if (margin.isNegative()) {
            throw new IllegalArgumentException("margin must be zero or positive, got " + margin);
        }
        if (max.isNegative() || max.isZero()) {
            throw new IllegalArgumentException("max must be positive, got " + max);
        }
        return new InvocationLease(margin, max, Clock.systemUTC());
    }

    /**
     * Returns a copy that reads the time from {@code clock}. Pass the clock the {@link Idem} was
     * built with, so that tests can move time forward.
     */
    public InvocationLease withClock(Clock clock) {
        return new InvocationLease(margin, max, Objects.requireNonNull(clock, "clock"));
    }

    /** The time before the deadline at which the lease ends and a batch stops starting records. */
    public Duration margin() {
        return margin;
    }

    /** The maximum lease, which is also the lease when there is no context. */
    public Duration max() {
        return max;
    }

    /**
     * Returns the lease policy for claims made during the invocation of {@code context}. The
     * deadline is read once, here, so call this once per invocation.
     *
     * @param context the invocation's context, or {@code null} for a fixed lease of {@link #max()}
     */
    public LeasePolicy policyFor(Context context) {
        if (context == null) {
            return LeasePolicy.fixed(max);
        }
        Instant deadline = deadline(context);
        return LeasePolicy.untilDeadline(() -> deadline, margin, max);
    }

    /**
     * Returns a view of {@code idem} whose claims follow the invocation of {@code context}; see
     * {@link Idem#withLease}.
     */
    public Idem apply(Idem idem, Context context) {
        return Objects.requireNonNull(idem, "idem").withLease(policyFor(context));
    }

    /** Returns the invocation's deadline on this lease's clock; a negative remaining time counts as zero. */
    Instant deadline(Context context) {
        return clock.instant().plusMillis(Math.max(0, context.getRemainingTimeInMillis()));
    }

    /** Returns when a batch stops starting records, or {@code null} without a context. */
    Instant cutoff(Context context) {
        return context == null ? null : deadline(context).minus(margin);
    }

    Clock clock() {
        return clock;
    }

    @Override
    public String toString() {
        return "InvocationLease[margin=" + margin + ", max=" + max + "]";
    }
}
