package dev.idem.lambda;

import dev.idem.BackendException;
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

/** Wraps a real store and fails chosen operations the way an unreachable backend does. */
final class FailingStore implements IdempotencyStore {

    private final IdempotencyStore delegate;
    volatile boolean failClaims;
    volatile boolean failCompletes;
    volatile boolean failReleases;

    FailingStore(IdempotencyStore delegate) {
        this.delegate = delegate;
    }

    private void failIf(boolean fail, String operation, String key) {
        if (fail) {
            throw new BackendException("failing", operation, key, "connection refused (injected by the test)");
        }
    }

    @Override
    public ClaimResult claim(ClaimRequest request) {
        failIf(failClaims, "claim", request.key());
        return delegate.claim(request);
    }

    @Override
    public List<ClaimResult> claimAll(List<ClaimRequest> requests) {
        failIf(failClaims, "claimAll", null);
        return delegate.claimAll(requests);
    }

    @Override
    public CompleteResult complete(CompleteRequest request) {
        failIf(failCompletes, "complete", request.key());
        return delegate.complete(request);
    }

    @Override
    public List<CompleteResult> completeAll(List<CompleteRequest> requests) {
        failIf(failCompletes, "completeAll", null);
        return delegate.completeAll(requests);
    }

    @Override
    public boolean release(String key, long fencingToken) {
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
}
