package dev.idem.examples.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.idem.Idem;
import dev.idem.lambda.BatchResult;
import dev.idem.lambda.InvocationLease;
import dev.idem.lambda.SqsBatchProcessor;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * An SQS-triggered function that charges the card for each order payment message, once per
 * order, whatever the queue redelivers.
 *
 * <p>The key is the order id from the message body, not the SQS message id, because the
 * producer resends a message under a new message id when it is unsure the first send arrived.
 * A message without an order id fails with {@code INVALID_KEY}, and one that reuses an order id
 * with another price fails with {@code PAYLOAD_MISMATCH}: both are reported for retry and reach
 * the dead-letter queue after the queue's maxReceiveCount.
 *
 * <p>Deployed, Lambda creates the handler with its no-argument constructor, which picks the
 * store from the environment (the one backend module on the classpath).
 */
public final class OrderPaymentHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SqsBatchProcessor batch;
    private final PaymentGateway gateway;

    /** Creates the handler as Lambda does, on the store that the environment configures. */
    public OrderPaymentHandler() {
        this(Idem.builder().namespace("order-payments").retention(Duration.ofDays(14)).build(), new PaymentGateway());
    }

    /** Creates the handler over {@code idem}, charging through {@code gateway}. */
    public OrderPaymentHandler(Idem idem, PaymentGateway gateway) {
        this.gateway = gateway;
        this.batch = SqsBatchProcessor.builder(idem)
                .key(OrderPaymentHandler::orderId)
                .lease(InvocationLease.of(Duration.ofSeconds(2), Duration.ofMinutes(5)))
                .build();
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return SqsBatchProcessor.response(process(event, context));
    }

    /** Processes the batch and returns the outcome of each message. */
    public BatchResult<SQSMessage> process(SQSEvent event, Context context) {
        return batch.processRecords(event, context, this::pay);
    }

    private void pay(SQSMessage message) throws Exception {
        JsonNode order = JSON.readTree(message.getBody());
        long orderId = order.path("id").asLong();
        BigDecimal amount = order.path("price").decimalValue();
        gateway.charge(orderId, amount);
    }

    /** Returns the order id of a message body, or {@code null} when the body has none. */
    private static String orderId(SQSMessage message) {
        String body = message.getBody();
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode id = JSON.readTree(body).path("id");
            return id.isNumber() || id.isTextual() ? "order-" + id.asText() : null;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("message body is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
