package dev.idem;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A held claim on a key: its fencing token and when it ends. Pass it back to
 * {@link Idem#complete}, {@link Idem#release} or {@link #extend}; each checks the token, so a
 * holder that lost its lease can never overwrite the record of the caller that took over.
 *
 * <p>Instances are safe to share between threads; {@link #extend} updates the end time.
 */
public final class Lease {

    private final Idem idem;
    private final String key;
    private final long fencingToken;
    private final boolean takeover;
    private final String fingerprint;
    private volatile Instant expiresAt;

    Lease(Idem idem, String key, long fencingToken, boolean takeover, String fingerprint, Instant expiresAt) {
        this.idem = idem;
        this.key = key;
        this.fencingToken = fencingToken;
        this.takeover = takeover;
        this.fingerprint = fingerprint;
        this.expiresAt = expiresAt;
    }

    /** The full storage key, namespace included. */
    public String key() {
        return key;
    }

    /** The fencing token: higher than every earlier claim's token for this key. */
    public long fencingToken() {
        return fencingToken;
    }

    /** Tells whether this claim took over from a caller whose lease had expired. */
    public boolean isTakeover() {
        return takeover;
    }

    /** When the lease ends, on the local clock (converted from the store's clock when they differ). */
    public Instant expiresAt() {
        return expiresAt;
    }

    /** The time left before another caller may take the key over; zero once it has passed. */
    public Duration remaining() {
        Duration left = Duration.between(idem.clock().instant(), expiresAt);
        return left.isNegative() ? Duration.ZERO : left;
    }

    /**
     * Extends the lease to {@code lease} from now, for long work. One round trip.
     *
     * @throws LeaseLostException when another caller took the key over or the record expired
     * @throws BackendException   when the backend failed
     */
    public Lease extend(Duration lease) {
        idem.extend(this, lease);
        return this;
    }

    /** The fingerprint of the claimed payload, cached with the result so that cache hits are checked too. */
    String fingerprint() {
        return fingerprint;
    }

    void expiresAt(Instant newExpiry) {
        this.expiresAt = newExpiry;
    }

    Clock clock() {
        return idem.clock();
    }

    @Override
    public String toString() {
        return "Lease[key=" + key + ", fencingToken=" + fencingToken + ", expiresAt=" + expiresAt + "]";
    }
}
