package dev.idem.lambda;

import dev.idem.Idem;

import java.util.Objects;
import java.util.function.Function;

/**
 * The settings that every batch processor shares: how a record's key and payload are derived,
 * and the lease.
 *
 * @param <R> the record type
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class BatchBuilder<R, B extends BatchBuilder<R, B>> {

    final Idem idem;
    final RecordSource<R> source;
    Function<? super R, String> key;
    Function<? super R, ?> payload;
    InvocationLease lease = InvocationLease.defaults();

    BatchBuilder(Idem idem, RecordSource<R> source) {
        this.idem = Objects.requireNonNull(idem, "idem");
        this.source = source;
        this.key = source::defaultKey;
        this.payload = source::defaultPayload;
    }

    /**
     * Derives the idempotency key from the record instead of the default (the SQS message id, or
     * the stream record's event id). Use it for producers that resend the same message with a
     * new message id, for example with a business id from the body.
     *
     * <p>A function that returns {@code null} or a blank key, or throws, fails that record with
     * {@link RecordOutcome#INVALID_KEY}: the record is logged at ERROR and reported for retry,
     * so that it ends in the dead-letter queue. It never runs under a shared key.
     */
    public B key(Function<? super R, String> key) {
        this.key = Objects.requireNonNull(key, "key");
        return self();
    }

    /**
     * Derives the payload that is fingerprinted, so that a key reused with different content is
     * reported as {@link RecordOutcome#PAYLOAD_MISMATCH} instead of replayed. Return
     * {@code null} to skip the check. A function that throws fails the record with
     * {@link RecordOutcome#INVALID_KEY}.
     */
    public B payload(Function<? super R, ?> payload) {
        this.payload = Objects.requireNonNull(payload, "payload");
        return self();
    }

    /** The lease of each invocation's claims; {@link InvocationLease#defaults()} by default. */
    public B lease(InvocationLease lease) {
        this.lease = Objects.requireNonNull(lease, "lease");
        return self();
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    BatchEngine<R> engine() {
        return new BatchEngine<>(idem, source, key, payload, lease);
    }
}
