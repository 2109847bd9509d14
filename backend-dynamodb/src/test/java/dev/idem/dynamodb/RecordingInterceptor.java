package dev.idem.dynamodb;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

import java.util.ArrayList;
import java.util.List;

/** Records every request a client sends, as the SDK hands it to the wire, so that tests can check its shape. */
final class RecordingInterceptor implements ExecutionInterceptor {

    private final List<SdkRequest> requests = new ArrayList<>();

    @Override
    public synchronized void beforeExecution(Context.BeforeExecution context, ExecutionAttributes executionAttributes) {
        requests.add(context.request());
    }

    /** Returns the requests sent so far, oldest first. */
    synchronized List<SdkRequest> requests() {
        return new ArrayList<>(requests);
    }

    /** Returns the simple class names of the requests sent so far, such as {@code UpdateItemRequest}. */
    synchronized List<String> requestTypes() {
        List<String> types = new ArrayList<>();
        for (SdkRequest request : requests) {
            types.add(request.getClass().getSimpleName());
        }
        return types;
    }

    synchronized void clear() {
        requests.clear();
    }
}
