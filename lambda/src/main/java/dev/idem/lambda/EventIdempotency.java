package dev.idem.lambda;

import com.amazonaws.services.lambda.runtime.Context;

import dev.idem.Execution;
import dev.idem.Idem;
import dev.idem.codec.ResultCodec;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs the handler of a single event once per key, for events that Lambda delivers at least once
 * one at a time: EventBridge, S3 and SNS notifications, or any other type. The key comes from a
 * function of the event; {@link EventKeys} has functions for the common types.
 *
 * <pre>{@code
 * private static final EventIdempotency<S3Event> UPLOADS = EventIdempotency.builder(idem, EventKeys.s3()).build();
 *
 * public Void handleRequest(S3Event event, Context context) {
 *     UPLOADS.handle(event, context, this::indexUpload);
 *     return null;
 * }
 * }</pre>
 *
 * <p>Every call goes through {@link Idem#execute}, with the policies of the given {@link Idem}:
 * a duplicate of a completed event replays its result and does not run the handler; a duplicate
 * that arrives while the first still runs throws {@link dev.idem.InFlightException} (by default),
 * so that Lambda retries it later; a handler that throws has its claim released.
 *
 * <p>Instances are immutable and thread-safe; build one per function, outside the handler method.
 *
 * @param <E> the event type
 */
public final class EventIdempotency<E> {

    /** Stores no bytes: the handlers of {@link #handle(Object, Context, Consumer)} return nothing. */
    private static final ResultCodec<Void> NOTHING = new ResultCodec<>() {
        @Override
        public byte[] encode(Void value) {
            return new byte[0];
        }

        @Override
        public Void decode(byte[] bytes) {
            return null;
        }
    };

    private final Idem idem;
    private final Function<? super E, String> keyFunction;
    private final Function<? super E, ?> payloadFunction;
    private final InvocationLease lease;

    private EventIdempotency(Builder<E> builder) {
        this.idem = builder.idem;
        this.keyFunction = builder.keyFunction;
        this.payloadFunction = builder.payloadFunction;
        this.lease = builder.lease;
    }

    /**
     * Starts configuring a wrapper whose key is {@code key} applied to each event.
     *
     * @param key returns the event's idempotency key; an event for which it returns {@code null}
     *            or a blank key is rejected with {@link IllegalArgumentException}, never run under a shared key
     */
    public static <E> Builder<E> builder(Idem idem, Function<? super E, String> key) {
        return new Builder<>(idem, key);
    }

    /**
     * Runs {@code handler} for {@code event} unless an event with the same key completed before.
     *
     * @param context the invocation's context, for the lease; {@code null} uses the lease's max
     * @return the execution; {@link Execution#isReplay()} is true when the handler was skipped
     * @throws IllegalArgumentException when the key function returns no key for the event
     * @throws dev.idem.InFlightException when the event is in flight elsewhere and the policy fails fast
     */
    public Execution<Void> handle(E event, Context context, Consumer<? super E> handler) {
        Objects.requireNonNull(handler, "handler");
        return lease.apply(idem, context).execute(key(event), payloadFunction.apply(event), NOTHING, () -> {
            handler.accept(event);
            return null;
        });
    }

    /**
     * Runs {@code handler} for {@code event} and stores its result, or returns the stored result
     * of an earlier event with the same key.
     *
     * @param type the result type, used to decode replays
     * @see #handle(Object, Context, Consumer)
     */
    public <T> Execution<T> handle(E event, Context context, Class<T> type, Function<? super E, ? extends T> handler) {
        Objects.requireNonNull(handler, "handler");
        return lease.apply(idem, context).execute(key(event), payloadFunction.apply(event), type,
                () -> handler.apply(event));
    }

    private String key(E event) {
        Objects.requireNonNull(event, "event");
        String key = keyFunction.apply(event);
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("The key function returned " + (key == null ? "null" : "a blank key")
                    + " for an event of type " + event.getClass().getName() + "; the event is not processed, because"
                    + " events without a key would share one. Fix the key function or the event source.");
        }
        return key;
    }

    /**
     * Configures an {@link EventIdempotency}.
     *
     * @param <E> the event type
     */
    public static final class Builder<E> {

        private final Idem idem;
        private final Function<? super E, String> keyFunction;
        private Function<? super E, ?> payloadFunction = event -> null;
        private InvocationLease lease = InvocationLease.defaults();

        private Builder(Idem idem, Function<? super E, String> keyFunction) {
            this.idem = Objects.requireNonNull(idem, "idem");
            this.keyFunction = Objects.requireNonNull(keyFunction, "key");
        }

        /**
         * Derives the payload that is fingerprinted, so that a key reused for different content
         * throws {@link dev.idem.FingerprintMismatchException}; none by default.
         */
        public Builder<E> payload(Function<? super E, ?> payload) {
            this.payloadFunction = Objects.requireNonNull(payload, "payload");
            return this;
        }

        /** The lease of each invocation's claim; {@link InvocationLease#defaults()} by default. */
        public Builder<E> lease(InvocationLease lease) {
            this.lease = Objects.requireNonNull(lease, "lease");
            return this;
        }

        public EventIdempotency<E> build() {
            return new EventIdempotency<>(this);
        }
    }
}
