package dev.idem.lambda;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent.KinesisEventRecord;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;

import dev.idem.Idem;
import dev.idem.memory.InMemoryIdempotencyStore;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamsBatchProcessorTest {

    private InMemoryIdempotencyStore store;
    private Idem idem;
    private KinesisBatchProcessor kinesis;
    private final List<String> ran = new ArrayList<>();
    private final TestContext context = new TestContext(60_000);

    @BeforeEach
    void setUp() {
        store = InMemoryIdempotencyStore.create();
        idem = Idem.builder(store).namespace("clicks").build();
        kinesis = KinesisBatchProcessor.builder(idem).build();
    }

    private static KinesisEventRecord record(String sequenceNumber, String data) {
        KinesisEvent.Record kinesisRecord = new KinesisEvent.Record();
        kinesisRecord.setSequenceNumber(sequenceNumber);
        kinesisRecord.setPartitionKey("partition-1");
        kinesisRecord.setData(ByteBuffer.wrap(data.getBytes(StandardCharsets.UTF_8)));
        KinesisEventRecord record = new KinesisEventRecord();
        record.setKinesis(kinesisRecord);
        record.setEventID("shardId-000000000000:" + sequenceNumber);
        return record;
    }

    private static KinesisEvent event(KinesisEventRecord... records) {
        KinesisEvent event = new KinesisEvent();
        event.setRecords(List.of(records));
        return event;
    }

    private void handle(KinesisEventRecord record) {
        String data = StandardCharsets.UTF_8.decode(record.getKinesis().getData().duplicate()).toString();
        if (data.startsWith("fail")) {
            throw new IllegalStateException("downstream rejected " + data);
        }
        ran.add(record.getKinesis().getSequenceNumber());
    }

    private static List<String> failures(StreamsEventResponse response) {
        return response.getBatchItemFailures().stream()
                .map(StreamsEventResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    @Test
    void failureStopsBatchAndReportsRest() {
        KinesisEvent event = event(record("101", "a"), record("102", "fail b"), record("103", "c"));

        BatchResult<KinesisEventRecord> result = kinesis.processRecords(event, context, this::handle);

        assertThat(result.records()).extracting(RecordResult::outcome)
                .containsExactly(RecordOutcome.EXECUTED, RecordOutcome.FAILED, RecordOutcome.NOT_RUN);
        assertThat(failures(KinesisBatchProcessor.response(result))).containsExactly("102", "103");
        assertThat(ran).containsExactly("101");
    }

    @Test
    void skippedRecordsAreReleased() {
        kinesis.process(event(record("101", "fail a"), record("102", "b")), context, this::handle);

        assertThat(store.get("clicks:shardId-000000000000:102")).isEmpty();
    }

    @Test
    void retryFromCheckpointReplaysEarlierRecords() {
        kinesis.process(event(record("101", "a"), record("102", "fail b"), record("103", "c")), context, this::handle);

        // Lambda restarts at the lowest reported sequence number; a bisected or resized batch may
        // also carry records from before it, which replay.
        StreamsEventResponse retry = kinesis.process(event(record("101", "a"), record("102", "b"), record("103", "c")),
                context, this::handle);

        assertThat(retry.getBatchItemFailures()).isEmpty();
        assertThat(ran).containsExactly("101", "102", "103");
    }

    @Test
    void inFlightRecordStopsBatch() {
        idem.claim("shardId-000000000000:102", "b".getBytes(StandardCharsets.UTF_8));

        StreamsEventResponse response = kinesis.process(event(record("101", "a"), record("102", "b"),
                record("103", "c")), context, this::handle);

        assertThat(failures(response)).containsExactly("102", "103");
        assertThat(ran).containsExactly("101");
    }

    @Test
    void dataIsFingerprinted() {
        kinesis.process(event(record("101", "a")), context, this::handle);

        BatchResult<KinesisEventRecord> changed = kinesis.processRecords(event(record("101", "z")), context,
                this::handle);

        assertThat(changed.records().get(0).outcome()).isEqualTo(RecordOutcome.PAYLOAD_MISMATCH);
    }

    @Test
    void invalidKeyStopsBatch() {
        KinesisBatchProcessor byData = KinesisBatchProcessor.builder(idem)
                .key(r -> StandardCharsets.UTF_8.decode(r.getKinesis().getData().duplicate()).toString().trim())
                .build();

        BatchResult<KinesisEventRecord> result = byData.processRecords(event(record("101", "a"), record("102", " "),
                record("103", "c")), context, this::handle);

        assertThat(result.records()).extracting(RecordResult::outcome)
                .containsExactly(RecordOutcome.EXECUTED, RecordOutcome.INVALID_KEY, RecordOutcome.NOT_RUN);
    }

    @Test
    void missingSequenceNumberFailsInvocation() {
        KinesisEventRecord broken = record("101", "a");
        broken.getKinesis().setSequenceNumber(null);

        assertThatThrownBy(() -> kinesis.process(event(broken), context, this::handle))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sequence number");
    }

    @Test
    void dynamodbRecordsKeyByEventId() {
        DynamodbStreamsBatchProcessor dynamodb = DynamodbStreamsBatchProcessor.builder(idem).build();
        DynamodbEvent event = SampleEvents.load("dynamo_event.json", DynamodbEvent.class);

        BatchResult<DynamodbEvent.DynamodbStreamRecord> result = dynamodb.processRecords(event, context, r -> { });

        assertThat(result.records().get(0).key()).isEqualTo("clicks:c4ca4238a0b923820dcc509a6f75849b");
        assertThat(result.records().get(0).itemIdentifier()).isEqualTo("4421584500000000017450439091");
    }

    @Test
    void dynamodbItemKeyReplaysSameChange() {
        DynamodbStreamsBatchProcessor byItem = DynamodbStreamsBatchProcessor.builder(idem)
                .key(r -> r.getDynamodb().getKeys().get("Id").getN() + "@" + r.getEventName())
                .build();
        DynamodbEvent event = SampleEvents.load("dynamo_event.json", DynamodbEvent.class);
        byItem.process(event, context, r -> ran.add(r.getEventName()));
        event.getRecords().forEach(r -> r.setEventID("replayed-" + r.getEventID()));

        BatchResult<DynamodbEvent.DynamodbStreamRecord> again = byItem.processRecords(event, context,
                r -> ran.add("again"));

        assertThat(again.count(RecordOutcome.REPLAYED)).isEqualTo(3);
        assertThat(ran).containsExactly("INSERT", "MODIFY", "REMOVE");
    }
}
