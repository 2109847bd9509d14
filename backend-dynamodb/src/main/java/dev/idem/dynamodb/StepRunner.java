package dev.idem.dynamodb;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Runs {@link Step}s: blocking on the sync client, or as a chain of futures on the async client. */
final class StepRunner {

    private final DynamoDbClient client;
    private final DynamoDbAsyncClient asyncClient;

    /**
     * @param asyncClient the application's async client, or {@code null} when it gave none
     */
    StepRunner(DynamoDbClient client, DynamoDbAsyncClient asyncClient) {
        this.client = client;
        this.asyncClient = asyncClient;
    }

    boolean hasAsyncClient() {
        return asyncClient != null;
    }

    /** Runs a step to its end on the calling thread. */
    <T> T run(Step<T> step) {
        Step<T> current = step;
        while (current instanceof Step.Call<T> call) {
            DynamoDbResponse response = null;
            SdkException failure = null;
            try {
                response = send(call.request());
            } catch (SdkException e) {
                failure = e;
            }
            current = call.next().next(response, failure);
        }
        return ((Step.Done<T>) current).value();
    }

    /**
     * Runs a step on the async client. The future fails with the exception a continuation threw,
     * not wrapped in a {@link CompletionException}.
     */
    <T> CompletableFuture<T> runAsync(Step<T> step) {
        if (step instanceof Step.Done<T> done) {
            return CompletableFuture.completedFuture(done.value());
        }
        Step.Call<T> call = (Step.Call<T>) step;

        CompletableFuture<? extends DynamoDbResponse> sent;
        try {
            sent = sendAsync(call.request());
        } catch (SdkException e) {
            sent = CompletableFuture.failedFuture(e);
        }

        CompletableFuture<T> result = new CompletableFuture<>();
        sent.whenComplete((response, error) -> {
            Throwable cause = unwrap(error);
            if (cause != null && !(cause instanceof SdkException)) {
                result.completeExceptionally(cause);
                return;
            }

            Step<T> next;
            try {
                next = call.next().next(cause == null ? response : null, (SdkException) cause);
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
                return;
            }
            runAsync(next).whenComplete((value, nextError) -> {
                if (nextError != null) {
                    result.completeExceptionally(unwrap(nextError));
                } else {
                    result.complete(value);
                }
            });
        });
        return result;
    }

    private DynamoDbResponse send(DynamoDbRequest request) {
        if (request instanceof UpdateItemRequest update) {
            return client.updateItem(update);
        }
        if (request instanceof GetItemRequest get) {
            return client.getItem(get);
        }
        throw new IllegalArgumentException("No call for " + request.getClass().getSimpleName());
    }

    private CompletableFuture<? extends DynamoDbResponse> sendAsync(DynamoDbRequest request) {
        if (request instanceof UpdateItemRequest update) {
            return asyncClient.updateItem(update);
        }
        if (request instanceof GetItemRequest get) {
            return asyncClient.getItem(get);
        }
        throw new IllegalArgumentException("No call for " + request.getClass().getSimpleName());
    }

    static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
