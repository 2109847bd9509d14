package dev.idem;

import java.time.Duration;

/**
 * Another caller has claimed the key and its action is still running. Retry after {@link #retryAfter()}:
 * by then the first caller has completed, or its lease is over and a retry may take the key over.
 */
public class InFlightException extends IdempotencyException {

    private final Duration retryAfter;
    private final long fencingToken;

    public InFlightException(String key, Duration retryAfter, long fencingToken) {
        this(key, retryAfter, fencingToken, false);
    }

    /**
     * @param waited whether the caller already waited under {@code InFlightPolicy.await} and gave up
     */
    public InFlightException(String key, Duration retryAfter, long fencingToken, boolean waited) {
        super(key, "Key " + key + " is in progress under fencing token " + fencingToken
                + "; its lease ends in " + retryAfter.toMillis() + " ms. " + (waited
                ? "The wait limit of InFlightPolicy.await passed first; retry later or wait longer."
                : "Retry after that, or configure InFlightPolicy.await(...) to wait for the result."));
        this.retryAfter = retryAfter;
        this.fencingToken = fencingToken;
    }

    /** The lease's remaining time when the duplicate arrived, never negative. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** The fencing token of the claim that currently owns the key. */
    public long fencingToken() {
        return fencingToken;
    }
}
