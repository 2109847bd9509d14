package dev.idem;

import dev.idem.codec.ResultCodec;
import dev.idem.codec.ResultCodecs;
import dev.idem.codec.ResultType;
import dev.idem.event.IdempotencyEvent;
import dev.idem.event.IdempotencyEventType;
import dev.idem.event.IdempotencyListener;
import dev.idem.fingerprint.Fingerprinter;
import dev.idem.internal.LocalCache;
import dev.idem.internal.ResultEnvelope;
import dev.idem.key.IdempotencyKeys;
import dev.idem.spi.ClaimRequest;
import dev.idem.spi.ClaimResult;
import dev.idem.spi.CompleteRequest;
import dev.idem.spi.CompleteResult;
import dev.idem.spi.ExtendResult;
import dev.idem.spi.IdempotencyRecord;
import dev.idem.spi.IdempotencyStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Type;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Runs an action once per idempotency key and replays its result to every duplicate until the
 * record expires.
 *
 * <pre>{@code
 * Idem idem = Idem.builder(store).namespace("payments").build();
 * Execution<Receipt> receipt = idem.execute(request.id(), request, Receipt.class, () -> charge(request));
 * }</pre>
 *
 * <p>{@code execute} claims the key with one round trip. On a new claim it runs the action,
 * stores the encoded result with a token-checked {@code complete} (a second round trip) and
 * returns it. On a duplicate it returns the stored result from the same claim round trip,
 * marked as a replay. A duplicate that arrives while the first call still runs follows the
 * {@link InFlightPolicy}; a duplicate with a different payload gets a
 * {@link FingerprintMismatchException}.
 *
 * <p>The manual steps ({@link #claim}, {@link #complete}, {@link #release}, {@link #extend}) are
 * there for frameworks that run the action themselves.
 *
 * <p>Warning: exactly-once side effects are not promised. If the action outlives its lease, a
 * duplicate may take over and run it again (the first holder then gets a
 * {@link LeaseLostException}); if the completion write fails after the side effect, a
 * duplicate runs it again once the lease ends.
 *
 * <p>Instances are immutable and thread-safe; build one per namespace and share it.
 */
public final class Idem {

    private static final Logger log = LoggerFactory.getLogger(Idem.class);

    private final IdempotencyStore store;
    private final String backend;
    private final IdempotencyKeys keys;
    private final LeasePolicy lease;
    private final long retentionMillis;
    private final InFlightPolicy inFlight;
    private final FailurePolicy failure;
    private final BackendFailurePolicy backendFailure;
    private final Fingerprinter fingerprinter;
    private final Object objectMapper;
    private final ConcurrentHashMap<Type, ResultCodec<?>> codecs;
    private final Set<ResultCodec<?>> readableCodecs;
    private final LocalCache cache;
    private final List<IdempotencyListener> listeners;
    private final Clock clock;
    private final int maxResultBytes;
    private final String owner;

    Idem(IdemBuilder builder) {
        this.store = Objects.requireNonNull(builder.store, "store");
        this.backend = store.capabilities().backend();
        this.keys = new IdempotencyKeys(builder.namespace, store.capabilities().maxKeyBytes());
        this.lease = builder.lease;
        this.retentionMillis = builder.retention.toMillis();
        this.inFlight = builder.inFlight;
        this.failure = builder.failure;
        this.backendFailure = builder.backendFailure;
        this.fingerprinter = builder.fingerprinter;
        this.objectMapper = builder.objectMapper;
        this.codecs = new ConcurrentHashMap<>();
        this.readableCodecs = ConcurrentHashMap.newKeySet();
        this.cache = builder.cacheMaxEntries > 0
                ? new LocalCache(builder.cacheMaxEntries, builder.cacheMaxTtl, builder.clock)
                : null;
        this.listeners = List.copyOf(builder.listeners);
        this.clock = builder.clock;
        // The stored envelope adds one tag byte to the encoded result, so the store's limit is one byte larger.
        int storeLimit = store.capabilities().maxResultBytes() - 1;
        if (builder.maxResultBytes != null && builder.maxResultBytes > storeLimit) {
            throw new IllegalArgumentException("maxResultBytes " + builder.maxResultBytes + " exceeds what the "
                    + backend + " store accepts (" + storeLimit + " bytes of encoded result). Raise the limit on the"
                    + " store's own builder where the backend allows it, or choose a lower maxResultBytes.");
        }
        this.maxResultBytes = builder.maxResultBytes == null ? storeLimit : builder.maxResultBytes;
        this.owner = builder.owner;
    }

    private Idem(Idem base, LeasePolicy lease) {
        this.store = base.store;
        this.backend = base.backend;
        this.keys = base.keys;
        this.lease = lease;
        this.retentionMillis = base.retentionMillis;
        this.inFlight = base.inFlight;
        this.failure = base.failure;
        this.backendFailure = base.backendFailure;
        this.fingerprinter = base.fingerprinter;
        this.objectMapper = base.objectMapper;
        this.codecs = base.codecs;
        this.readableCodecs = base.readableCodecs;
        this.cache = base.cache;
        this.listeners = base.listeners;
        this.clock = base.clock;
        this.maxResultBytes = base.maxResultBytes;
        this.owner = base.owner;
    }

    /** Starts configuring an instance over {@code store}. */
    public static IdemBuilder builder(IdempotencyStore store) {
        return new IdemBuilder(Objects.requireNonNull(store, "store"));
    }

    /**
     * Starts configuring an instance over the store that the classpath and configuration select;
     * see {@link IdempotencyStores#fromEnvironment()}.
     */
    public static IdemBuilder builder() {
        return new IdemBuilder(IdempotencyStores.fromEnvironment());
    }

    /**
     * Returns a view of this instance that computes leases with {@code lease}, sharing the store,
     * cache and listeners. Cheap enough to call once per request or invocation.
     */
    public Idem withLease(LeasePolicy lease) {
        return new Idem(this, Objects.requireNonNull(lease, "lease"));
    }

    /** Returns the store this instance writes to. */
    public IdempotencyStore store() {
        return store;
    }

    /** Returns the namespace that prefixes every key. */
    public String namespace() {
        return keys.namespace();
    }

    /** Returns the full storage key for a caller's key, as the backend stores it. */
    public String storageKey(String key) {
        return keys.storageKey(key);
    }

    // ---------------------------------------------------------------- execute

    /**
     * Runs {@code action} once for {@code key} and returns its result; replays the stored result
     * to duplicates.
     *
     * @param key     the idempotency key, such as a request id or message id; never null or blank
     * @param payload the request, fingerprinted so that a reused key with another payload is
     *                rejected; {@code null} skips the check
     * @param type    the result type, used to decode replays
     * @throws InFlightException            when another call has claimed the key and the policy fails fast
     * @throws FingerprintMismatchException when the key was used with a different payload
     * @throws LeaseLostException           when the action outlived its lease and another call took over
     * @throws ReplayedFailureException     when the first call's failure was stored as final
     * @throws BackendException             when the backend failed and the policy fails closed
     * @throws E                            what the action throws, after its claim was released
     */
    public <T, E extends Exception> Execution<T> execute(
            String key, Object payload, Class<T> type, IdempotentAction<T, E> action) throws E {
        return execute(key, payload, codecFor(type), action);
    }

    /** Like {@link #execute(String, Object, Class, IdempotentAction)}, for generic result types. */
    public <T, E extends Exception> Execution<T> execute(
            String key, Object payload, ResultType<T> type, IdempotentAction<T, E> action) throws E {
        return execute(key, payload, codecFor(type), action);
    }

    /** Like {@link #execute(String, Object, Class, IdempotentAction)}, with an explicit codec. */
    public <T, E extends Exception> Execution<T> execute(
            String key, Object payload, ResultCodec<T> codec, IdempotentAction<T, E> action) throws E {
        Objects.requireNonNull(action, "action");
        return run(key, payload, codec, lease -> action.run());
    }

    /** Like {@link #execute(String, Object, Class, IdempotentAction)}, for an action that extends its lease. */
    public <T, E extends Exception> Execution<T> executeWithLease(
            String key, Object payload, Class<T> type, LeasedAction<T, E> action) throws E {
        return run(key, payload, codecFor(type), Objects.requireNonNull(action, "action"));
    }

    /** Like {@link #executeWithLease(String, Object, Class, LeasedAction)}, for generic result types. */
    public <T, E extends Exception> Execution<T> executeWithLease(
            String key, Object payload, ResultType<T> type, LeasedAction<T, E> action) throws E {
        return run(key, payload, codecFor(type), Objects.requireNonNull(action, "action"));
    }

    private <T, E extends Exception> Execution<T> run(
            String key, Object payload, ResultCodec<T> codec, LeasedAction<T, E> action) throws E {
        Objects.requireNonNull(codec, "codec");
        String storageKey = keys.storageKey(key);
        String fingerprint = fingerprint(payload);

        Execution<T> cached = fromCache(storageKey, fingerprint, codec);
        if (cached != null) {
            return cached;
        }

        long waitStartedNanos = System.nanoTime();
        long backoffMillis = inFlight.initialBackoff().toMillis();
        while (true) {
            ClaimResult result;
            try {
                result = claimOnce(storageKey, fingerprint);
            } catch (BackendException e) {
                if (backendFailure == BackendFailurePolicy.FAIL_OPEN) {
                    return runUnprotected(storageKey, action, e);
                }
                throw e;
            }

            if (result instanceof ClaimResult.Acquired acquired) {
                Lease heldLease = newLease(storageKey, fingerprint, acquired);
                return runAndComplete(heldLease, codec, action);
            }
            if (result instanceof ClaimResult.Completed completed) {
                return replay(storageKey, completed, codec);
            }

            ClaimResult.InProgress inProgress = (ClaimResult.InProgress) result;
            IdempotencyRecord record = inProgress.record();
            Duration retryAfter = Duration.ofMillis(Math.max(0, record.leaseExpiresAt() - inProgress.now()));
            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - waitStartedNanos);
            long waitLeftMillis = inFlight.maxWait().toMillis() - waitedMillis;
            if (!inFlight.waits() || waitLeftMillis <= 0) {
                throw new InFlightException(storageKey, retryAfter, record.fencingToken(), inFlight.waits());
            }

            // Poll again no later than the lease's end, when a claim may take the key over.
            long sleepMillis = Math.min(backoffMillis, Math.min(waitLeftMillis, retryAfter.toMillis() + 1));
            sleepMillis = ThreadLocalRandom.current().nextLong(sleepMillis / 2, sleepMillis + 1);
            log.debug("[{}] waiting {} ms for in-flight key {}", namespace(), sleepMillis, storageKey);
            sleep(storageKey, Math.max(1, sleepMillis));
            backoffMillis = Math.min(backoffMillis * 2, inFlight.maxBackoff().toMillis());
        }
    }

    private <T> Execution<T> fromCache(String storageKey, String fingerprint, ResultCodec<T> codec) {
        if (cache == null) {
            return null;
        }
        long started = System.nanoTime();
        LocalCache.Entry entry = cache.get(storageKey);
        if (entry == null) {
            return null;
        }
        if (!fingerprintsMatch(entry.fingerprint(), fingerprint)) {
            emit(IdempotencyEventType.FINGERPRINT_MISMATCH, storageKey, entry.fencingToken(), started, null);
            throw new FingerprintMismatchException(storageKey, "COMPLETED");
        }
        T value = decode(storageKey, entry.envelope(), codec);
        emit(IdempotencyEventType.CACHE_HIT, storageKey, entry.fencingToken(), started, null);
        log.debug("[{}] replayed key {} from the local cache", namespace(), storageKey);
        return new Execution<>(value, Source.REPLAYED_FROM_CACHE, storageKey, entry.fencingToken());
    }

    private <T> Execution<T> replay(String storageKey, ClaimResult.Completed completed, ResultCodec<T> codec) {
        IdempotencyRecord record = completed.record();
        if (cache != null) {
            cache.put(storageKey, record.result(), record.fingerprint(), record.fencingToken(),
                    record.expiresAt(), completed.now());
        }
        log.debug("[{}] replaying completed key {} (fencing token {})", namespace(), storageKey, record.fencingToken());
        T value = decode(storageKey, record.result(), codec);
        return new Execution<>(value, Source.REPLAYED, storageKey, record.fencingToken());
    }

    private <T, E extends Exception> Execution<T> runAndComplete(
            Lease heldLease, ResultCodec<T> codec, LeasedAction<T, E> action) throws E {
        T value;
        try {
            value = action.run(heldLease);
        } catch (Exception | Error failure) {
            handleActionFailure(heldLease, failure);
            throw failure;
        }

        Encoded encoded = encodeForStorage(heldLease.key(), value, codec);
        try {
            completeOrThrow(heldLease, encoded.envelope());
        } catch (BackendException e) {
            if (backendFailure != BackendFailurePolicy.FAIL_OPEN) {
                throw e;
            }
            log.warn("[{}] {} failed to record the result for key {}; returning it anyway because the policy fails"
                    + " open, and a duplicate may run the action again after the lease ends", namespace(), backend,
                    heldLease.key(), e);
            emit(IdempotencyEventType.FAIL_OPEN, heldLease.key(), heldLease.fencingToken(), System.nanoTime(), e);
            return new Execution<>(value, Source.EXECUTED_UNPROTECTED, heldLease.key(), heldLease.fencingToken());
        }
        encoded.throwIfNotStored();
        return new Execution<>(value, Source.EXECUTED, heldLease.key(), heldLease.fencingToken());
    }

    private <T, E extends Exception> Execution<T> runUnprotected(
            String storageKey, LeasedAction<T, E> action, BackendException cause) throws E {
        log.warn("[{}] {} is unavailable; running the action for key {} without idempotency protection"
                + " because the policy fails open", namespace(), backend, storageKey, cause);
        emit(IdempotencyEventType.FAIL_OPEN, storageKey, 0, System.nanoTime(), cause);
        Lease unprotected = new Lease(this, storageKey, 0, false, null, clock.instant().plus(lease.leaseAt(clock.instant())));
        T value = action.run(unprotected);
        return new Execution<>(value, Source.EXECUTED_UNPROTECTED, storageKey, 0);
    }

    private void handleActionFailure(Lease heldLease, Throwable failure) {
        if (this.failure.isFinal(failure)) {
            try {
                completeOrThrow(heldLease, ResultEnvelope.failure(failure));
                emit(IdempotencyEventType.FAILURE_STORED, heldLease.key(), heldLease.fencingToken(), System.nanoTime(), null);
                log.debug("[{}] stored final failure {} for key {}", namespace(), failure.getClass().getName(), heldLease.key());
            } catch (RuntimeException storeFailure) {
                failure.addSuppressed(storeFailure);
            }
            return;
        }

        try {
            release(heldLease);
        } catch (RuntimeException releaseFailure) {
            // The action's own exception matters more; the claim ends with its lease anyway.
            failure.addSuppressed(releaseFailure);
            log.warn("[{}] could not release key {} after the action failed; it stays claimed until its lease"
                    + " ends at {}", namespace(), heldLease.key(), heldLease.expiresAt(), releaseFailure);
        }
    }

    private void completeOrThrow(Lease heldLease, byte[] envelope) {
        long started = System.nanoTime();
        CompleteResult result;
        try {
            result = store.complete(new CompleteRequest(heldLease.key(), heldLease.fencingToken(), envelope, retentionMillis));
        } catch (BackendException e) {
            emit(IdempotencyEventType.BACKEND_ERROR, heldLease.key(), heldLease.fencingToken(), started, e);
            throw new BackendException(backend, "complete", heldLease.key(), "the action ran but its result was not"
                    + " recorded; a duplicate can run it again after the lease ends at " + heldLease.expiresAt()
                    + ". Cause: " + e.getMessage(), e);
        }

        if (result instanceof CompleteResult.Stored stored) {
            emit(IdempotencyEventType.COMPLETED, heldLease.key(), heldLease.fencingToken(), started, null);
            if (cache != null && ResultEnvelope.tag(envelope) != ResultEnvelope.FAILURE) {
                cache.put(heldLease.key(), envelope, heldLease.fingerprint(), heldLease.fencingToken(), stored.expiresAt(),
                        stored.now());
            }
            return;
        }

        IdempotencyRecord current = ((CompleteResult.Rejected) result).current();
        if (completedBy(current, heldLease)) {
            // An earlier attempt whose reply was lost already stored this holder's result.
            emit(IdempotencyEventType.COMPLETED, heldLease.key(), heldLease.fencingToken(), started, null);
            return;
        }
        LeaseLostException lost = new LeaseLostException(heldLease.key(), "complete", heldLease.fencingToken(), describe(current));
        emit(IdempotencyEventType.LEASE_LOST, heldLease.key(), heldLease.fencingToken(), started, lost);
        log.warn("[{}] complete rejected for key {}: lease lost, fencing token {} was replaced (found {})",
                namespace(), heldLease.key(), heldLease.fencingToken(), describe(current));
        throw lost;
    }

    // ------------------------------------------------------------ manual API

    /**
     * Claims a key without running anything: the first step for frameworks that run the action
     * themselves. On {@link ClaimOutcome.Acquired}, run the action, then {@link #complete} or
     * {@link #release} the lease.
     *
     * @throws FingerprintMismatchException when the key's live record was made for another payload
     * @throws BackendException             when the backend failed
     */
    public ClaimOutcome claim(String key, Object payload) {
        String storageKey = keys.storageKey(key);
        String fingerprint = fingerprint(payload);
        return toOutcome(storageKey, fingerprint, claimOnce(storageKey, fingerprint));
    }

    /**
     * Claims many keys in one round trip where the backend allows it. Outcomes come back in the
     * order of {@code keys}; a key listed twice is acquired once, and its second entry is
     * {@link ClaimOutcome.InFlight}. A key reused with another payload gets
     * {@link ClaimOutcome.PayloadMismatch} rather than failing the batch.
     *
     * @param payloads the payload for each key, in the same order, or {@code null} to skip fingerprints
     * @throws IllegalArgumentException when a key is invalid; no key is claimed then
     * @throws BackendException         when the backend failed
     */
    public List<ClaimOutcome> claimAll(List<String> keys, List<?> payloads) {
        Objects.requireNonNull(keys, "keys");
        if (payloads != null && payloads.size() != keys.size()) {
            throw new IllegalArgumentException("payloads has " + payloads.size() + " entries but keys has " + keys.size());
        }

        Duration leaseDuration = lease.leaseAt(clock.instant());
        List<ClaimRequest> requests = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            String fingerprint = payloads == null ? null : fingerprint(payloads.get(i));
            requests.add(new ClaimRequest(this.keys.storageKey(keys.get(i)), fingerprint, leaseDuration.toMillis(),
                    retentionMillis, owner));
        }

        long started = System.nanoTime();
        List<ClaimResult> results;
        try {
            results = store.claimAll(requests);
        } catch (BackendException e) {
            emit(IdempotencyEventType.BACKEND_ERROR, null, 0, started, e);
            throw e;
        }

        List<ClaimOutcome> outcomes = new ArrayList<>(results.size());
        for (int i = 0; i < results.size(); i++) {
            ClaimRequest request = requests.get(i);
            ClaimResult result = results.get(i);
            try {
                reportClaim(request.key(), request.fingerprint(), result, started);
                outcomes.add(toOutcome(request.key(), request.fingerprint(), result));
            } catch (FingerprintMismatchException mismatch) {
                outcomes.add(new ClaimOutcome.PayloadMismatch(request.key(), mismatch));
            }
        }
        return outcomes;
    }

    /**
     * Completes many held leases in one round trip where the backend allows it. A result that is
     * too large or not encodable completes its record without the result, as {@link #complete}
     * does, but is reported as {@link CompletionStatus#RESULT_NOT_STORED} instead of thrown.
     *
     * @return one status per completion, in the same order
     * @throws BackendException when the backend failed; whether any record completed is then unknown
     */
    public List<CompletionStatus> completeAll(List<? extends Completion<?>> completions) {
        Objects.requireNonNull(completions, "completions");
        List<CompleteRequest> requests = new ArrayList<>(completions.size());
        List<Encoded> encodings = new ArrayList<>(completions.size());
        for (Completion<?> completion : completions) {
            Encoded encoded = encodeCompletion(completion);
            encodings.add(encoded);
            requests.add(new CompleteRequest(completion.lease().key(), completion.lease().fencingToken(),
                    encoded.envelope(), retentionMillis));
        }

        long started = System.nanoTime();
        List<CompleteResult> results;
        try {
            results = store.completeAll(requests);
        } catch (BackendException e) {
            emit(IdempotencyEventType.BACKEND_ERROR, null, 0, started, e);
            throw e;
        }

        List<CompletionStatus> statuses = new ArrayList<>(results.size());
        for (int i = 0; i < results.size(); i++) {
            Lease lease = completions.get(i).lease();
            if (results.get(i) instanceof CompleteResult.Stored stored) {
                emit(IdempotencyEventType.COMPLETED, lease.key(), lease.fencingToken(), started, null);
                if (cache != null && encodings.get(i).notStored() == null) {
                    cache.put(lease.key(), requests.get(i).result(), lease.fingerprint(), lease.fencingToken(), stored.expiresAt(),
                            stored.now());
                }
                statuses.add(encodings.get(i).notStored() == null ? CompletionStatus.STORED
                        : CompletionStatus.RESULT_NOT_STORED);
            } else if (completedBy(((CompleteResult.Rejected) results.get(i)).current(), lease)) {
                statuses.add(encodings.get(i).notStored() == null ? CompletionStatus.STORED
                        : CompletionStatus.RESULT_NOT_STORED);
            } else {
                emit(IdempotencyEventType.LEASE_LOST, lease.key(), lease.fencingToken(), started, null);
                log.warn("[{}] complete rejected for key {}: lease lost, fencing token {} was replaced", namespace(),
                        lease.key(), lease.fencingToken());
                statuses.add(CompletionStatus.LEASE_LOST);
            }
        }
        return statuses;
    }

    private <T> Encoded encodeCompletion(Completion<T> completion) {
        return encodeForStorage(completion.lease().key(), completion.value(), codecFor(completion.type()));
    }

    /**
     * Stores the action's result for a heldLease lease, so that duplicates replay it.
     *
     * @throws LeaseLostException       when the lease was taken over or the record expired
     * @throws ResultTooLargeException  when the encoded result exceeds the limit (the record is
     *                                  completed without a result)
     * @throws ResultEncodingException  when the result cannot be encoded (likewise)
     */
    public <T> void complete(Lease lease, T value, Class<T> type) {
        complete(lease, value, codecFor(type));
    }

    /** Like {@link #complete(Lease, Object, Class)}, for generic result types. */
    public <T> void complete(Lease lease, T value, ResultType<T> type) {
        complete(lease, value, codecFor(type));
    }

    /** Like {@link #complete(Lease, Object, Class)}, with an explicit codec. */
    public <T> void complete(Lease lease, T value, ResultCodec<T> codec) {
        Encoded encoded = encodeForStorage(lease.key(), value, codec);
        completeOrThrow(lease, encoded.envelope());
        encoded.throwIfNotStored();
    }

    /**
     * Builds the store request that completes {@code lease} with {@code value}, without sending it.
     * A store that can write it in the caller's own transaction uses this to commit the result
     * together with the action's writes.
     *
     * @throws ResultTooLargeException when the encoded result exceeds the limit
     * @throws ResultEncodingException when the result cannot be encoded
     */
    public <T> CompleteRequest completionRequest(Lease lease, T value, ResultType<T> type) {
        Encoded encoded = encodeForStorage(lease.key(), value, codecFor(type));
        encoded.throwIfNotStored();
        return new CompleteRequest(lease.key(), lease.fencingToken(), encoded.envelope(), retentionMillis);
    }

    /**
     * Stores the failure of an action as final, so that duplicates get a
     * {@link ReplayedFailureException} instead of running it again.
     *
     * @throws LeaseLostException when the lease was taken over or the record expired
     */
    public void completeExceptionally(Lease lease, Throwable failure) {
        completeOrThrow(lease, ResultEnvelope.failure(failure));
        emit(IdempotencyEventType.FAILURE_STORED, lease.key(), lease.fencingToken(), System.nanoTime(), null);
    }

    /**
     * Releases a heldLease lease so that a retry may claim the key and run the action. A lease that
     * was already lost is left alone and reported with {@code false}.
     *
     * @throws BackendException when the backend failed; the claim then ends with its lease
     */
    public boolean release(Lease lease) {
        long started = System.nanoTime();
        boolean released;
        try {
            released = store.release(lease.key(), lease.fencingToken());
        } catch (BackendException e) {
            emit(IdempotencyEventType.BACKEND_ERROR, lease.key(), lease.fencingToken(), started, e);
            throw e;
        }
        if (released) {
            emit(IdempotencyEventType.RELEASED, lease.key(), lease.fencingToken(), started, null);
            log.debug("[{}] released key {} (fencing token {})", namespace(), lease.key(), lease.fencingToken());
        } else {
            log.warn("[{}] release of key {} found no claim under fencing token {}; the lease had already been"
                    + " lost", namespace(), lease.key(), lease.fencingToken());
        }
        return released;
    }

    /**
     * Extends a heldLease lease to {@code duration} from now.
     *
     * @throws LeaseLostException when the lease was taken over or the record expired
     * @throws BackendException   when the backend failed
     */
    public void extend(Lease lease, Duration duration) {
        InFlightPolicy.requirePositive(duration, "duration");
        long started = System.nanoTime();
        ExtendResult result;
        try {
            result = store.extend(lease.key(), lease.fencingToken(), duration.toMillis());
        } catch (BackendException e) {
            emit(IdempotencyEventType.BACKEND_ERROR, lease.key(), lease.fencingToken(), started, e);
            throw e;
        }

        if (result instanceof ExtendResult.Extended extended) {
            lease.expiresAt(clock.instant().plusMillis(extended.leaseExpiresAt() - extended.now()));
            emit(IdempotencyEventType.EXTENDED, lease.key(), lease.fencingToken(), started, null);
            return;
        }

        IdempotencyRecord current = ((ExtendResult.Rejected) result).current();
        LeaseLostException lost = new LeaseLostException(lease.key(), "extend", lease.fencingToken(), describe(current));
        emit(IdempotencyEventType.LEASE_LOST, lease.key(), lease.fencingToken(), started, lost);
        log.warn("[{}] extend rejected for key {}: lease lost, fencing token {} was replaced", namespace(), lease.key(),
                lease.fencingToken());
        throw lost;
    }

    /** Reads the live record of a key, for inspection; never served from the local cache. */
    public Optional<IdempotencyRecord> get(String key) {
        return store.get(keys.storageKey(key));
    }

    // -------------------------------------------------------------- internals

    private ClaimResult claimOnce(String storageKey, String fingerprint) {
        Duration leaseDuration = lease.leaseAt(clock.instant());
        ClaimRequest request = new ClaimRequest(storageKey, fingerprint, leaseDuration.toMillis(), retentionMillis, owner);

        long started = System.nanoTime();
        ClaimResult result;
        try {
            result = store.claim(request);
        } catch (BackendException e) {
            emit(IdempotencyEventType.BACKEND_ERROR, storageKey, 0, started, e);
            throw e;
        }
        reportClaim(storageKey, fingerprint, result, started);
        return result;
    }

    /** Logs and reports a claim's result, and throws when a duplicate's payload differs. */
    private void reportClaim(String storageKey, String fingerprint, ClaimResult result, long started) {
        if (result instanceof ClaimResult.Acquired acquired) {
            if (acquired.takeover()) {
                log.info("[{}] took over key {} after its lease expired (fencing token {})", namespace(),
                        storageKey, acquired.fencingToken());
                emit(IdempotencyEventType.TAKEOVER, storageKey, acquired.fencingToken(), started, null);
            } else {
                log.debug("[{}] claimed key {} (fencing token {})", namespace(), storageKey, acquired.fencingToken());
                emit(IdempotencyEventType.ACQUIRED, storageKey, acquired.fencingToken(), started, null);
            }
        } else if (result instanceof ClaimResult.Completed completed) {
            checkFingerprint(storageKey, fingerprint, completed.record(), started);
            emit(IdempotencyEventType.REPLAYED, storageKey, completed.record().fencingToken(), started, null);
        } else {
            IdempotencyRecord record = ((ClaimResult.InProgress) result).record();
            checkFingerprint(storageKey, fingerprint, record, started);
            log.debug("[{}] key {} is in flight under fencing token {}", namespace(), storageKey, record.fencingToken());
            emit(IdempotencyEventType.IN_FLIGHT, storageKey, record.fencingToken(), started, null);
        }
    }

    private void checkFingerprint(String storageKey, String fingerprint, IdempotencyRecord record, long started) {
        if (!fingerprintsMatch(record.fingerprint(), fingerprint)) {
            emit(IdempotencyEventType.FINGERPRINT_MISMATCH, storageKey, record.fencingToken(), started, null);
            log.debug("[{}] key {} reused with a different payload", namespace(), storageKey);
            throw new FingerprintMismatchException(storageKey, record.status().name());
        }
    }

    private ClaimOutcome toOutcome(String storageKey, String fingerprint, ClaimResult result) {
        if (result instanceof ClaimResult.Acquired acquired) {
            return new ClaimOutcome.Acquired(newLease(storageKey, fingerprint, acquired));
        }
        if (result instanceof ClaimResult.Completed completed) {
            return new ClaimOutcome.Replay(this, storageKey, completed.record().result(), completed.record().fencingToken());
        }
        ClaimResult.InProgress inProgress = (ClaimResult.InProgress) result;
        return new ClaimOutcome.InFlight(storageKey,
                Duration.ofMillis(Math.max(0, inProgress.record().leaseExpiresAt() - inProgress.now())),
                inProgress.record().fencingToken());
    }

    private Lease newLease(String storageKey, String fingerprint, ClaimResult.Acquired acquired) {
        // The store's clock decided the lease; convert its end to the local clock by the time left.
        Instant localEnd = clock.instant().plusMillis(acquired.leaseExpiresAt() - acquired.now());
        return new Lease(this, storageKey, acquired.fencingToken(), acquired.takeover(), fingerprint, localEnd);
    }

    private String fingerprint(Object payload) {
        return payload == null ? null : fingerprinter.fingerprint(payload);
    }

    private static boolean fingerprintsMatch(String stored, String requested) {
        return stored == null || requested == null || stored.equals(requested);
    }

    /**
     * An encoded result. A result that cannot be encoded or is too large becomes a "not stored"
     * envelope, so that the record still completes and the action does not run again. The
     * exception for the caller is thrown only after the completion is written.
     */
    private record Encoded(byte[] envelope, IdempotencyException notStored) {

        void throwIfNotStored() {
            if (notStored != null) {
                throw notStored;
            }
        }
    }

    private <T> Encoded encodeForStorage(String storageKey, T value, ResultCodec<T> codec) {
        if (value == null) {
            return new Encoded(ResultEnvelope.nullValue(), null);
        }

        byte[] encoded;
        try {
            encoded = codec.encode(value);
        } catch (RuntimeException e) {
            String type = value.getClass().getName();
            log.warn("[{}] result of type {} for key {} could not be encoded; completing without a result",
                    namespace(), type, storageKey, e);
            emit(IdempotencyEventType.RESULT_NOT_STORED, storageKey, 0, System.nanoTime(), e);
            ResultEncodingException error = new ResultEncodingException(storageKey, "The action for key " + storageKey
                    + " ran, but its result of type " + type + " could not be encoded (" + e.getMessage() + "). The"
                    + " record was completed without a result, so duplicates will not run the action again. Register"
                    + " a codec or a Jackson module for " + type + ".", e);
            return new Encoded(ResultEnvelope.notStored("result of type " + type + " could not be encoded"), error);
        }

        String unreadable = checkReadable(codec, encoded);
        if (unreadable != null) {
            String type = value.getClass().getName();
            log.warn("[{}] result of type {} for key {} can be encoded but not decoded; completing without a result",
                    namespace(), type, storageKey);
            emit(IdempotencyEventType.RESULT_NOT_STORED, storageKey, 0, System.nanoTime(), null);
            ResultEncodingException error = new ResultEncodingException(storageKey, "The action for key " + storageKey
                    + " ran, but its result of type " + type + " cannot be read back (" + unreadable + "), so"
                    + " duplicates could not replay it. The record was completed without a result, so duplicates will"
                    + " not run the action again. Give " + type + " a constructor the codec can use, such as a"
                    + " @JsonCreator or a record, or pass a ResultCodec.", null);
            return new Encoded(ResultEnvelope.notStored("result of type " + type + " cannot be decoded"), error);
        }

        if (encoded.length > maxResultBytes) {
            log.warn("[{}] result for key {} is {} bytes encoded, above the limit of {}; completing without a result",
                    namespace(), storageKey, encoded.length, maxResultBytes);
            emit(IdempotencyEventType.RESULT_NOT_STORED, storageKey, 0, System.nanoTime(), null);
            return new Encoded(ResultEnvelope.notStored("result of " + encoded.length + " bytes exceeded the limit of "
                    + maxResultBytes + " bytes"), new ResultTooLargeException(storageKey, encoded.length, maxResultBytes));
        }
        return new Encoded(ResultEnvelope.value(encoded), null);
    }

    /**
     * Decodes the first result each codec encodes, so that a type that can be written but not
     * read back fails on its first call rather than on every duplicate for the record's retention.
     *
     * @return {@code null} when the codec reads its output back, else the reason it cannot
     */
    private <T> String checkReadable(ResultCodec<T> codec, byte[] encoded) {
        if (readableCodecs.contains(codec)) {
            return null;
        }
        try {
            codec.decode(encoded);
        } catch (RuntimeException e) {
            return e.getMessage();
        }
        readableCodecs.add(codec);
        return null;
    }

    <T> T decode(String storageKey, byte[] envelope, ResultCodec<T> codec) {
        int tag = ResultEnvelope.tag(envelope);
        switch (tag) {
            case ResultEnvelope.VALUE -> {
                try {
                    return codec.decode(ResultEnvelope.payload(envelope));
                } catch (RuntimeException e) {
                    throw new CorruptRecordException(backend, "replay", storageKey, "the stored result cannot be"
                            + " decoded with " + codec.getClass().getSimpleName() + " (" + e.getMessage() + "). It was"
                            + " written with another result type or another version of it; read it with the type it was"
                            + " written with, or use a new namespace after an incompatible change to a result type.", e);
                }
            }
            case ResultEnvelope.NULL -> {
                if (envelope.length != 1) {
                    throw corrupt(storageKey, tag);
                }
                return null;
            }
            case ResultEnvelope.FAILURE -> {
                String text = ResultEnvelope.text(envelope);
                int newline = text.indexOf('\n');
                String type = newline < 0 ? text : text.substring(0, newline);
                String message = newline < 0 || newline == text.length() - 1 ? null : text.substring(newline + 1);
                throw new ReplayedFailureException(storageKey, type, message);
            }
            case ResultEnvelope.NOT_STORED -> throw new ResultNotStoredException(storageKey, ResultEnvelope.text(envelope));
            default -> throw corrupt(storageKey, tag);
        }
    }

    private CorruptRecordException corrupt(String storageKey, int tag) {
        return new CorruptRecordException(backend, "replay", storageKey, "the stored result is not in Idem's format"
                + " (first byte " + tag + "). It was not written by Idem; delete the record or use another namespace.");
    }

    @SuppressWarnings("unchecked")
    <T> ResultCodec<T> codecFor(Class<T> type) {
        Objects.requireNonNull(type, "type");
        return (ResultCodec<T>) codecs.computeIfAbsent(type, t -> ResultCodecs.forType(t, objectMapper));
    }

    @SuppressWarnings("unchecked")
    <T> ResultCodec<T> codecFor(ResultType<T> type) {
        Objects.requireNonNull(type, "type");
        return (ResultCodec<T>) codecs.computeIfAbsent(type.type(), t -> ResultCodecs.forType(t, objectMapper));
    }

    Clock clock() {
        return clock;
    }

    private void sleep(String storageKey, long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IdempotencyException(storageKey, "Interrupted while waiting for in-flight key " + storageKey, e);
        }
    }

    /** Tells whether a rejected completion found the record already completed under the holder's own token. */
    private static boolean completedBy(IdempotencyRecord current, Lease lease) {
        return current != null && current.isCompleted() && current.fencingToken() == lease.fencingToken();
    }

    private static String describe(IdempotencyRecord record) {
        if (record == null) {
            return "no live record";
        }
        return record.status() + " under fencing token " + record.fencingToken();
    }

    private void emit(IdempotencyEventType type, String storageKey, long token, long startedNanos, Throwable error) {
        if (listeners.isEmpty()) {
            return;
        }
        IdempotencyEvent event = new IdempotencyEvent(type, namespace(), storageKey, token,
                Duration.ofNanos(System.nanoTime() - startedNanos), error);
        for (IdempotencyListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                log.warn("[{}] listener {} threw on {} for key {}; ignored", namespace(),
                        listener.getClass().getName(), type, storageKey, e);
            }
        }
    }

    @Override
    public String toString() {
        return "Idem[namespace=" + namespace() + ", backend=" + backend + "]";
    }
}
