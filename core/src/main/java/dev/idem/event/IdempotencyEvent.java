package dev.idem.event;

import java.time.Duration;

/**
 * One outcome for one key, as reported to {@link IdempotencyListener}s.
 *
 * @param type         what happened
 * @param namespace    the namespace of the key
 * @param key          the full storage key
 * @param fencingToken the token of the claim involved, or {@code 0} when none is known
 * @param latency      how long the store operation (or cache lookup) behind this outcome took
 * @param error        the failure, for {@code BACKEND_ERROR}, {@code FAIL_OPEN} and {@code LEASE_LOST}; otherwise {@code null}
 */
public record IdempotencyEvent(
        IdempotencyEventType type, String namespace, String key, long fencingToken, Duration latency, Throwable error) {
}
