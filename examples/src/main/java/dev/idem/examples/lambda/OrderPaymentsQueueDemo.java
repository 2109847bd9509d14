package dev.idem.examples.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;

import dev.idem.Idem;
import dev.idem.lambda.BatchResult;
import dev.idem.lambda.RecordResult;
import dev.idem.lambda.SqsBatchProcessor;
import dev.idem.memory.InMemoryIdempotencyStore;

import java.io.PrintStream;

/**
 * Feeds SQS event files through {@link OrderPaymentHandler} on the embedded in-memory store, as
 * Lambda would deliver them: a first delivery, the same event redelivered, a batch with a resent
 * order, a payment that times out and an order sent twice, the redelivery of the failed
 * messages, and a message without a body. It prints what happened to each message and the
 * partial batch response, then checks that no order was charged twice.
 */
public final class OrderPaymentsQueueDemo {

    /** The function timeout of each local invocation. */
    private static final int TIMEOUT_MILLIS = 30_000;

    private final PrintStream out;
    private final PaymentGateway gateway = new PaymentGateway();
    private final OrderPaymentHandler handler;

    OrderPaymentsQueueDemo(PrintStream out) {
        this.out = out;
        Idem idem = Idem.builder(InMemoryIdempotencyStore.create()).namespace("order-payments").build();
        this.handler = new OrderPaymentHandler(idem, gateway);
    }

    public static void main(String[] args) {
        OrderPaymentsQueueDemo demo = new OrderPaymentsQueueDemo(System.out);
        if (demo.run() != 0) {
            System.exit(1);
        }
    }

    /** Runs every delivery and returns the number of orders that were charged more than once. */
    int run() {
        deliver("first delivery", "sqs_event_product.json");
        deliver("same event redelivered", "sqs_event_product.json");

        gateway.timeOutOnce(1235);
        deliver("next batch", "sqs_orders_batch.json");
        deliver("redelivery of failed messages", "sqs_orders_redelivery.json");
        deliver("message without a body", "sqs_event_nobody.json");

        out.println("charges per order: " + gateway.chargesPerOrder());
        out.println("orders charged more than once: " + gateway.doubleCharges());
        return gateway.doubleCharges();
    }

    private void deliver(String label, String file) {
        SQSEvent event = EventFiles.read(file, SQSEvent.class);
        BatchResult<SQSMessage> result = handler.process(event, new LocalContext("order-payments", TIMEOUT_MILLIS));

        out.printf("== %s (%s)%n", label, file);
        for (RecordResult<SQSMessage> record : result.records()) {
            out.printf("  %-38s %-26s %-17s %s%n", record.itemIdentifier(), record.key() == null ? "-" : record.key(),
                    record.outcome(), describe(record));
        }
        SQSBatchResponse response = SqsBatchProcessor.response(result);
        out.println("  response: " + EventFiles.toJson(response, SQSBatchResponse.class));
        out.println();
    }

    private static String describe(RecordResult<SQSMessage> record) {
        return switch (record.outcome()) {
            case EXECUTED -> "ran";
            case REPLAYED -> "replayed: completed earlier, not charged again";
            case FAILED -> "left for retry: " + record.error().getMessage();
            case IN_FLIGHT -> "left for retry: the same order is being charged";
            case PAYLOAD_MISMATCH -> "left for retry, ends in the DLQ: order id reused with another payload";
            case INVALID_KEY -> "left for retry, ends in the DLQ: no order id";
            case NOT_RUN -> "left for retry: not started";
        };
    }
}
