package dev.idem.spi;

/**
 * The outcome of a claim. Contention is an outcome, not an exception: a store returns the
 * record it found in the same round trip, and the caller decides what to do with it.
 *
 * <p>Every variant carries {@code now}, the store's clock at the time of the operation, so
 * that a caller can compute the lease's remaining time without comparing two clocks.
 */
public sealed interface ClaimResult {

    /** The store's clock, in epoch milliseconds, when the claim was decided. */
    long now();

    /**
     * The caller now holds the key.
     *
     * @param fencingToken   the token that {@code complete}, {@code release} and {@code extend} must present
     * @param leaseExpiresAt when the lease ends unless extended
     * @param takeover       whether the claim took over an in-progress record whose lease had expired
     */
    record Acquired(long fencingToken, long leaseExpiresAt, long now, boolean takeover) implements ClaimResult {
    }

    /**
     * Another caller holds the key, or held it and its lease expired but the fingerprints differ
     * so no takeover happened.
     */
    record InProgress(IdempotencyRecord record, long now) implements ClaimResult {
    }

    /** The key has a completed record whose result is to be replayed. */
    record Completed(IdempotencyRecord record, long now) implements ClaimResult {
    }
}
