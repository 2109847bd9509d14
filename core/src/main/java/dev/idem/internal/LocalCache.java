package dev.idem.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A bounded in-process cache of COMPLETED records, so that a hot duplicate is answered without
 * a round trip. It holds the stored envelope bytes, not decoded objects, so that callers never
 * share a mutable result.
 *
 * <p>An entry expires at the record's {@code expiresAt} or after {@code maxTtl}, whichever comes
 * first. The record's remaining life is measured on the store's clock when the entry is added
 * and counted down on the local clock, so skew between the two clocks cannot stretch it.
 */
public final class LocalCache {

    /** A cached completed record. */
    public record Entry(byte[] envelope, String fingerprint, long fencingToken, long ttlNanos) {
    }

    private final Cache<String, Entry> cache;
    private final long maxTtlNanos;

    public LocalCache(long maxEntries, Duration maxTtl, Clock clock) {
        this.maxTtlNanos = maxTtl.toNanos();
        Ticker ticker = () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
        this.cache = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .ticker(ticker)
                .expireAfter(new Expiry<String, Entry>() {
                    @Override
                    public long expireAfterCreate(String key, Entry entry, long currentTime) {
                        return entry.ttlNanos();
                    }

                    @Override
                    public long expireAfterUpdate(String key, Entry entry, long currentTime, long currentDuration) {
                        return entry.ttlNanos();
                    }

                    @Override
                    public long expireAfterRead(String key, Entry entry, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .build();
    }

    /** Returns the live entry for a key, or {@code null}. */
    public Entry get(String key) {
        return cache.getIfPresent(key);
    }

    /**
     * Caches a completed record that the store reported at {@code storeNow} with {@code expiresAt},
     * both on the store's clock. A record with less than a millisecond left is not cached.
     */
    public void put(String key, byte[] envelope, String fingerprint, long fencingToken, long expiresAt, long storeNow) {
        long remainingNanos = TimeUnit.MILLISECONDS.toNanos(expiresAt - storeNow);
        long ttl = Math.min(remainingNanos, maxTtlNanos);
        if (ttl >= TimeUnit.MILLISECONDS.toNanos(1)) {
            cache.put(key, new Entry(envelope, fingerprint, fencingToken, ttl));
        }
    }

    public void invalidate(String key) {
        cache.invalidate(key);
    }
}
