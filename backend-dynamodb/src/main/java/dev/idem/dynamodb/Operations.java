package dev.idem.dynamodb;

import dev.idem.BackendException;
import dev.idem.spi.ClaimRequest;
import dev.idem.spi.ClaimResult;
import dev.idem.spi.CompleteRequest;
import dev.idem.spi.CompleteResult;
import dev.idem.spi.ExtendResult;
import dev.idem.spi.IdempotencyRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * The store operations as {@link Step}s: which request to send, and what each response or
 * failure means. {@link DynamoDbIdempotencyStore} documents the conditions.
 */
final class Operations {

    private static final Logger log = LoggerFactory.getLogger(Operations.class);

    /**
     * How many conditional writes a claim or an extension sends at most. A second one follows a
     * refusal when the operation needs another condition (a takeover that keeps the stored
     * fingerprint, a lease that outgrows the retention), or when the item changed between the
     * write and the read that followed it. Each further one needs another writer to win a race
     * in between, so more than a few in a row means something else is wrong.
     */
    private static final int MAX_ATTEMPTS = 4;

    private final ItemRequests requests;
    private final RecordItems items;
    private final ResultSizing sizing;
    private final DynamoDbErrors errors;
    private final Clock clock;
    private final long skewMillis;

    Operations(ItemRequests requests, RecordItems items, ResultSizing sizing, DynamoDbErrors errors, Clock clock,
               long skewMillis) {
        this.requests = requests;
        this.items = items;
        this.sizing = sizing;
        this.errors = errors;
        this.clock = clock;
        this.skewMillis = skewMillis;
    }

    Step<ClaimResult> claim(ClaimRequest request) {
        return claimAttempt(request, null, 1);
    }

    Step<CompleteResult> complete(CompleteRequest request) {
        StoredResult stored = sizing.fit(request.key(), request.result());
        if (stored.notStored()) {
            log.warn("[{}] result for key {} is {} bytes and does not fit a DynamoDB item even compressed; completing"
                    + " without it, so duplicates will not run the action but cannot replay its result",
                    DynamoDbIdempotencyStore.BACKEND, request.key(), stored.originalBytes());
        }
        return completeAttempt(request, stored);
    }

    Step<Boolean> release(String key, long fencingToken) {
        long now = clock.millis();

        return Step.call(requests.release(key, fencingToken, now), (response, failure) -> {
            if (failure == null) {
                return Step.done(true);
            }
            if (failure instanceof ConditionalCheckFailedException) {
                return Step.done(false);
            }
            throw errors.backendFailure("release", key, failure);
        });
    }

    Step<ExtendResult> extend(String key, long fencingToken, long leaseMillis) {
        return extendAttempt(key, fencingToken, leaseMillis, 1);
    }

    Step<Optional<IdempotencyRecord>> get(String key) {
        return Step.call(requests.consistentGet(key), (response, failure) -> {
            if (failure != null) {
                throw errors.backendFailure("get", key, failure);
            }
            Map<String, AttributeValue> item = ((GetItemResponse) response).item();
            return Step.done(Optional.ofNullable(items.liveRecord(key, item, decisionNow(), "get")));
        });
    }

    // Claim

    private Step<ClaimResult> claimAttempt(ClaimRequest request, String keptFingerprint, int attempt) {
        long now = clock.millis();
        long decisionNow = now - skewMillis;
        String claimId = newClaimId();

        return Step.call(requests.claim(request, keptFingerprint, claimId, now, decisionNow), (response, failure) -> {
            if (failure == null) {
                return Step.done(acquired(request, ((UpdateItemResponse) response).attributes(), now, decisionNow));
            }
            if (!(failure instanceof ConditionalCheckFailedException refused)) {
                throw errors.backendFailure("claim", request.key(), failure);
            }

            return withCurrentItem(request.key(), "claim", refused, item -> {
                long readNow = decisionNow();
                IdempotencyRecord record = items.liveRecord(request.key(), item, readNow, "claim");
                if (wasRetried(refused) && isOwnClaim(record, item, claimId)) {
                    log.info("[{}] claim of key {} found its own write from an attempt whose response was lost;"
                            + " the claim holds fencing token {}", DynamoDbIdempotencyStore.BACKEND, request.key(),
                            record.fencingToken());
                    return Step.done(new ClaimResult.Acquired(record.fencingToken(), record.leaseExpiresAt(), now, false));
                }
                ClaimResult existing = existingRecord(request, record, readNow);
                if (existing != null) {
                    return Step.done(existing);
                }
                // The item that rejected the claim is gone or claimable by now, or the claim is a takeover
                // that keeps the stored fingerprint, which needs its own condition. So the claim goes again.
                if (attempt >= MAX_ATTEMPTS) {
                    throw raceLost("claim", request.key(), attempt);
                }
                String keep = record != null && request.fingerprint() == null ? record.fingerprint() : null;
                return claimAttempt(request, keep, attempt + 1);
            });
        });
    }

