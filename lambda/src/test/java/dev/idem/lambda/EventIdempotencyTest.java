package dev.idem.lambda;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;

import dev.idem.Execution;
import dev.idem.FingerprintMismatchException;
import dev.idem.Idem;
import dev.idem.InFlightException;
import dev.idem.memory.InMemoryIdempotencyStore;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventIdempotencyTest {

    private Idem idem;
    private final AtomicInteger runs = new AtomicInteger();
    private final TestContext context = new TestContext(60_000);

    @BeforeEach
    void setUp() {
        idem = Idem.builder(InMemoryIdempotencyStore.create()).namespace("events").build();
    }

    @Test
    void resultReplaysToDuplicate() {
        EventIdempotency<ScheduledEvent> events = EventIdempotency.builder(idem, EventKeys.eventBridge()).build();
        ScheduledEvent event = SampleEvents.load("cloudwatch_event.json", ScheduledEvent.class);
        events.handle(event, context, String.class, e -> "report " + runs.incrementAndGet());

        Execution<String> duplicate = events.handle(event, context, String.class, e -> "report " + runs.incrementAndGet());

        assertThat(duplicate.value()).isEqualTo("report 1");
        assertThat(duplicate.isReplay()).isTrue();
    }

    @Test
    void missingKeyIsRejected() {
        EventIdempotency<ScheduledEvent> events = EventIdempotency.builder(idem, EventKeys.eventBridge()).build();
        ScheduledEvent event = SampleEvents.load("cloudwatch_event.json", ScheduledEvent.class);
        event.setId(null);

        assertThatThrownBy(() -> events.handle(event, context, e -> runs.incrementAndGet()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("returned null");
        assertThat(runs).hasValue(0);
    }

    @Test
    void failureReleasesKey() {
        EventIdempotency<ScheduledEvent> events = EventIdempotency.builder(idem, EventKeys.eventBridge()).build();
        ScheduledEvent event = SampleEvents.load("cloudwatch_event.json", ScheduledEvent.class);
        assertThatThrownBy(() -> events.handle(event, context, e -> {
            throw new IllegalStateException("report service down");
        })).isInstanceOf(IllegalStateException.class);

        Execution<Void> retry = events.handle(event, context, e -> runs.incrementAndGet());

        assertThat(retry.isReplay()).isFalse();
        assertThat(runs).hasValue(1);
    }

    @Test
    void inFlightDuplicateFailsFast() {
        EventIdempotency<ScheduledEvent> events = EventIdempotency.builder(idem, EventKeys.eventBridge()).build();
        ScheduledEvent event = SampleEvents.load("cloudwatch_event.json", ScheduledEvent.class);
        AtomicReference<Throwable> nested = new AtomicReference<>();

        events.handle(event, context, e -> {
            try {
                events.handle(event, context, inner -> runs.incrementAndGet());
            } catch (InFlightException inFlight) {
                nested.set(inFlight);
            }
        });

        assertThat(nested.get()).isInstanceOf(InFlightException.class);
        assertThat(runs).hasValue(0);
    }

    @Test
    void changedMessageIsMismatch() {
        EventIdempotency<SNSEvent> events = EventIdempotency.builder(idem, EventKeys.sns())
                .payload(event -> event.getRecords().get(0).getSNS().getMessage())
                .build();
        SNSEvent event = SampleEvents.load("sns_event.json", SNSEvent.class);
        events.handle(event, context, e -> runs.incrementAndGet());
        event.getRecords().get(0).getSNS().setMessage("{\"id\": 43}");

        assertThatThrownBy(() -> events.handle(event, context, e -> runs.incrementAndGet()))
                .isInstanceOf(FingerprintMismatchException.class);
    }

    @Test
    void snsKeyJoinsMessageIds() {
        SNSEvent event = SampleEvents.load("sns_event.json", SNSEvent.class);
        SNSEvent.SNSRecord second = new SNSEvent.SNSRecord();
        second.setSns(new SNSEvent.SNS().withMessageId("second-id"));
        event.setRecords(List.of(event.getRecords().get(0), second));

        assertThat(EventKeys.sns().apply(event)).isEqualTo("dc918f50-80c6-56a2-ba33-d8a9bbf013ab,second-id");
    }

    @Test
    void s3KeyNeedsSequencer() {
        S3Event event = SampleEvents.load("s3_event.json", S3Event.class);
        S3Event withoutSequencer = new S3Event(List.of(new com.amazonaws.services.lambda.runtime.events.models.s3
                .S3EventNotification.S3EventNotificationRecord("eu-central-1", "ObjectCreated:Put", "aws:s3", null,
                "2.0", null, null, new com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification
                .S3Entity("config", event.getRecords().get(0).getS3().getBucket(),
                new com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3ObjectEntity(
                        "test/key", 1024L, "etag", "", null), "1.0"), null)));

        assertThat(EventKeys.s3().apply(event)).isEqualTo("example-bucket/test/key@0A1B2C3D4E5F678901");
        assertThat(EventKeys.s3().apply(withoutSequencer)).isNull();
    }

    @Test
    void emptyNotificationsHaveNoKey() {
        assertThat(EventKeys.sns().apply(new SNSEvent())).isNull();
        assertThat(EventKeys.s3().apply(new S3Event(List.of()))).isNull();
    }
}
