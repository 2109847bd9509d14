package dev.idem.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;

import dev.idem.Execution;
import dev.idem.Idem;
import dev.idem.spi.IdempotencyStore;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every sample event through the handlers twice, as a first delivery and a duplicate, on
 * the store a subclass provides. Each test uses a fresh namespace, so a store that outlives the
 * test run (Redis, PostgreSQL) never replays an earlier run's records.
 */
abstract class SampleEventsContract {

    private IdempotencyStore store;
    private Idem idem;
    private final AtomicInteger runs = new AtomicInteger();
    private final TestContext context = new TestContext(30_000);

    /** Returns the store for one test; the subclass owns it and closes it. */
    abstract IdempotencyStore store();

    @BeforeEach
    void setUp() {
        store = store();
        idem = Idem.builder(store).namespace("samples-" + UUID.randomUUID().toString().substring(0, 8)).build();
    }

    @Test
    void sqsProductMessageRunsOnce() {
        SqsBatchProcessor processor = SqsBatchProcessor.builder(idem).build();
        SQSEvent event = SampleEvents.load("sqs_event_product.json", SQSEvent.class);

        BatchResult<SQSEvent.SQSMessage> first = processor.processRecords(event, context, message -> runs.incrementAndGet());
        BatchResult<SQSEvent.SQSMessage> duplicate = processor.processRecords(event, context, message -> runs.incrementAndGet());

        assertThat(first.records().get(0).outcome()).isEqualTo(RecordOutcome.EXECUTED);
        assertThat(duplicate.records().get(0).outcome()).isEqualTo(RecordOutcome.REPLAYED);
        assertThat(runs).hasValue(1);
        assertThat(SqsBatchProcessor.response(duplicate).getBatchItemFailures()).isEmpty();
    }

    @Test
    void sqsMessageWithoutBodyRunsOnce() {
        SqsBatchProcessor processor = SqsBatchProcessor.builder(idem).build();
        SQSEvent event = SampleEvents.load("sqs_event_nobody.json", SQSEvent.class);

        processor.process(event, context, message -> runs.incrementAndGet());
        SQSBatchResponse duplicate = processor.process(event, context, message -> runs.incrementAndGet());

        assertThat(runs).hasValue(1);
        assertThat(duplicate.getBatchItemFailures()).isEmpty();
    }

    @Test
    void sqsFailureMatchesSampleResponse() {
        SqsBatchProcessor processor = SqsBatchProcessor.builder(idem).build();
        SQSEvent event = SampleEvents.load("sqs_event_product.json", SQSEvent.class);
        event.getRecords().get(0).setMessageId("059f36b4-87a3-44ab-83d2-661975830a7d");

        SQSBatchResponse response = processor.process(event, context, message -> {
            throw new IllegalStateException("payment provider timed out");
        });

        String expected = SampleEvents.text("sqs_batch_response.json").replaceAll("\\s", "");
        assertThat(SampleEvents.toJson(response, SQSBatchResponse.class).replaceAll("\\s", "")).isEqualTo(expected);
    }

    @Test
    void sqsRetryAfterFailureRuns() {
        SqsBatchProcessor processor = SqsBatchProcessor.builder(idem).build();
        SQSEvent event = SampleEvents.load("sqs_event_product.json", SQSEvent.class);
        processor.process(event, context, message -> {
            throw new IllegalStateException("payment provider timed out");
        });

        SQSBatchResponse retry = processor.process(event, context, message -> runs.incrementAndGet());

        assertThat(runs).hasValue(1);
        assertThat(retry.getBatchItemFailures()).isEmpty();
    }

