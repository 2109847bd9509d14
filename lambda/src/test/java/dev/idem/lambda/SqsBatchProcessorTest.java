package dev.idem.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;

import dev.idem.BackendException;
import dev.idem.Idem;
import dev.idem.memory.InMemoryIdempotencyStore;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqsBatchProcessorTest {

    private static final String QUEUE = "arn:aws:sqs:eu-central-1:123456789012:orders";
    private static final String FIFO_QUEUE = "arn:aws:sqs:eu-central-1:123456789012:orders.fifo";

    private MutableClock clock;
    private InMemoryIdempotencyStore memory;
    private FailingStore store;
    private Idem idem;
    private SqsBatchProcessor processor;
    private final List<String> ran = new ArrayList<>();
    private final TestContext context = new TestContext(60_000);

    @BeforeEach
    void setUp() {
        clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
        memory = InMemoryIdempotencyStore.builder().clock(clock).build();
        store = new FailingStore(memory);
        idem = Idem.builder(store).namespace("orders").clock(clock).build();
        processor = SqsBatchProcessor.builder(idem).lease(InvocationLease.defaults().withClock(clock)).build();
    }

    private static SQSMessage message(String id, String body, String queue) {
        SQSMessage message = new SQSMessage();
        message.setMessageId(id);
        message.setBody(body);
        message.setEventSourceArn(queue);
        return message;
    }

    private static SQSEvent event(SQSMessage... messages) {
        SQSEvent event = new SQSEvent();
        event.setRecords(Arrays.asList(messages));
        return event;
    }

    private static SQSEvent batch(String queue, String... ids) {
        SQSMessage[] messages = new SQSMessage[ids.length];
        for (int i = 0; i < ids.length; i++) {
            messages[i] = message(ids[i], "{\"order\":\"" + ids[i] + "\"}", queue);
        }
        return event(messages);
    }

    private void charge(SQSMessage message) {
        if (message.getBody().contains("decline")) {
            throw new IllegalStateException("card declined by the test");
        }
        ran.add(message.getMessageId());
    }

    private static List<String> failures(SQSBatchResponse response) {
        return response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    private static List<RecordOutcome> outcomes(BatchResult<?> result) {
        return result.records().stream().map(RecordResult::outcome).toList();
    }

    @Test
    void newMessagesRun() {
        SQSBatchResponse response = processor.process(batch(QUEUE, "m1", "m2"), context, this::charge);

        assertThat(ran).containsExactly("m1", "m2");
        assertThat(response.getBatchItemFailures()).isEmpty();
    }

    @Test
    void redeliveredMessagesReplay() {
        processor.process(batch(QUEUE, "m1", "m2"), context, this::charge);

        BatchResult<SQSMessage> result = processor.processRecords(batch(QUEUE, "m2", "m3"), context, this::charge);

        assertThat(outcomes(result)).containsExactly(RecordOutcome.REPLAYED, RecordOutcome.EXECUTED);
        assertThat(ran).containsExactly("m1", "m2", "m3");
    }

    @Test
    void failedMessageIsReportedAndReleased() {
        SQSEvent event = event(message("m1", "{}", QUEUE), message("m2", "decline", QUEUE), message("m3", "{}", QUEUE));

        SQSBatchResponse response = processor.process(event, context, this::charge);

        assertThat(failures(response)).containsExactly("m2");
        assertThat(ran).containsExactly("m1", "m3");
        assertThat(memory.get("orders:m2")).isEmpty();
    }

    @Test
    void retryAfterFailureRuns() {
        processor.process(event(message("m1", "decline", QUEUE)), context, this::charge);

        SQSBatchResponse retry = processor.process(event(message("m1", "decline", QUEUE)), context, m -> ran.add(m.getMessageId()));

        assertThat(retry.getBatchItemFailures()).isEmpty();
        assertThat(ran).hasSize(1);
    }

    @Test
    void inFlightMessageIsLeftForRetry() {
        idem.claim("m1", "{\"order\":\"m1\"}");

        BatchResult<SQSMessage> result = processor.processRecords(batch(QUEUE, "m1", "m2"), context, this::charge);

        assertThat(outcomes(result)).containsExactly(RecordOutcome.IN_FLIGHT, RecordOutcome.EXECUTED);
        assertThat(result.itemIdentifiersToRetry()).containsExactly("m1");
    }

    @Test
    void duplicateInSameBatchIsLeftForRetry() {
        BatchResult<SQSMessage> result = processor.processRecords(batch(QUEUE, "m1", "m1"), context, this::charge);

        assertThat(outcomes(result)).containsExactly(RecordOutcome.EXECUTED, RecordOutcome.IN_FLIGHT);
        assertThat(ran).containsExactly("m1");
    }

    @Test
    void bodyKeyReplaysResentMessage() {
        SqsBatchProcessor byOrder = SqsBatchProcessor.builder(idem).key(m -> m.getBody().replaceAll("\\D", "")).build();
        byOrder.process(event(message("m1", "order 42", QUEUE)), context, this::charge);

        BatchResult<SQSMessage> resent = byOrder.processRecords(event(message("m9", "order 42", QUEUE)), context, this::charge);

        assertThat(outcomes(resent)).containsExactly(RecordOutcome.REPLAYED);
        assertThat(ran).containsExactly("m1");
    }

    @Test
    void payloadMismatchIsReported() {
        SqsBatchProcessor byOrder = SqsBatchProcessor.builder(idem).key(m -> m.getBody().split(" for ")[0]).build();
        byOrder.process(event(message("m1", "order 42 for 10 EUR", QUEUE)), context, this::charge);

        BatchResult<SQSMessage> reused = byOrder.processRecords(event(message("m2", "order 42 for 9 EUR", QUEUE),
                message("m3", "order 43", QUEUE)), context, this::charge);

        assertThat(outcomes(reused)).containsExactly(RecordOutcome.PAYLOAD_MISMATCH, RecordOutcome.EXECUTED);
        assertThat(reused.itemIdentifiersToRetry()).containsExactly("m2");
    }

    @Test
    void nullKeyFailsOnlyItsMessage() {
        SqsBatchProcessor byOrder = SqsBatchProcessor.builder(idem)
                .key(m -> m.getBody().contains("order") ? m.getBody() : null)
                .build();

        BatchResult<SQSMessage> result = byOrder.processRecords(event(message("m1", "no id", QUEUE),
                message("m2", "order 7", QUEUE)), context, this::charge);

        assertThat(outcomes(result)).containsExactly(RecordOutcome.INVALID_KEY, RecordOutcome.EXECUTED);
        assertThat(result.records().get(0).key()).isNull();
        assertThat(ran).containsExactly("m2");
    }

    @Test
    void blankKeyFailsOnlyItsMessage() {
        SqsBatchProcessor byOrder = SqsBatchProcessor.builder(idem).key(m -> m.getBody().trim()).build();

        BatchResult<SQSMessage> result = byOrder.processRecords(event(message("m1", "  ", QUEUE),
                message("m2", "order 7", QUEUE)), context, this::charge);

        assertThat(outcomes(result)).containsExactly(RecordOutcome.INVALID_KEY, RecordOutcome.EXECUTED);
    }

    @Test
    void throwingKeyFunctionFailsOnlyItsMessage() {
        SqsBatchProcessor byOrder = SqsBatchProcessor.builder(idem).key(m -> m.getBody().substring(6)).build();

        BatchResult<SQSMessage> result = byOrder.processRecords(event(message("m1", "x", QUEUE),
                message("m2", "order 7", QUEUE)), context, this::charge);

        assertThat(outcomes(result)).containsExactly(RecordOutcome.INVALID_KEY, RecordOutcome.EXECUTED);
        assertThat(result.records().get(0).error()).isInstanceOf(StringIndexOutOfBoundsException.class);
    }

    @Test
    void standardQueueRunsPastFailure() {
        BatchResult<SQSMessage> result = processor.processRecords(event(message("m1", "decline", QUEUE),
                message("m2", "{}", QUEUE)), context, this::charge);

        assertThat(outcomes(result)).containsExactly(RecordOutcome.FAILED, RecordOutcome.EXECUTED);
    }

    @Test
    void fifoQueueStopsAtFirstFailure() {
        SQSEvent event = event(message("m1", "{}", FIFO_QUEUE), message("m2", "decline", FIFO_QUEUE),
                message("m3", "{}", FIFO_QUEUE), message("m4", "{}", FIFO_QUEUE));

        BatchResult<SQSMessage> result = processor.processRecords(event, context, this::charge);

        assertThat(outcomes(result)).containsExactly(RecordOutcome.EXECUTED, RecordOutcome.FAILED,
                RecordOutcome.NOT_RUN, RecordOutcome.NOT_RUN);
        assertThat(result.itemIdentifiersToRetry()).containsExactly("m2", "m3", "m4");
        assertThat(memory.get("orders:m3")).isEmpty();
    }

    @Test
    void fifoRedeliveryRunsSkippedMessages() {
        processor.process(event(message("m1", "decline", FIFO_QUEUE), message("m2", "{}", FIFO_QUEUE)), context,
                this::charge);

        SQSBatchResponse retry = processor.process(event(message("m1", "{}", FIFO_QUEUE),
                message("m2", "{}", FIFO_QUEUE)), context, m -> ran.add(m.getMessageId()));

        assertThat(retry.getBatchItemFailures()).isEmpty();
        assertThat(ran).containsExactly("m1", "m2");
    }

    @Test
    void lowRemainingTimeLeavesRestForRetry() {
        TestContext shortContext = new TestContext(10_000);

        BatchResult<SQSMessage> result = processor.processRecords(batch(QUEUE, "m1", "m2", "m3"), shortContext, m -> {
            ran.add(m.getMessageId());
            clock.advance(Duration.ofSeconds(5));
        });

        assertThat(outcomes(result)).containsExactly(RecordOutcome.EXECUTED, RecordOutcome.EXECUTED,
                RecordOutcome.NOT_RUN);
        assertThat(memory.get("orders:m3")).isEmpty();
        assertThat(memory.get("orders:m2")).hasValueSatisfying(record -> assertThat(record.isCompleted()).isTrue());
    }

    @Test
    void lowRemainingTimeStillReplaysDuplicates() {
        processor.process(batch(QUEUE, "m2"), context, this::charge);

        BatchResult<SQSMessage> result = processor.processRecords(batch(QUEUE, "m1", "m2"), new TestContext(500),
                this::charge);

        assertThat(outcomes(result)).containsExactly(RecordOutcome.NOT_RUN, RecordOutcome.REPLAYED);
    }

    @Test
    void missingContextNeverStops() {
        BatchResult<SQSMessage> result = processor.processRecords(batch(QUEUE, "m1", "m2"), null, m -> {
            clock.advance(Duration.ofMinutes(20));
        });

        assertThat(result.allSucceeded()).isTrue();
    }

    @Test
    void lostLeaseStillCountsAsSuccess() {
        SqsBatchProcessor shortLease = SqsBatchProcessor.builder(idem)
                .lease(InvocationLease.of(Duration.ZERO, Duration.ofSeconds(5)).withClock(clock))
                .build();

        BatchResult<SQSMessage> result = shortLease.processRecords(batch(QUEUE, "m1"), null, m -> {
            clock.advance(Duration.ofSeconds(6));
            idem.claim("m1", m.getBody());
        });

        assertThat(outcomes(result)).containsExactly(RecordOutcome.EXECUTED);
    }

    @Test
    void completionFailureStillCountsAsSuccess() {
        store.failCompletes = true;

        BatchResult<SQSMessage> result = processor.processRecords(batch(QUEUE, "m1"), context, this::charge);

        assertThat(outcomes(result)).containsExactly(RecordOutcome.EXECUTED);
        assertThat(result.records().get(0).error()).isInstanceOf(BackendException.class);
    }

    @Test
    void claimFailureRunsNothing() {
        store.failClaims = true;

        assertThatThrownBy(() -> processor.process(batch(QUEUE, "m1"), context, this::charge))
                .isInstanceOf(BackendException.class);
        assertThat(ran).isEmpty();
    }

    @Test
    void releaseFailureIsSuppressedIntoHandlerError() {
        store.failReleases = true;

        BatchResult<SQSMessage> result = processor.processRecords(event(message("m1", "decline", QUEUE)), context,
                this::charge);

        assertThat(outcomes(result)).containsExactly(RecordOutcome.FAILED);
        assertThat(result.records().get(0).error().getSuppressed()).hasSize(1);
    }

    @Test
    void missingMessageIdFailsInvocation() {
        SQSEvent event = event(message("m1", "{}", QUEUE), message(null, "{}", QUEUE));

        assertThatThrownBy(() -> processor.process(event, context, this::charge))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("index 1")
                .hasMessageContaining("messageId");
        assertThat(memory.get("orders:m1")).isEmpty();
    }

    @Test
    void emptyEventHasNoFailures() {
        assertThat(processor.process(new SQSEvent(), context, this::charge).getBatchItemFailures()).isEmpty();
        assertThat(processor.process(null, context, this::charge).getBatchItemFailures()).isEmpty();
    }
}