    private ClaimResult.Acquired acquired(ClaimRequest request, Map<String, AttributeValue> old, long now, long decisionNow) {
        // The update computed if_not_exists(token, now) + 1, so the old item gives the new token.
        Long oldToken = items.fencingToken(request.key(), old, "claim");
        long fencingToken = (oldToken == null ? now : oldToken) + 1;
        boolean takeover = items.isLiveAt(old, decisionNow);
        return new ClaimResult.Acquired(fencingToken, now + request.leaseMillis(), now, takeover);
    }

    /** Tells whether the SDK sent the refused request more than once, so that an earlier attempt may have taken effect. */
    private static boolean wasRetried(ConditionalCheckFailedException refused) {
        return refused.numAttempts() != null && refused.numAttempts() > 1;
    }

    /**
     * Tells whether {@code record} is this very claim's write. The SDK retries a request whose
     * response was lost, and when the first attempt took effect, the retry is refused by that
     * write. Each claim request carries a random id, which identifies it exactly.
     */
    private boolean isOwnClaim(IdempotencyRecord record, Map<String, AttributeValue> item, String claimId) {
        if (record == null || record.isCompleted() || item == null) {
            return false;
        }
        AttributeValue stored = item.get(requests.layout().claimId());
        return stored != null && claimId.equals(stored.s());
    }

