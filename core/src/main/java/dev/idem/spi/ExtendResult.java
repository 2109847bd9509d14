package dev.idem.spi;

/** The outcome of a token-checked lease extension. */
public sealed interface ExtendResult {

    /** The lease now ends at {@code leaseExpiresAt}. */
    record Extended(long leaseExpiresAt, long now) implements ExtendResult {
    }

    /**
     * The caller no longer holds the key; nothing was written.
     *
     * @param current the record found instead, or {@code null} when there was none
     */
    record Rejected(IdempotencyRecord current) implements ExtendResult {
    }
}
