package dev.idem;

import dev.idem.event.IdempotencyListener;
import dev.idem.fingerprint.Fingerprinter;
import dev.idem.fingerprint.Fingerprinters;
import dev.idem.key.IdempotencyKeys;
import dev.idem.spi.IdempotencyStore;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Configures an {@link Idem}. Every setting has a default that is safe in production. Leases
 * last 60 seconds and retention 24 hours. In-flight duplicates fail fast, a failed action
 * releases its claim, and a backend outage fails closed. Payloads get JSON fingerprints when
 * Jackson is present, and there is no local cache.
 */
public final class IdemBuilder {

    IdempotencyStore store;
    String namespace = "default";
    LeasePolicy lease = LeasePolicy.fixed(Duration.ofSeconds(60));
    Duration retention = Duration.ofHours(24);
    InFlightPolicy inFlight = InFlightPolicy.failFast();
    FailurePolicy failure = FailurePolicy.releaseOnFailure();
    BackendFailurePolicy backendFailure = BackendFailurePolicy.FAIL_CLOSED;
    Fingerprinter fingerprinter;
    Object objectMapper;
    long cacheMaxEntries;
    Duration cacheMaxTtl;
    final List<IdempotencyListener> listeners = new ArrayList<>();
    Clock clock = Clock.systemUTC();
    Integer maxResultBytes;
    String owner;

    IdemBuilder(IdempotencyStore store) {
        this.store = store;
    }

    /**
     * The namespace that prefixes every key, so that several functions or services can share a
     * store without sharing keys. 1 to 64 characters from {@code [A-Za-z0-9._-]}; default {@code "default"}.
     */
    public IdemBuilder namespace(String namespace) {
        IdempotencyKeys.validateNamespace(namespace);
        this.namespace = namespace;
        return this;
    }

    /** A fixed lease for every claim; 60 seconds by default. */
    public IdemBuilder lease(Duration lease) {
        this.lease = LeasePolicy.fixed(lease);
        return this;
    }

    /** A lease computed per claim, such as {@link LeasePolicy#untilDeadline}. */
    public IdemBuilder lease(LeasePolicy lease) {
        this.lease = Objects.requireNonNull(lease, "lease");
        return this;
    }

    /**
     * How long a completed record is kept and replayed, counted from completion; 24 hours by
     * default. Make it longer than the longest time a duplicate can arrive, such as a queue's
     * retention or a client's retry window.
     */
    public IdemBuilder retention(Duration retention) {
        InFlightPolicy.requirePositive(retention, "retention");
        this.retention = retention;
        return this;
    }

    public IdemBuilder inFlight(InFlightPolicy inFlight) {
        this.inFlight = Objects.requireNonNull(inFlight, "inFlight");
        return this;
    }

    public IdemBuilder onFailure(FailurePolicy failure) {
        this.failure = Objects.requireNonNull(failure, "failure");
        return this;
    }

    public IdemBuilder onBackendFailure(BackendFailurePolicy backendFailure) {
        this.backendFailure = Objects.requireNonNull(backendFailure, "backendFailure");
        return this;
    }

    /** How payloads are fingerprinted; {@link Fingerprinters#auto()} by default. */
    public IdemBuilder fingerprinter(Fingerprinter fingerprinter) {
        this.fingerprinter = Objects.requireNonNull(fingerprinter, "fingerprinter");
        return this;
    }

    /**
     * The Jackson {@code ObjectMapper} for results stored as JSON. Typed as Object so that this
     * class loads without Jackson on the classpath.
     *
     * @throws IllegalArgumentException when the object is not an ObjectMapper
     */
    public IdemBuilder objectMapper(Object objectMapper) {
        if (!dev.idem.internal.Jackson.isPresent()
                || !(objectMapper instanceof com.fasterxml.jackson.databind.ObjectMapper)) {
            throw new IllegalArgumentException("objectMapper must be a com.fasterxml.jackson.databind.ObjectMapper, got "
                    + (objectMapper == null ? "null" : objectMapper.getClass().getName()));
        }
        this.objectMapper = objectMapper;
        return this;
    }

    /**
     * Keeps up to {@code maxEntries} completed records in memory for at most {@code maxTtl}, so
     * hot duplicates replay without a round trip. Entries never outlive the record's retention.
     *
     * <p>Warning: another process cannot invalidate this cache; a record deleted by hand in the
     * backend is still replayed here until the entry expires.
     */
    public IdemBuilder localCache(long maxEntries, Duration maxTtl) {
        if (maxEntries <= 0) {
            throw new IllegalArgumentException("maxEntries must be positive, got " + maxEntries);
        }
        InFlightPolicy.requirePositive(maxTtl, "maxTtl");
        this.cacheMaxEntries = maxEntries;
        this.cacheMaxTtl = maxTtl;
        return this;
    }

    public IdemBuilder listener(IdempotencyListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** The clock for leases, waits and the local cache; tests pass one they can move. */
    public IdemBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** The largest encoded result stored; the backend's own limit by default, and never above it. */
    public IdemBuilder maxResultBytes(int maxResultBytes) {
        if (maxResultBytes <= 0) {
            throw new IllegalArgumentException("maxResultBytes must be positive, got " + maxResultBytes);
        }
        this.maxResultBytes = maxResultBytes;
        return this;
    }

    /** The owner id stored with each claim, for debugging; the process id and host name by default. */
    public IdemBuilder owner(String owner) {
        if (owner == null || owner.isBlank()) {
            throw new IllegalArgumentException("owner must not be blank");
        }
        this.owner = owner;
        return this;
    }

    public Idem build() {
        if (fingerprinter == null) {
            fingerprinter = Fingerprinters.auto();
        }
        if (owner == null) {
            owner = defaultOwner();
        }
        return new Idem(this);
    }

    private static String defaultOwner() {
        // The environment's host name avoids a DNS lookup, which can stall a cold start.
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            host = System.getenv("AWS_LAMBDA_LOG_STREAM_NAME");
        }
        return ProcessHandle.current().pid() + "@" + (host == null || host.isBlank() ? "localhost" : host);
    }
}
