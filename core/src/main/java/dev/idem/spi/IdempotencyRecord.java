package dev.idem.spi;

import java.util.Arrays;
import java.util.Objects;

/**
 * One stored idempotency record, as a backend returns it.
 *
 * <p>All times are epoch milliseconds on the clock that decides expiry: the server's clock
 * where the backend has one (Redis, SQL), the client's clock otherwise (DynamoDB, in-memory).
 *
 * @param key            the full storage key, namespace included
 * @param status         {@code IN_PROGRESS} while a caller holds the lease, {@code COMPLETED} after
 * @param fencingToken   per-key counter, incremented on every successful claim or takeover
 * @param leaseExpiresAt end of the in-flight lease; {@code 0} for a completed record
 * @param expiresAt      end of retention; after it the record is absent for every reader
 * @param fingerprint    hash of the request payload, or {@code null} when the caller sent none
 * @param result         the encoded result of a completed record; {@code null} while in progress
 * @param createdAt      when the current claim was made
 * @param completedAt    when the record completed; {@code 0} while in progress
 * @param owner          an identifier of the process that made the current claim, for debugging
 */
public record IdempotencyRecord(
        String key,
        RecordStatus status,
        long fencingToken,
        long leaseExpiresAt,
        long expiresAt,
        String fingerprint,
        byte[] result,
        long createdAt,
        long completedAt,
        String owner) {

    public IdempotencyRecord {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(status, "status");
    }

    /** Creates the record of a fresh claim. */
    public static IdempotencyRecord inProgress(
            String key, long fencingToken, long leaseExpiresAt, long expiresAt,
            String fingerprint, long createdAt, String owner) {
        return new IdempotencyRecord(key, RecordStatus.IN_PROGRESS, fencingToken, leaseExpiresAt,
                expiresAt, fingerprint, null, createdAt, 0L, owner);
    }

    /** Returns this record completed with {@code result}, kept until {@code expiresAt}. */
    public IdempotencyRecord completed(byte[] result, long completedAt, long expiresAt) {
        return new IdempotencyRecord(key, RecordStatus.COMPLETED, fencingToken, 0L, expiresAt,
                fingerprint, result, createdAt, completedAt, owner);
    }

    public boolean isCompleted() {
        return status == RecordStatus.COMPLETED;
    }

    /** Tells whether retention is over at {@code now}, so that readers must treat the record as absent. */
    public boolean isExpiredAt(long now) {
        return expiresAt <= now;
    }

    /** Tells whether an in-progress record's lease is over at {@code now}, so that a claim may take it over. */
    public boolean isLeaseOverAt(long now) {
        return status == RecordStatus.IN_PROGRESS && leaseExpiresAt <= now;
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof IdempotencyRecord that)) {
            return false;
        }
        return fencingToken == that.fencingToken
                && leaseExpiresAt == that.leaseExpiresAt
                && expiresAt == that.expiresAt
                && createdAt == that.createdAt
                && completedAt == that.completedAt
                && key.equals(that.key)
                && status == that.status
                && Objects.equals(fingerprint, that.fingerprint)
                && Arrays.equals(result, that.result)
                && Objects.equals(owner, that.owner);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, status, fencingToken, expiresAt) * 31 + Arrays.hashCode(result);
    }

    @Override
    public String toString() {
        // The result and fingerprint are left out on purpose: results may hold personal data.
        return "IdempotencyRecord[key=" + key + ", status=" + status + ", fencingToken=" + fencingToken
                + ", leaseExpiresAt=" + leaseExpiresAt + ", expiresAt=" + expiresAt
                + ", resultBytes=" + (result == null ? "none" : String.valueOf(result.length))
                + ", owner=" + owner + "]";
    }
}
