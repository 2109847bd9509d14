package dev.idem.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;

import dev.idem.Idem;

import java.util.ArrayList;
import java.util.List;

/**
 * Processes an SQS batch so that each message's work runs once, and returns the partial batch
 * response that names exactly the messages to redeliver.
 *
 * <pre>{@code
 * public final class OrderHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
 *     private static final SqsBatchProcessor BATCH = SqsBatchProcessor.builder(Idem.builder().namespace("orders").build())
 *             .build();
 *
 *     public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
 *         return BATCH.process(event, context, message -> charge(message.getBody()));
 *     }
 * }
 * }</pre>
 *
 * <p>The key is the message id by default, and the body is fingerprinted. The whole batch is
 * claimed with one store call and completed with another; see {@link RecordOutcome} for what
 * happens to each message. Messages from a FIFO queue (an event source ARN that ends in
 * {@code .fifo}) run in order: the first message reported for retry stops the batch, and every
 * message after it is reported too, so that no message group is reordered.
 *
 * <p>Warning: the event source mapping must list {@code ReportBatchItemFailures} in its
 * {@code FunctionResponseTypes}. Without it, Lambda ignores the response and treats the
 * invocation as a success, so the messages reported for retry are deleted.
 *
 * <p>Instances are immutable and thread-safe; build one per function, outside the handler method.
 */
public final class SqsBatchProcessor {

    private static final RecordSource<SQSMessage> SOURCE = new RecordSource<>() {
        @Override
        public String recordName() {
            return "SQS message";
        }

        @Override
        public String identifierName() {
            return "messageId";
        }

        @Override
        public String itemIdentifier(SQSMessage message) {
            return message.getMessageId();
        }

        @Override
        public String defaultKey(SQSMessage message) {
            return message.getMessageId();
        }

        @Override
        public Object defaultPayload(SQSMessage message) {
            return message.getBody();
        }

        @Override
        public boolean ordered(List<SQSMessage> messages) {
            String arn = messages.get(0) == null ? null : messages.get(0).getEventSourceArn();
            return arn != null && arn.endsWith(".fifo");
        }
    };

    private final BatchEngine<SQSMessage> engine;

    private SqsBatchProcessor(Builder builder) {
        this.engine = builder.engine();
    }

    /** Starts configuring a processor that stores its records through {@code idem}. */
    public static Builder builder(Idem idem) {
        return new Builder(idem);
    }

    /**
     * Runs {@code handler} for each message that has not completed before, and returns the
     * messages to redeliver.
     *
     * @param context the invocation's context, for the lease; {@code null} uses the lease's max
     * @throws IllegalArgumentException when a message has no message id
     * @throws dev.idem.BackendException when the claim of the batch failed; nothing has run then
     */
    public SQSBatchResponse process(SQSEvent event, Context context, RecordHandler<? super SQSMessage> handler) {
        return response(processRecords(event, context, handler));
    }

    /** Like {@link #process}, but returns the outcome of each message; turn it into the response with {@link #response}. */
    public BatchResult<SQSMessage> processRecords(SQSEvent event, Context context,
                                                  RecordHandler<? super SQSMessage> handler) {
        return engine.process(event == null ? null : event.getRecords(), context, handler);
    }

    /** Returns the partial batch response that names the messages of {@code result} to redeliver. */
    public static SQSBatchResponse response(BatchResult<?> result) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (String identifier : result.itemIdentifiersToRetry()) {
            failures.add(new SQSBatchResponse.BatchItemFailure(identifier));
        }
        return new SQSBatchResponse(failures);
    }

    /** Configures an {@link SqsBatchProcessor}. */
    public static final class Builder extends BatchBuilder<SQSMessage, Builder> {

        private Builder(Idem idem) {
            super(idem, SOURCE);
        }

        public SqsBatchProcessor build() {
            return new SqsBatchProcessor(this);
        }
    }
}
