package dev.idem;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * What happens to a claim when the action throws.
 *
 * <p>By default the claim is released and the exception rethrown, so a retry runs the action
 * again. Failures that {@link #storeFailuresWhere(Predicate)} marks as final (a declined card,
 * a validation error) are stored instead; duplicates then get a {@link ReplayedFailureException}
 * until the record expires, and the action does not run again.
 */
public final class FailurePolicy {

    private static final FailurePolicy RELEASE = new FailurePolicy(failure -> false);

    private final Predicate<? super Throwable> isFinal;

    private FailurePolicy(Predicate<? super Throwable> isFinal) {
        this.isFinal = isFinal;
    }

    public static FailurePolicy releaseOnFailure() {
        return RELEASE;
    }

    public static FailurePolicy storeFailuresWhere(Predicate<? super Throwable> isFinal) {
        return new FailurePolicy(Objects.requireNonNull(isFinal, "isFinal"));
    }

    /** Tells whether a failure is final and must be stored rather than retried. */
    public boolean isFinal(Throwable failure) {
        return isFinal.test(failure);
    }
}
