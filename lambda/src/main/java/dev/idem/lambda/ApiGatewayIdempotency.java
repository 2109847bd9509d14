package dev.idem.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import dev.idem.BackendException;
import dev.idem.ClaimOutcome;
import dev.idem.FingerprintMismatchException;
import dev.idem.Idem;
import dev.idem.Lease;
import dev.idem.LeaseLostException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntPredicate;

/**
 * Makes an API Gateway handler idempotent with the {@code Idempotency-Key} request header, as the
 * IETF draft "The Idempotency-Key HTTP Header Field" (draft-ietf-httpapi-idempotency-key-header)
 * describes. The first request with a key runs the handler; its response is stored and returned
 * to every retry with that key, with the header {@code Idempotent-Replayed: true}.
 *
 * <pre>{@code
 * public final class CreateOrder implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
 *     private static final ApiGatewayIdempotency<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> API =
 *             ApiGatewayIdempotency.restApi(Idem.builder().namespace("orders-api").build()).build();
 *
 *     public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent request, Context context) {
 *         return API.handle(request, context, this::createOrder);
 *     }
 * }
 * }</pre>
 *
 * <p>Responses without running the handler, as application/problem+json:
 * <ul>
 *   <li>400 when the key is required and missing, repeated with different values, malformed, or
 *       longer than {@link Builder#maxKeyLength} characters;</li>
 *   <li>409 with {@code Retry-After} (whole seconds) while the first request with the key still runs;</li>
 *   <li>422 when the key was first used for a different request (method, path and body by default).</li>
 * </ul>
 *
 * <p>Only 2xx responses are stored by default. Any other response releases the key, so a retry
 * runs the handler again: right for 5xx, which are usually transient. Whether to store 4xx is a
 * choice ({@link Builder#storeResponsesWhere}): storing them makes a retry of a rejected request
 * return the same rejection until the record expires, even after the cause is fixed; not storing
 * them (the default) lets the retry run again. A handler that throws also releases the key, and
 * the exception propagates.
 *
 * <p>The key is sent as a Structured Field string, {@code Idempotency-Key: "8e03978e"}; a bare
 * value without quotes is accepted as well, as many clients send it.
 *
 * <p>Instances are immutable and thread-safe; build one per function, outside the handler method.
 *
 * @param <Q> the request type, {@link APIGatewayProxyRequestEvent} or {@link APIGatewayV2HTTPEvent}
 * @param <S> the response type, {@link APIGatewayProxyResponseEvent} or {@link APIGatewayV2HTTPResponse}
 */
public final class ApiGatewayIdempotency<Q, S> {

    /** The request header that carries the key by default. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    /** The response header that marks a replayed response. */
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";

    private static final Logger log = LoggerFactory.getLogger(ApiGatewayIdempotency.class);

    private final Idem idem;
    private final HttpExchange<Q, S> exchange;
    private final Function<? super Q, String> keyFunction;
    private final String keyName;
    private final Function<? super Q, ?> payloadFunction;
    private final boolean keyRequired;
    private final int maxKeyLength;
    private final IntPredicate storable;
    private final Duration maxRetryAfter;
    private final InvocationLease lease;

    private ApiGatewayIdempotency(Builder<Q, S> builder) {
        this.idem = builder.idem;
        this.exchange = builder.exchange;
        this.keyFunction = builder.keyFunction != null ? builder.keyFunction : headerKey(builder.exchange, builder.keyHeader);
        this.keyName = builder.keyFunction != null ? "idempotency key" : builder.keyHeader + " header";
        this.payloadFunction = builder.payloadFunction != null ? builder.payloadFunction : this::defaultPayload;
        this.keyRequired = builder.keyRequired;
        this.maxKeyLength = builder.maxKeyLength;
        this.storable = builder.storable;
        this.maxRetryAfter = builder.maxRetryAfter;
        this.lease = builder.lease;
    }

    /** Starts configuring the wrapper for a REST API with the Lambda proxy integration (payload format 1.0). */
    public static Builder<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> restApi(Idem idem) {
        return new Builder<>(idem, RestApiExchange.INSTANCE);
    }

    /** Starts configuring the wrapper for an HTTP API (payload format 2.0). */
    public static Builder<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> httpApi(Idem idem) {
        return new Builder<>(idem, HttpApiExchange.INSTANCE);
    }

