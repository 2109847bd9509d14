package dev.idem.spi;

import java.util.Objects;

/**
 * A request to claim one key.
 *
 * @param key             the full storage key, namespace included
 * @param fingerprint     hash of the request payload, or {@code null} to skip the payload check
 * @param leaseMillis     how long the claim holds the key before another caller may take it over
 * @param retentionMillis how long the record lives; stores keep it at least until the lease ends
 * @param owner           an identifier of the calling process, stored for debugging
 */
public record ClaimRequest(String key, String fingerprint, long leaseMillis, long retentionMillis, String owner) {

    public ClaimRequest {
        Objects.requireNonNull(key, "key");
        if (leaseMillis < 0) {
            throw new IllegalArgumentException("leaseMillis must be zero or positive, got " + leaseMillis);
        }
        if (retentionMillis <= 0) {
            throw new IllegalArgumentException("retentionMillis must be positive, got " + retentionMillis);
        }
    }

    /** Returns the time at which a record created by this claim at {@code now} expires. */
    public long expiresAt(long now) {
        return now + Math.max(retentionMillis, leaseMillis);
    }
}
