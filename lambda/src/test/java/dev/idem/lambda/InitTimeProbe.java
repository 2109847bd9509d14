package dev.idem.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.idem.Idem;
import dev.idem.IdemBuilder;
import dev.idem.fingerprint.JsonFingerprinter;
import dev.idem.memory.InMemoryIdempotencyStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measures the time this library adds to a cold start, in a fresh JVM: building an {@link Idem}
 * over the in-memory store with an SQS batch processor and an API Gateway wrapper, then the first
 * and second invocation of each. The events are built before the clock starts, because the
 * Lambda runtime deserializes them whether or not the function uses this library.
 *
 * <p>Not a test: {@code lambda/scripts/measure-init.sh} runs it in several fresh JVMs and prints
 * one line of milliseconds per run. The argument {@code shared-mapper} (which needs Jackson on
 * the classpath) hands Idem an ObjectMapper built before the clock starts.
 */
public final class InitTimeProbe {

    private InitTimeProbe() {
    }

    public static void main(String[] args) {
        SQSEvent firstBatch = batch("first");
        SQSEvent secondBatch = batch("second");
        APIGatewayProxyRequestEvent firstRequest = request("key-1");
        APIGatewayProxyRequestEvent secondRequest = request("key-2");
        APIGatewayProxyResponseEvent created = new APIGatewayProxyResponseEvent().withStatusCode(201)
                .withBody("{\"orderId\":\"ord_1\"}").withHeaders(Map.of("Content-Type", "application/json"));
        TestContext context = new TestContext(30_000);

        // With "shared-mapper", the function has built its own ObjectMapper before (a cost it pays
        // anyway), and Idem reuses it instead of building its default one.
        ObjectMapper sharedMapper = args.length > 0 && args[0].equals("shared-mapper") ? new ObjectMapper() : null;

        long started = System.nanoTime();
        IdemBuilder builder = Idem.builder(InMemoryIdempotencyStore.create()).namespace("probe");
        if (sharedMapper != null) {
            builder.objectMapper(sharedMapper).fingerprinter(JsonFingerprinter.create(sharedMapper));
        }
        Idem idem = builder.build();
        long idemBuilt = System.nanoTime();
        SqsBatchProcessor processor = SqsBatchProcessor.builder(idem).build();
        ApiGatewayIdempotency<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> api =
                ApiGatewayIdempotency.restApi(idem).build();
        long built = System.nanoTime();

        SQSBatchResponse firstResponse = processor.process(firstBatch, context, message -> { });
        long firstSqs = System.nanoTime();
        APIGatewayProxyResponseEvent firstApiResponse = api.handle(firstRequest, context, request -> created);
        long firstApi = System.nanoTime();
        SQSBatchResponse secondResponse = processor.process(secondBatch, context, message -> { });
        long secondSqs = System.nanoTime();
        APIGatewayProxyResponseEvent secondApiResponse = api.handle(secondRequest, context, request -> created);
        long secondApi = System.nanoTime();

        // The results are checked so that the work cannot be skipped, and a broken run is not reported as fast.
        if (!firstResponse.getBatchItemFailures().isEmpty() || !secondResponse.getBatchItemFailures().isEmpty()
                || firstApiResponse.getStatusCode() != 201 || secondApiResponse.getStatusCode() != 201) {
            throw new IllegalStateException("the probe's invocations did not succeed");
        }
        System.out.printf(Locale.ROOT, "build_idem=%.2f build_handlers=%.2f first_sqs=%.2f first_api=%.2f"
                        + " second_sqs=%.2f second_api=%.2f%n", millis(started, idemBuilt), millis(idemBuilt, built),
                millis(built, firstSqs), millis(firstSqs, firstApi), millis(firstApi, secondSqs),
                millis(secondSqs, secondApi));
    }

    private static double millis(long from, long to) {
        return (to - from) / 1_000_000.0;
    }

    private static SQSEvent batch(String prefix) {
        List<SQSEvent.SQSMessage> messages = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
            message.setMessageId(prefix + "-" + i);
            message.setBody("{\"id\":" + i + ",\"name\":\"Product" + i + "\",\"price\":450}");
            message.setEventSourceArn("arn:aws:sqs:eu-central-1:123456789012:orders");
            messages.add(message);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(messages);
        return event;
    }

    private static APIGatewayProxyRequestEvent request(String key) {
        Map<String, String> headers = new HashMap<>();
        headers.put("Idempotency-Key", key);
        headers.put("Content-Type", "application/json");
        return new APIGatewayProxyRequestEvent().withHttpMethod("POST").withPath("/orders").withHeaders(headers)
                .withBody("{\"product\":\"Product1234\",\"quantity\":2}");
    }
}
