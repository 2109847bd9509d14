package dev.idem.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;

import dev.idem.Idem;

import java.util.List;

/**
 * Processes a DynamoDB Streams batch so that each record's work runs once, and returns the
 * partial batch response with the sequence numbers to retry.
 *
 * <p>The key is the record's event id by default. No payload is fingerprinted by default,
 * because an event id names one change; set {@link Builder#payload} together with a
 * {@link Builder#key} derived from the item. Records run in order, with the same checkpoint
 * rules as {@link KinesisBatchProcessor}: Lambda restarts from the lowest sequence number
 * reported, so the first record reported for retry stops the batch and every later record is
 * reported with it.
 *
 * <p>Warning: the event source mapping must list {@code ReportBatchItemFailures} in its
 * {@code FunctionResponseTypes}, or Lambda ignores the response. Set a maximum retry count,
 * a maximum record age and an on-failure destination, so that a record that can never succeed
 * does not block its shard until the stream's 24-hour retention drops it.
 *
 * <p>Instances are immutable and thread-safe; build one per function, outside the handler method.
 */
public final class DynamodbStreamsBatchProcessor {

    private static final RecordSource<DynamodbStreamRecord> SOURCE = new RecordSource<>() {
        @Override
        public String recordName() {
            return "DynamoDB stream record";
        }

        @Override
        public String identifierName() {
            return "sequence number";
        }

        @Override
        public String itemIdentifier(DynamodbStreamRecord record) {
            return record.getDynamodb() == null ? null : record.getDynamodb().getSequenceNumber();
        }

        @Override
        public String defaultKey(DynamodbStreamRecord record) {
            return record.getEventID();
        }

        @Override
        public Object defaultPayload(DynamodbStreamRecord record) {
            return null;
        }

        @Override
        public boolean ordered(List<DynamodbStreamRecord> records) {
            return true;
        }
    };

    private final BatchEngine<DynamodbStreamRecord> engine;

    private DynamodbStreamsBatchProcessor(Builder builder) {
        this.engine = builder.engine();
    }

    /** Starts configuring a processor that stores its records through {@code idem}. */
    public static Builder builder(Idem idem) {
        return new Builder(idem);
    }

    /**
     * Runs {@code handler} for each record that has not completed before, in order, and returns
     * the records to retry.
     *
     * @param context the invocation's context, for the lease; {@code null} uses the lease's max
     * @throws IllegalArgumentException when a record has no sequence number
     * @throws dev.idem.BackendException when the claim of the batch failed; nothing has run then
     */
    public StreamsEventResponse process(DynamodbEvent event, Context context,
                                        RecordHandler<? super DynamodbStreamRecord> handler) {
        return StreamsResponses.of(processRecords(event, context, handler));
    }

    /** Like {@link #process}, but returns the outcome of each record; turn it into the response with {@link #response}. */
    public BatchResult<DynamodbStreamRecord> processRecords(DynamodbEvent event, Context context,
                                                            RecordHandler<? super DynamodbStreamRecord> handler) {
        return engine.process(event == null ? null : event.getRecords(), context, handler);
    }

    /** Returns the partial batch response that names the records of {@code result} to retry. */
    public static StreamsEventResponse response(BatchResult<?> result) {
        return StreamsResponses.of(result);
    }

    /** Configures a {@link DynamodbStreamsBatchProcessor}. */
    public static final class Builder extends BatchBuilder<DynamodbStreamRecord, Builder> {

        private Builder(Idem idem) {
            super(idem, SOURCE);
        }

        public DynamodbStreamsBatchProcessor build() {
            return new DynamodbStreamsBatchProcessor(this);
        }
    }
}
