package dev.idem.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent.KinesisEventRecord;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;

import dev.idem.Idem;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Processes a Kinesis batch so that each record's work runs once, and returns the partial batch
 * response with the sequence numbers to retry.
 *
 * <p>The key is the record's event id ({@code shardId:sequenceNumber}) by default, and the data
 * is fingerprinted. Records run in order. Lambda restarts a shard from the lowest sequence number
 * that the response names and sends every record after it again. So the first record reported
 * for retry stops the batch, and the records after it do not run now: their claims are released
 * and they are reported too. Records that completed before the failure are replayed, not run,
 * when they come again.
 *
 * <p>Warning: the event source mapping must list {@code ReportBatchItemFailures} in its
 * {@code FunctionResponseTypes}, or Lambda ignores the response. A record that can never succeed
 * (an invalid key, a mismatch) blocks its shard until the mapping's maximum retry attempts or
 * maximum record age is reached; set both, and an on-failure destination.
 *
 * <p>Instances are immutable and thread-safe; build one per function, outside the handler method.
 */
public final class KinesisBatchProcessor {

    private static final RecordSource<KinesisEventRecord> SOURCE = new RecordSource<>() {
        @Override
        public String recordName() {
            return "Kinesis record";
        }

        @Override
        public String identifierName() {
            return "sequence number";
        }

        @Override
        public String itemIdentifier(KinesisEventRecord record) {
            return record.getKinesis() == null ? null : record.getKinesis().getSequenceNumber();
        }

        @Override
        public String defaultKey(KinesisEventRecord record) {
            return record.getEventID();
        }

        @Override
        public Object defaultPayload(KinesisEventRecord record) {
            ByteBuffer data = record.getKinesis() == null ? null : record.getKinesis().getData();
            if (data == null) {
                return null;
            }
            byte[] bytes = new byte[data.remaining()];
            data.duplicate().get(bytes);
            return bytes;
        }

        @Override
        public boolean ordered(List<KinesisEventRecord> records) {
            return true;
        }
    };

    private final BatchEngine<KinesisEventRecord> engine;

    private KinesisBatchProcessor(Builder builder) {
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
    public StreamsEventResponse process(KinesisEvent event, Context context,
                                        RecordHandler<? super KinesisEventRecord> handler) {
        return StreamsResponses.of(processRecords(event, context, handler));
    }

    /** Like {@link #process}, but returns the outcome of each record; turn it into the response with {@link #response}. */
    public BatchResult<KinesisEventRecord> processRecords(KinesisEvent event, Context context,
                                                          RecordHandler<? super KinesisEventRecord> handler) {
        return engine.process(event == null ? null : event.getRecords(), context, handler);
    }

    /** Returns the partial batch response that names the records of {@code result} to retry. */
    public static StreamsEventResponse response(BatchResult<?> result) {
        return StreamsResponses.of(result);
    }

    /** Configures a {@link KinesisBatchProcessor}. */
    public static final class Builder extends BatchBuilder<KinesisEventRecord, Builder> {

        private Builder(Idem idem) {
            super(idem, SOURCE);
        }

        public KinesisBatchProcessor build() {
            return new KinesisBatchProcessor(this);
        }
    }
}