    /**
     * Runs {@code handler} once per idempotency key and returns its response, or the stored
     * response of the first request with the key, or a 400, 409 or 422 problem response.
     *
     * @param context the invocation's context, for the lease; {@code null} uses the lease's max
     * @throws dev.idem.BackendException when the claim failed; the handler has not run then
     * @throws RuntimeException          what the handler throws, after its key was released
     */
    public S handle(Q request, Context context, Function<? super Q, ? extends S> handler) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(handler, "handler");

        String key;
        try {
            key = keyFunction.apply(request);
        } catch (IllegalArgumentException e) {
            return problem(400, "Invalid " + keyName, e.getMessage());
        }
        if (key == null || key.isBlank()) {
            if (!keyRequired) {
                return handler.apply(request);
            }
            return problem(400, "Missing " + keyName, "This operation requires an " + keyName + ". Send a unique"
                    + " value, such as a UUID, and send the same value again when you retry the request.");
        }
        if (key.length() > maxKeyLength) {
            return problem(400, "Invalid " + keyName, "The " + keyName + " has " + key.length()
                    + " characters; at most " + maxKeyLength + " are accepted.");
        }
        try {
            idem.storageKey(key);
        } catch (IllegalArgumentException e) {
            return problem(400, "Invalid " + keyName, e.getMessage());
        }

        Object payload = payloadFunction.apply(request);
        Idem invocation = lease.apply(idem, context);
        ClaimOutcome outcome;
        try {
            outcome = invocation.claim(key, payload);
        } catch (FingerprintMismatchException e) {
            log.info("[{}] key {} reused for a different request (request id {}); responded 422", idem.namespace(),
                    e.key(), requestId(context));
            return problem(422, "Idempotency key reused", "The " + keyName + " was first used for a different"
                    + " request. Send the original request again, or use a new key for a new request.");
        }

