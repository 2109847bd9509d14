package dev.idem.bench;

import dev.idem.spi.ClaimRequest;
import dev.idem.spi.ClaimResult;
import dev.idem.spi.CompleteRequest;
import dev.idem.spi.CompleteResult;
import dev.idem.spi.ExtendResult;
import dev.idem.spi.IdempotencyRecord;
import dev.idem.spi.IdempotencyStore;
import dev.idem.spi.StoreCapabilities;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * A store decorator that counts the calls the core makes, and from them the network round trips
 * that each call costs on its backend.
 *
 * <p>Calls are counted exactly. Round trips are derived from each backend's documented cost per
 * call (see {@link Backend}), not observed on the wire: a NOSCRIPT reload on Redis, a retried
 * write under contention on SQL or a rejected completion on MariaDB costs more than this count
 * shows.
 */
public final class CountingStore implements IdempotencyStore {

    private final IdempotencyStore delegate;
    private final Backend backend;
    private final LongAdder calls = new LongAdder();
    private final LongAdder roundTrips = new LongAdder();

    public CountingStore(IdempotencyStore delegate, Backend backend) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.backend = Objects.requireNonNull(backend, "backend");
    }

    /** Store calls made since creation or the last {@link #reset()}. */
    public long calls() {
        return calls.sum();
    }

    /** Estimated round trips since creation or the last {@link #reset()}. */
    public long roundTrips() {
        return roundTrips.sum();
    }

    /** Sets both counters to zero, such as between a warmup and a measured run. */
    public void reset() {
        calls.reset();
        roundTrips.reset();
    }

    @Override
    public ClaimResult claim(ClaimRequest request) {
        ClaimResult result = delegate.claim(request);
        calls.increment();
        roundTrips.add(result instanceof ClaimResult.Acquired
                ? backend.roundTripsPerAcquiringClaim()
                : backend.roundTripsPerDuplicateClaim());
        return result;
    }

    @Override
    public CompleteResult complete(CompleteRequest request) {
        CompleteResult result = delegate.complete(request);
        calls.increment();
        roundTrips.add(backend.roundTripsPerComplete());
        return result;
    }

    @Override
    public boolean release(String key, long fencingToken) {
        boolean released = delegate.release(key, fencingToken);
        countSingleRoundTrip();
        return released;
    }

    @Override
    public ExtendResult extend(String key, long fencingToken, long leaseMillis) {
        ExtendResult result = delegate.extend(key, fencingToken, leaseMillis);
        countSingleRoundTrip();
        return result;
    }

    @Override
    public Optional<IdempotencyRecord> get(String key) {
        Optional<IdempotencyRecord> record = delegate.get(key);
        countSingleRoundTrip();
        return record;
    }

    /**
     * Counts a batch as one call. The round trips are the backend's cost for a batch of new
     * keys: one pipeline or statement, two on H2, which reads and then writes.
     */
    @Override
    public List<ClaimResult> claimAll(List<ClaimRequest> requests) {
        List<ClaimResult> results = delegate.claimAll(requests);
        calls.increment();
        roundTrips.add(backend.roundTripsPerAcquiringClaim());
        return results;
    }

    @Override
    public List<CompleteResult> completeAll(List<CompleteRequest> requests) {
        List<CompleteResult> results = delegate.completeAll(requests);
        calls.increment();
        roundTrips.add(requests.size() == 1 ? backend.roundTripsPerComplete() : backend.roundTripsPerBatchComplete());
        return results;
    }

    @Override
    public int purgeExpired(int limit) {
        return delegate.purgeExpired(limit);
    }

    @Override
    public StoreCapabilities capabilities() {
        return delegate.capabilities();
    }

    @Override
    public void close() {
        delegate.close();
    }

    private void countSingleRoundTrip() {
        calls.increment();
        roundTrips.add(backend == Backend.MEMORY ? 0 : 1);
    }
}
