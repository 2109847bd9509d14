package dev.idem.memory;

import dev.idem.spi.ClaimRequest;
import dev.idem.spi.ClaimResult;
import dev.idem.spi.CompleteRequest;
import dev.idem.spi.CompleteResult;
import dev.idem.spi.ExtendResult;
import dev.idem.spi.IdempotencyRecord;
import dev.idem.spi.IdempotencyStore;
import dev.idem.spi.RecordStatus;
import dev.idem.spi.StoreCapabilities;

import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A thread-safe store in this JVM's heap: the embedded default, and the reference the
 * contract suite compares backends against.
 *
 * <p>Warning: records live only as long as the process and are not shared between processes,
 * so it protects against duplicates within one JVM only. Use it for tests, for single-instance
 * tools, and as a fallback; use a backend module for anything that runs on several instances.
 *
 * <p>Each operation runs inside {@link ConcurrentHashMap#compute}, which makes it atomic per
 * key, and reads the clock inside it, so that operations on one key see times in the order
 * they ran. Fencing tokens survive deletion of a record (release, purge) in a separate map, so a
 * later claim never reuses a token. Time comes from the {@link Clock} given to the builder, so
 * tests can move it forward instead of sleeping.
 */
public final class InMemoryIdempotencyStore implements IdempotencyStore {

    /** Keys are held as Java strings, so the limit only guards against runaway input. */
    private static final int MAX_KEY_BYTES = 64 * 1024;

    private final Clock clock;
    private final int maxResultBytes;
    private final ConcurrentHashMap<String, IdempotencyRecord> records = new ConcurrentHashMap<>();
    /**
     * One counter for every key. Tokens then increase per key across release and purge without
     * a map entry per key ever claimed, which would grow without bound.
     */
    private final AtomicLong lastToken = new AtomicLong();

    private InMemoryIdempotencyStore(Clock clock, int maxResultBytes) {
        this.clock = clock;
        this.maxResultBytes = maxResultBytes;
    }

    /** Creates a store on the system clock. */
    public static InMemoryIdempotencyStore create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ClaimResult claim(ClaimRequest request) {
        ClaimResult[] outcome = new ClaimResult[1];

        records.compute(request.key(), (key, current) -> {
            long now = clock.millis();
            if (current != null && !current.isExpiredAt(now)) {
                boolean takeover = current.isLeaseOverAt(now) && fingerprintsMatch(current.fingerprint(), request.fingerprint());
                if (!takeover) {
                    outcome[0] = current.isCompleted()
                            ? new ClaimResult.Completed(copyOf(current), now)
                            : new ClaimResult.InProgress(current, now);
                    return current;
                }
            }

            long token = lastToken.incrementAndGet();
            long leaseExpiresAt = now + request.leaseMillis();
            boolean takeover = current != null && !current.isExpiredAt(now);
            outcome[0] = new ClaimResult.Acquired(token, leaseExpiresAt, now, takeover);

            // A takeover without a fingerprint keeps the stored one, so later mismatches are still caught.
            String fingerprint = request.fingerprint();
            if (fingerprint == null && takeover) {
                fingerprint = current.fingerprint();
            }
            return IdempotencyRecord.inProgress(key, token, leaseExpiresAt, request.expiresAt(now),
                    fingerprint, now, request.owner());
        });
        return outcome[0];
    }

    @Override
    public CompleteResult complete(CompleteRequest request) {
        CompleteResult[] outcome = new CompleteResult[1];

        records.compute(request.key(), (key, current) -> {
            long now = clock.millis();
            if (!isHeldBy(current, request.fencingToken(), now)) {
                outcome[0] = new CompleteResult.Rejected(live(current, now));
                return current;
            }
            long expiresAt = now + request.retentionMillis();
            outcome[0] = new CompleteResult.Stored(expiresAt, now);
            return current.completed(request.result().clone(), now, expiresAt);
        });
        return outcome[0];
    }

    @Override
    public boolean release(String key, long fencingToken) {
        boolean[] released = new boolean[1];

        records.computeIfPresent(key, (k, current) -> {
            long now = clock.millis();
            if (!isHeldBy(current, fencingToken, now)) {
                return current;
            }
            released[0] = true;
            return null;
        });
        return released[0];
    }

    @Override
    public ExtendResult extend(String key, long fencingToken, long leaseMillis) {
        ExtendResult[] outcome = new ExtendResult[1];

        records.compute(key, (k, current) -> {
            long now = clock.millis();
            if (!isHeldBy(current, fencingToken, now)) {
                outcome[0] = new ExtendResult.Rejected(live(current, now));
                return current;
            }
            long leaseExpiresAt = now + leaseMillis;
            outcome[0] = new ExtendResult.Extended(leaseExpiresAt, now);
            return new IdempotencyRecord(k, RecordStatus.IN_PROGRESS, fencingToken, leaseExpiresAt,
                    Math.max(current.expiresAt(), leaseExpiresAt), current.fingerprint(), null,
                    current.createdAt(), 0L, current.owner());
        });
        return outcome[0];
    }

    @Override
    public Optional<IdempotencyRecord> get(String key) {
        Objects.requireNonNull(key, "key");
        return Optional.ofNullable(live(records.get(key), clock.millis()));
    }

    @Override
    public int purgeExpired(int limit) {
        long now = clock.millis();
        int purged = 0;

        Iterator<Map.Entry<String, IdempotencyRecord>> entries = records.entrySet().iterator();
        while (entries.hasNext() && purged < limit) {
            Map.Entry<String, IdempotencyRecord> entry = entries.next();
            if (entry.getValue().isExpiredAt(now) && records.remove(entry.getKey(), entry.getValue())) {
                purged++;
            }
        }
        return purged;
    }

    @Override
    public StoreCapabilities capabilities() {
        return new StoreCapabilities("memory", MAX_KEY_BYTES, maxResultBytes, false, false);
    }

    /** The number of records held, expired ones included until purged. */
    public int size() {
        return records.size();
    }

    private static boolean isHeldBy(IdempotencyRecord record, long fencingToken, long now) {
        return record != null
                && !record.isExpiredAt(now)
                && record.status() == RecordStatus.IN_PROGRESS
                && record.fencingToken() == fencingToken;
    }

    /** Returns a copy of the record for a caller, or {@code null} when there is none or it expired. */
    private static IdempotencyRecord live(IdempotencyRecord record, long now) {
        return record == null || record.isExpiredAt(now) ? null : copyOf(record);
    }

    /**
     * Returns the record with its own copy of the result. Callers get copies, as they would from
     * a remote backend, so that changing a returned array cannot change what later duplicates replay.
     */
    private static IdempotencyRecord copyOf(IdempotencyRecord record) {
        if (record.result() == null) {
            return record;
        }
        return new IdempotencyRecord(record.key(), record.status(), record.fencingToken(), record.leaseExpiresAt(),
                record.expiresAt(), record.fingerprint(), record.result().clone(), record.createdAt(),
                record.completedAt(), record.owner());
    }

    private static boolean fingerprintsMatch(String stored, String requested) {
        return stored == null || requested == null || stored.equals(requested);
    }

    /** Builds an in-memory store. */
    public static final class Builder {

        private Clock clock = Clock.systemUTC();
        private int maxResultBytes = 16 * 1024 * 1024;

        private Builder() {
        }

        /** The clock that decides leases and expiry; tests pass a clock they can move. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The largest encoded result accepted, 16 MiB by default. */
        public Builder maxResultBytes(int maxResultBytes) {
            if (maxResultBytes <= 0) {
                throw new IllegalArgumentException("maxResultBytes must be positive, got " + maxResultBytes);
            }
            this.maxResultBytes = maxResultBytes;
            return this;
        }

        public InMemoryIdempotencyStore build() {
            return new InMemoryIdempotencyStore(clock, maxResultBytes);
        }
    }
}