        if (outcome instanceof ClaimOutcome.Replay replay) {
            StoredResponse stored = replay.value(StoredResponseCodec.INSTANCE);
            return exchange.fromStored(stored.withHeader(REPLAYED_HEADER, "true"));
        }
        if (outcome instanceof ClaimOutcome.InFlight inFlight) {
            return inFlight(inFlight.retryAfter());
        }
        return runAndStore(invocation, ((ClaimOutcome.Acquired) outcome).lease(), request, handler);
    }

    private S runAndStore(Idem invocation, Lease held, Q request, Function<? super Q, ? extends S> handler) {
        S response;
        try {
            response = handler.apply(request);
        } catch (RuntimeException | Error e) {
            release(invocation, held, e);
            throw e;
        }

        int status = response == null ? -1 : exchange.statusCode(response);
        if (status < 100 || status > 599 || !storable.test(status)) {
            log.debug("[{}] response with status {} for key {} is not stored; the key is released", idem.namespace(),
                    status, held.key());
            release(invocation, held, null);
            return response;
        }

        try {
            invocation.complete(held, exchange.toStored(response), StoredResponseCodec.INSTANCE);
        } catch (LeaseLostException e) {
            // The core has logged it. The handler's work is done, so its response still goes to the client.
        } catch (BackendException e) {
            log.warn("[{}] the response for key {} could not be stored; it is returned anyway, and a retry after the"
                    + " lease ends at {} runs the handler again", idem.namespace(), held.key(), held.expiresAt(), e);
        }
        return response;
    }

    private void release(Idem invocation, Lease held, Throwable failure) {
        try {
            invocation.release(held);
        } catch (BackendException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            }
            log.warn("[{}] could not release key {}; retries get 409 until its lease ends at {}", idem.namespace(),
                    held.key(), held.expiresAt(), e);
        }
    }

    private S inFlight(Duration leaseLeft) {
        // The first request usually finishes long before its lease ends, so the hint is capped.
        Duration wait = leaseLeft.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : leaseLeft;
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        StoredResponse conflict = problemResponse(409, "Request in progress", "A request with this " + keyName
                + " is still being processed. Retry after " + seconds + " s to get its response.");
        return exchange.fromStored(conflict.withHeader("Retry-After", Long.toString(seconds)));
    }

    private S problem(int status, String title, String detail) {
        return exchange.fromStored(problemResponse(status, title, detail));
    }

    private static StoredResponse problemResponse(int status, String title, String detail) {
        String body = "{\"type\":\"about:blank\",\"title\":" + ProblemJson.quote(title) + ",\"status\":" + status
                + ",\"detail\":" + ProblemJson.quote(detail) + "}";
        return new StoredResponse(status, null, null, null, body, false)
                .withHeader("Content-Type", "application/problem+json");
    }

    /** The default fingerprinted payload: method, path and body, so a key reused on another route is a 422. */
    private Object defaultPayload(Q request) {
        String body = exchange.body(request);
        return exchange.method(request) + " " + exchange.path(request) + "\n" + (body == null ? "" : body);
    }

    private static <Q> Function<Q, String> headerKey(HttpExchange<Q, ?> exchange, String header) {
        return request -> {
            Set<String> keys = new LinkedHashSet<>();
            for (String value : exchange.headerValues(request, header)) {
                keys.add(StructuredString.parse(value));
            }
            if (keys.size() > 1) {
                throw new IllegalArgumentException("The request has " + keys.size() + " different " + header
                        + " values; send exactly one.");
            }
            return keys.isEmpty() ? null : keys.iterator().next();
        };
    }

    private static String requestId(Context context) {
        return context == null ? "none" : context.getAwsRequestId();
    }

    /**
     * Configures an {@link ApiGatewayIdempotency}.
     *
     * @param <Q> the request type
     * @param <S> the response type
     */
    public static final class Builder<Q, S> {

        private final Idem idem;
        private final HttpExchange<Q, S> exchange;
        private String keyHeader = IDEMPOTENCY_KEY;
        private Function<? super Q, String> keyFunction;
        private Function<? super Q, ?> payloadFunction;
        private boolean keyRequired = true;
        private int maxKeyLength = 255;
        private IntPredicate storable = status -> status >= 200 && status < 300;
        private Duration maxRetryAfter = Duration.ofSeconds(1);
        private InvocationLease lease = InvocationLease.defaults();

        private Builder(Idem idem, HttpExchange<Q, S> exchange) {
            this.idem = Objects.requireNonNull(idem, "idem");
            this.exchange = exchange;
        }

        /** The request header that carries the key, matched in any case; {@code Idempotency-Key} by default. */
        public Builder<Q, S> keyHeader(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("keyHeader must not be blank");
            }
            this.keyHeader = name;
            this.keyFunction = null;
            return this;
        }

        /**
         * Derives the key from the request instead of a header, for example to scope a client's
         * key by its tenant: {@code request -> tenant(request) + ":" + HttpHeaders.find(request.getHeaders(), "Idempotency-Key")}.
         * Return {@code null} when the request has no key; throw {@link IllegalArgumentException}
         * with a message to respond 400 with it.
         */
        public Builder<Q, S> key(Function<? super Q, String> key) {
            this.keyFunction = Objects.requireNonNull(key, "key");
            return this;
        }

        /**
         * Derives the payload that is fingerprinted; the method, path and body by default. A
         * retry whose payload differs gets a 422 response. Return {@code null} to skip the check.
         */
        public Builder<Q, S> payload(Function<? super Q, ?> payload) {
            this.payloadFunction = Objects.requireNonNull(payload, "payload");
            return this;
        }

        /**
         * Whether a request without a key gets a 400 response ({@code true}, the default) or runs
         * the handler without idempotency ({@code false}).
         */
        public Builder<Q, S> keyRequired(boolean keyRequired) {
            this.keyRequired = keyRequired;
            return this;
        }

        /** The maximum key length, in characters; 255 by default. Longer keys get a 400 response. */
        public Builder<Q, S> maxKeyLength(int maxKeyLength) {
            if (maxKeyLength <= 0) {
                throw new IllegalArgumentException("maxKeyLength must be positive, got " + maxKeyLength);
            }
            this.maxKeyLength = maxKeyLength;
            return this;
        }

        /**
         * Which status codes are stored and replayed; 2xx by default. Responses with other codes
         * release the key so that a retry runs the handler again. For example
         * {@code status -> status < 500} also stores client errors.
         */
        public Builder<Q, S> storeResponsesWhere(IntPredicate storable) {
            this.storable = Objects.requireNonNull(storable, "storable");
            return this;
        }

        /**
         * The maximum {@code Retry-After} of a 409 response; 1 second by default. The response
         * gives the first request's remaining lease, capped at this.
         */
        public Builder<Q, S> maxRetryAfter(Duration maxRetryAfter) {
            Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
            if (maxRetryAfter.isNegative() || maxRetryAfter.isZero()) {
                throw new IllegalArgumentException("maxRetryAfter must be positive, got " + maxRetryAfter);
            }
            this.maxRetryAfter = maxRetryAfter;
            return this;
        }

        /** The lease of each invocation's claim; {@link InvocationLease#defaults()} by default. */
        public Builder<Q, S> lease(InvocationLease lease) {
            this.lease = Objects.requireNonNull(lease, "lease");
            return this;
        }

        public ApiGatewayIdempotency<Q, S> build() {
            return new ApiGatewayIdempotency<>(this);
        }
    }
}
