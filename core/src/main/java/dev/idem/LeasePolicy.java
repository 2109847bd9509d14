package dev.idem;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How long a claim holds its key before another caller may take it over.
 *
 * <p>Size a lease above the action's longest run: if the action outlives it, a duplicate can
 * take the key over and run the action again. For long work, extend the lease while working.
 */
@FunctionalInterface
public interface LeasePolicy {

    /** Returns the lease for a claim made at {@code now}; zero means a lease that ends at once. */
    Duration leaseAt(Instant now);

    /** The same lease for every claim. */
    static LeasePolicy fixed(Duration lease) {
        InFlightPolicy.requirePositive(lease, "lease");
        return now -> lease;
    }

    /**
     * A lease that ends {@code margin} before a deadline, capped at {@code max}. Once the
     * deadline minus the margin has passed the lease is zero: it still exists, but ends now.
     * This fits work with a hard stop, such as a Lambda invocation.
     *
     * @param deadline returns the current deadline each time a claim is made
     */
    static LeasePolicy untilDeadline(Supplier<Instant> deadline, Duration margin, Duration max) {
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(margin, "margin");
        if (margin.isNegative()) {
            throw new IllegalArgumentException("margin must be zero or positive, got " + margin);
        }
        InFlightPolicy.requirePositive(max, "max");
        return now -> {
            Duration left = Duration.between(now, deadline.get().minus(margin));
            if (left.isNegative()) {
                return Duration.ZERO;
            }
            return left.compareTo(max) > 0 ? max : left;
        };
    }
}