    /** Returns a random 128-bit claim id; ThreadLocalRandom avoids SecureRandom's cost on every claim. */
    private static String newClaimId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
    }

    /** Returns the result for a live record that stops a claim, or {@code null} when the claim may go ahead. */
    private static ClaimResult existingRecord(ClaimRequest request, IdempotencyRecord record, long decisionNow) {
        if (record == null) {
            return null;
        }
        if (record.isCompleted()) {
            return new ClaimResult.Completed(record, decisionNow);
        }
        if (record.isLeaseOverAt(decisionNow) && fingerprintsMatch(record.fingerprint(), request.fingerprint())) {
            return null;
        }
        return new ClaimResult.InProgress(record, decisionNow);
    }

    // Complete

    private Step<CompleteResult> completeAttempt(CompleteRequest request, StoredResult stored) {
        long now = clock.millis();

        return Step.call(requests.complete(request.key(), request.fencingToken(), stored, now, request.retentionMillis()),
                (response, failure) -> {
                    if (failure == null) {
                        return Step.done(new CompleteResult.Stored(now + request.retentionMillis(), now));
                    }
                    if (failure instanceof ConditionalCheckFailedException refused) {
                        return withCurrentItem(request.key(), "complete", refused, item -> {
                            IdempotencyRecord current = items.liveRecord(request.key(), item, decisionNow(), "complete");
                            if (wasRetried(refused) && isOwnCompletion(current, request, now)) {
                                return Step.done(new CompleteResult.Stored(current.expiresAt(), now));
                            }
                            return Step.done(new CompleteResult.Rejected(current));
                        });
                    }
                    if (mayBeItemTooLarge(failure, stored)) {
                        return completeWithoutResult(request, stored, failure);
                    }
                    throw errors.backendFailure("complete", request.key(), failure);
                });
    }

    /**
     * Tells whether {@code current} is this very completion's write, found by an SDK retry after
     * the first attempt's response was lost: only the holder of a fencing token completes under
     * it, and the completion time is this call's own clock reading.
     */
    private static boolean isOwnCompletion(IdempotencyRecord current, CompleteRequest request, long now) {
        return current != null
                && current.isCompleted()
                && current.fencingToken() == request.fencingToken()
                && current.completedAt() == now;
    }

    /**
     * Tells whether a failed completion may have exceeded the item size limit: DynamoDB rejects
     * that with a ValidationException, and only a result larger than the reserved room can be
     * what pushed the item over.
     */
    private static boolean mayBeItemTooLarge(SdkException failure, StoredResult stored) {
        return failure instanceof AwsServiceException service
                && service.awsErrorDetails() != null
                && "ValidationException".equals(service.awsErrorDetails().errorCode())
                && !stored.notStored()
                && stored.bytes().length > ResultSizing.UNKNOWN_ATTRIBUTES_RESERVE;
    }

    private Step<CompleteResult> completeWithoutResult(CompleteRequest request, StoredResult stored, SdkException failure) {
        log.warn("[{}] DynamoDB rejected the completion of key {} with a {}-byte result ({}); completing again"
                + " without the result, so duplicates will not run the action but cannot replay its result",
                DynamoDbIdempotencyStore.BACKEND, request.key(), stored.bytes().length, errors.describe(failure));
        StoredResult withoutResult = ResultSizing.notStored(stored.originalBytes(), "result of " + stored.originalBytes()
                + " bytes was rejected by DynamoDB: " + failure.getMessage());
        return completeAttempt(request, withoutResult);
    }

    // Extend

    private Step<ExtendResult> extendAttempt(String key, long fencingToken, long leaseMillis, int attempt) {
        long now = clock.millis();
        long leaseExpiresAt = now + leaseMillis;

        return Step.call(requests.extendWithinRetention(key, fencingToken, now, leaseExpiresAt), (response, failure) -> {
            if (failure == null) {
                return Step.done(new ExtendResult.Extended(leaseExpiresAt, now));
            }
            if (!(failure instanceof ConditionalCheckFailedException refused)) {
                throw errors.backendFailure("extend", key, failure);
            }

            return withCurrentItem(key, "extend", refused, item -> {
                if (!items.isHeldBy(item, fencingToken, now)) {
                    return Step.done(new ExtendResult.Rejected(items.liveRecord(key, item, decisionNow(), "extend")));
                }
                // Still held, so the new lease outlives the retention: move both.
                return extendPastRetention(key, fencingToken, leaseMillis, now, leaseExpiresAt, attempt);
            });
        });
    }

    private Step<ExtendResult> extendPastRetention(
            String key, long fencingToken, long leaseMillis, long now, long leaseExpiresAt, int attempt) {
        return Step.call(requests.extendPastRetention(key, fencingToken, now, leaseExpiresAt), (response, failure) -> {
            if (failure == null) {
                return Step.done(new ExtendResult.Extended(leaseExpiresAt, now));
            }
            if (!(failure instanceof ConditionalCheckFailedException refused)) {
                throw errors.backendFailure("extend", key, failure);
            }

            return withCurrentItem(key, "extend", refused, item -> {
                if (!items.isHeldBy(item, fencingToken, now)) {
                    return Step.done(new ExtendResult.Rejected(items.liveRecord(key, item, decisionNow(), "extend")));
                }
                // Another extension by the same holder moved the retention in between, so start over.
                if (attempt >= MAX_ATTEMPTS) {
                    throw raceLost("extend", key, attempt);
                }
                return extendAttempt(key, fencingToken, leaseMillis, attempt + 1);
            });
        });
    }

    // Shared

    /**
     * Continues with the item that made a conditional write fail. DynamoDB returns it in the
     * exception when the request asked for {@code ALL_OLD}; servers that ignore that option, such
     * as dynalite, return none, so a strongly consistent read fetches it.
     */
    private <T> Step<T> withCurrentItem(String key, String operation, ConditionalCheckFailedException refused,
                                        Function<Map<String, AttributeValue>, Step<T>> next) {
        if (refused.hasItem() && !refused.item().isEmpty()) {
            return next.apply(refused.item());
        }

        return Step.call(requests.consistentGet(key), (response, failure) -> {
            if (failure != null) {
                throw errors.backendFailure(operation, key, failure);
            }
            return next.apply(((GetItemResponse) response).item());
        });
    }

    /** Returns the client's clock minus the skew allowance, the time at which other clients' records are judged. */
    private long decisionNow() {
        return clock.millis() - skewMillis;
    }

    private static BackendException raceLost(String operation, String key, int attempts) {
        return new BackendException(DynamoDbIdempotencyStore.BACKEND, operation, key, "the item changed between the"
                + " conditional write and the read that followed it, " + attempts + " times in a row. Other writers"
                + " are racing for this key; retry the operation.");
    }

    private static boolean fingerprintsMatch(String stored, String requested) {
        return stored == null || requested == null || stored.equals(requested);
    }
}