    @Test
    void kinesisRecordRunsOnce() {
        KinesisBatchProcessor processor = KinesisBatchProcessor.builder(idem).build();
        KinesisEvent event = SampleEvents.load("kinesis_event.json", KinesisEvent.class);
        List<String> data = new ArrayList<>();

        processor.process(event, context, record -> data.add(StandardCharsets.UTF_8.decode(
                record.getKinesis().getData().duplicate()).toString()));
        StreamsEventResponse duplicate = processor.process(event, context, record -> data.add("again"));

        assertThat(data).containsExactly("Hello, this is a test 123.");
        assertThat(duplicate.getBatchItemFailures()).isEmpty();
    }

    @Test
    void dynamodbRecordsRunOnceInOrder() {
        DynamodbStreamsBatchProcessor processor = DynamodbStreamsBatchProcessor.builder(idem).build();
        DynamodbEvent event = SampleEvents.load("dynamo_event.json", DynamodbEvent.class);
        List<String> names = new ArrayList<>();

        processor.process(event, context, record -> names.add(record.getEventName()));
        BatchResult<DynamodbEvent.DynamodbStreamRecord> duplicate =
                processor.processRecords(event, context, record -> names.add("again"));

        assertThat(names).containsExactly("INSERT", "MODIFY", "REMOVE");
        assertThat(duplicate.count(RecordOutcome.REPLAYED)).isEqualTo(3);
    }

