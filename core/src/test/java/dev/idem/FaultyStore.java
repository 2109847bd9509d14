package dev.idem;

import dev.idem.spi.ClaimRequest;
import dev.idem.spi.ClaimResult;
import dev.idem.spi.CompleteRequest;
import dev.idem.spi.CompleteResult;
import dev.idem.spi.ExtendResult;
import dev.idem.spi.IdempotencyRecord;
import dev.idem.spi.IdempotencyStore;
import dev.idem.spi.StoreCapabilities;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps a real store to count its operations and to fail chosen ones the way an unreachable
 * backend does, with a {@link BackendException}. The core's tests use it to check policies;
 * backends are tested against their real servers.
 */
final class FaultyStore implements IdempotencyStore {

    private final IdempotencyStore delegate;
    final AtomicInteger claims = new AtomicInteger();
    final AtomicInteger completes = new AtomicInteger();
    final AtomicInteger releases = new AtomicInteger();
    volatile boolean failClaims;
    volatile boolean failCompletes;
    volatile boolean failReleases;

    FaultyStore(IdempotencyStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public ClaimResult claim(ClaimRequest request) {
        claims.incrementAndGet();
        failIf(failClaims, "claim", request.key());
        return delegate.claim(request);
    }

    @Override
    public List<ClaimResult> claimAll(List<ClaimRequest> requests) {
        claims.incrementAndGet();
        failIf(failClaims, "claimAll", null);
        return delegate.claimAll(requests);
    }

    @Override
    public CompleteResult complete(CompleteRequest request) {
        completes.incrementAndGet();
        failIf(failCompletes, "complete", request.key());
        return delegate.complete(request);
    }

    @Override
    public boolean release(String key, long fencingToken) {
        releases.incrementAndGet();
        failIf(failReleases, "release", key);
        return delegate.release(key, fencingToken);
    }

    @Override
    public ExtendResult extend(String key, long fencingToken, long leaseMillis) {
        return delegate.extend(key, fencingToken, leaseMillis);
    }

    @Override
    public Optional<IdempotencyRecord> get(String key) {
        return delegate.get(key);
    }

    @Override
    public StoreCapabilities capabilities() {
        return delegate.capabilities();
    }

    private static void failIf(boolean fail, String operation, String key) {
        if (fail) {
            throw new BackendException("memory", operation, key, "connection refused (injected)");
        }
    }
}
