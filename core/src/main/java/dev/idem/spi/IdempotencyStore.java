package dev.idem.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The storage SPI: a few atomic primitives that each backend implements. The algorithm
 * (leases, replay, fingerprints, caching, policies) lives in the core, not here.
 *
 * <p>Each operation is one atomic conditional write or read, and one network round trip on
 * the happy path. Keys arrive already namespaced and short enough for
 * {@link StoreCapabilities#maxKeyBytes()}. A record whose {@code expiresAt} has passed is absent
 * for every operation, whether or not the backend has deleted it yet.
 *
 * <p>Implementations are thread-safe. Failures of the backend are thrown as
 * {@link dev.idem.BackendException}, never as contention results.
 */
public interface IdempotencyStore extends AutoCloseable {

    /**
     * Claims a key. Creates an IN_PROGRESS record when the key is absent or expired, or takes
     * over an IN_PROGRESS record whose lease is over and whose fingerprint matches the request's.
     * Fingerprints match when they are equal or when either one is {@code null}, because a
     * {@code null} fingerprint means the caller skipped the payload check. A takeover keeps the
     * stored fingerprint when the request has none. A successful claim or takeover gives the key a
     * fencing token higher than every token it had before, also across release and, where the
     * backend can, across expiry. Otherwise returns the existing record, read in the same round
     * trip. Returned results are copies that the caller may modify.
     */
    ClaimResult claim(ClaimRequest request);

    /**
     * Completes a claim: stores the result and makes the record COMPLETED, only while the record
     * is IN_PROGRESS with the given token. The record then expires {@code retentionMillis} after
     * completion. Never overwrites another owner's record.
     */
    CompleteResult complete(CompleteRequest request);

    /**
     * Deletes the caller's own IN_PROGRESS claim so that a retry may claim the key again.
     *
     * @return whether a record was deleted; {@code false} when the key is absent or held under another token
     */
    boolean release(String key, long fencingToken);

    /**
     * Extends the caller's lease to {@code leaseMillis} (zero or positive) from now, only while the record is
     * IN_PROGRESS with the given token. The record's expiry moves out too when the new lease
     * would outlive it.
     */
    ExtendResult extend(String key, long fencingToken, long leaseMillis);

    /** Reads the live record of a key; empty when it is absent or expired. */
    Optional<IdempotencyRecord> get(String key);

    /**
     * Claims many keys, returning one result per request in the same order. A key that appears
     * twice is claimed once; the second request sees the first one's claim. Backends that can
     * send the batch in one round trip override this default, which claims one key at a time.
     */
    default List<ClaimResult> claimAll(List<ClaimRequest> requests) {
        List<ClaimResult> results = new ArrayList<>(requests.size());
        for (ClaimRequest request : requests) {
            results.add(claim(request));
        }
        return results;
    }

    /**
     * Completes many claims, returning one result per request in the same order. A key that
     * appears twice is processed in order, so the second request sees the first's completion.
     */
    default List<CompleteResult> completeAll(List<CompleteRequest> requests) {
        List<CompleteResult> results = new ArrayList<>(requests.size());
        for (CompleteRequest request : requests) {
            results.add(complete(request));
        }
        return results;
    }

    /**
     * Deletes at most {@code limit} records whose retention is over and returns how many it
     * deleted. Backends with native expiry (Redis, DynamoDB TTL) return {@code 0}.
     */
    default int purgeExpired(int limit) {
        return 0;
    }

    /** The backend's name, limits and features. */
    StoreCapabilities capabilities();

    /** Releases what the store owns (connection pools it built). A store given a client leaves it open. */
    @Override
    default void close() {
    }
}
