package dev.idem.dynamodb;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbResponse;

import java.util.Objects;

/**
 * One store operation written as a chain of DynamoDB calls, so that the blocking driver (over
 * {@code DynamoDbClient}) and the non-blocking one (over {@code DynamoDbAsyncClient}) run the
 * same decisions. A step is either finished with a value, or a request to send together with
 * what to do with its response or failure.
 *
 * @param <T> the operation's result
 */
sealed interface Step<T> {

    static <T> Step<T> done(T value) {
        return new Done<>(value);
    }

    static <T> Step<T> call(DynamoDbRequest request, Continuation<T> next) {
        return new Call<>(request, next);
    }

    /** A finished operation. */
    record Done<T>(T value) implements Step<T> {
    }

    /** A request to send, and the continuation that receives exactly one of its response or its failure. */
    record Call<T>(DynamoDbRequest request, Continuation<T> next) implements Step<T> {

        public Call {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(next, "next");
        }
    }

    /** The rest of an operation after a call, which returns the next step or throws a {@link dev.idem.BackendException}. */
    @FunctionalInterface
    interface Continuation<T> {

        /**
         * @param response the response, or {@code null} when the call failed
         * @param failure  the SDK's exception once its retries are exhausted, or {@code null} on success
         */
        Step<T> next(DynamoDbResponse response, SdkException failure);
    }
}