    @Test
    void dynamodbFailureReportsItAndLaterRecords() {
        DynamodbStreamsBatchProcessor processor = DynamodbStreamsBatchProcessor.builder(idem).build();
        DynamodbEvent event = SampleEvents.load("dynamo_event.json", DynamodbEvent.class);

        StreamsEventResponse response = processor.process(event, context, record -> {
            if ("MODIFY".equals(record.getEventName())) {
                throw new IllegalStateException("search index unavailable");
            }
        });
        StreamsEventResponse retry = processor.process(event, context, record -> runs.incrementAndGet());

        assertThat(response.getBatchItemFailures()).extracting(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("4421584500000000017450439092", "4421584500000000017450439093");
        assertThat(runs).hasValue(2);
        assertThat(retry.getBatchItemFailures()).isEmpty();
    }

    @Test
    void restApiSampleWithoutKeyIsRejected() {
        ApiGatewayIdempotency<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> api =
                ApiGatewayIdempotency.restApi(idem).build();
        APIGatewayProxyRequestEvent request = SampleEvents.load("apigw_rest_event.json", APIGatewayProxyRequestEvent.class);

        APIGatewayProxyResponseEvent response = api.handle(request, context, r -> ok(runs.incrementAndGet()));

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(runs).hasValue(0);
    }

    @Test
    void restApiSampleWithKeyReplays() {
        ApiGatewayIdempotency<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> api =
                ApiGatewayIdempotency.restApi(idem).build();
        APIGatewayProxyRequestEvent request = SampleEvents.load("apigw_rest_event.json", APIGatewayProxyRequestEvent.class);
        Map<String, String> headers = new HashMap<>(request.getHeaders());
        headers.put("Idempotency-Key", "\"8e03978e-40d5-43e8-bc93-6894a57f9324\"");
        request.setHeaders(headers);

        APIGatewayProxyResponseEvent first = api.handle(request, context, r -> ok(runs.incrementAndGet()));
        APIGatewayProxyResponseEvent replay = api.handle(request, context, r -> ok(runs.incrementAndGet()));

        assertThat(first.getBody()).isEqualTo("run 1");
        assertThat(replay.getBody()).isEqualTo("run 1");
        assertThat(replay.getHeaders()).containsEntry("Idempotent-Replayed", "true");
        assertThat(runs).hasValue(1);
    }

    @Test
    void httpApiSampleWithKeyReplays() {
        ApiGatewayIdempotency<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> api =
                ApiGatewayIdempotency.httpApi(idem).build();
        APIGatewayV2HTTPEvent request = SampleEvents.load("apigw_http_event.json", APIGatewayV2HTTPEvent.class);
        Map<String, String> headers = new HashMap<>(request.getHeaders());
        headers.put("idempotency-key", "order-42");
        request.setHeaders(headers);

        APIGatewayV2HTTPResponse first = api.handle(request, context, r -> created(runs.incrementAndGet()));
        APIGatewayV2HTTPResponse replay = api.handle(request, context, r -> created(runs.incrementAndGet()));

        assertThat(first.getStatusCode()).isEqualTo(201);
        assertThat(replay.getStatusCode()).isEqualTo(201);
        assertThat(replay.getBody()).isEqualTo("order 1");
        assertThat(replay.getCookies()).containsExactly("session=abc");
        assertThat(replay.getHeaders()).containsEntry("Idempotent-Replayed", "true");
    }

    @Test
    void httpApiSampleWithOtherBodyIsRejected() {
        ApiGatewayIdempotency<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> api =
                ApiGatewayIdempotency.httpApi(idem).build();
        APIGatewayV2HTTPEvent request = SampleEvents.load("apigw_http_event.json", APIGatewayV2HTTPEvent.class);
        request.setHeaders(Map.of("idempotency-key", "order-42"));
        api.handle(request, context, r -> created(runs.incrementAndGet()));
        request.setBody("{\"amount\": 2500}");

        APIGatewayV2HTTPResponse reused = api.handle(request, context, r -> created(runs.incrementAndGet()));

        assertThat(reused.getStatusCode()).isEqualTo(422);
        assertThat(runs).hasValue(1);
    }

    @Test
    void eventBridgeSampleRunsOnce() {
        EventIdempotency<ScheduledEvent> events = EventIdempotency.builder(idem, EventKeys.eventBridge()).build();
        ScheduledEvent event = SampleEvents.load("cloudwatch_event.json", ScheduledEvent.class);

        Execution<Void> first = events.handle(event, context, e -> runs.incrementAndGet());
        Execution<Void> duplicate = events.handle(event, context, e -> runs.incrementAndGet());

        assertThat(first.isReplay()).isFalse();
        assertThat(duplicate.isReplay()).isTrue();
        assertThat(runs).hasValue(1);
    }

    @Test
    void s3SampleRunsOnce() {
        EventIdempotency<S3Event> events = EventIdempotency.builder(idem, EventKeys.s3()).build();
        S3Event event = SampleEvents.load("s3_event.json", S3Event.class);

        Execution<String> first = events.handle(event, context, String.class, e -> "indexed " + runs.incrementAndGet());
        Execution<String> duplicate = events.handle(event, context, String.class, e -> "indexed " + runs.incrementAndGet());

        assertThat(first.key()).endsWith(":example-bucket/test/key@0A1B2C3D4E5F678901");
        assertThat(duplicate.value()).isEqualTo("indexed 1");
        assertThat(runs).hasValue(1);
    }

    @Test
    void snsSampleRunsOnce() {
        EventIdempotency<SNSEvent> events = EventIdempotency.builder(idem, EventKeys.sns())
                .payload(event -> event.getRecords().get(0).getSNS().getMessage())
                .build();
        SNSEvent event = SampleEvents.load("sns_event.json", SNSEvent.class);

        events.handle(event, context, e -> runs.incrementAndGet());
        Execution<Void> duplicate = events.handle(event, context, e -> runs.incrementAndGet());

        assertThat(duplicate.isReplay()).isTrue();
        assertThat(runs).hasValue(1);
    }

    private static APIGatewayProxyResponseEvent ok(int run) {
        return new APIGatewayProxyResponseEvent().withStatusCode(200).withBody("run " + run)
                .withHeaders(Map.of("Content-Type", "text/plain"));
    }

    private static APIGatewayV2HTTPResponse created(int run) {
        APIGatewayV2HTTPResponse response = new APIGatewayV2HTTPResponse();
        response.setStatusCode(201);
        response.setBody("order " + run);
        response.setHeaders(Map.of("Content-Type", "text/plain"));
        response.setCookies(List.of("session=abc"));
        return response;
    }
}
