package dev.idem.spi;

/** The outcome of a token-checked completion. */
public sealed interface CompleteResult {

    /** The record is now COMPLETED with the caller's result. */
    record Stored(long expiresAt, long now) implements CompleteResult {
    }

    /**
     * The record was not IN_PROGRESS with the caller's token: the lease was taken over, the
     * record expired, or it was released. Nothing was written.
     *
     * @param current the record found instead, or {@code null} when there was none
     */
    record Rejected(IdempotencyRecord current) implements CompleteResult {
    }
}
