package dev.idem.examples.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;

import dev.idem.Idem;
import dev.idem.memory.InMemoryIdempotencyStore;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Feeds API Gateway event files through {@link CreateOrderApiHandler} on the embedded in-memory
 * store: the REST API sample without a key, an order and its retry, the same key with another
 * body, a retry that arrives while the first request still runs, and a retry after a 503. It
 * prints each response and checks that every key created at most one order.
 */
public final class CreateOrderApiDemo {

    /** The function timeout of each local invocation. */
    private static final int TIMEOUT_MILLIS = 29_000;

    private final PrintStream out;
    private final OrderService orders = new OrderService();
    private final CreateOrderApiHandler handler;

    CreateOrderApiDemo(PrintStream out) {
        this.out = out;
        Idem idem = Idem.builder(InMemoryIdempotencyStore.create()).namespace("orders-api").build();
        this.handler = new CreateOrderApiHandler(idem, orders);
    }

    public static void main(String[] args) throws Exception {
        CreateOrderApiDemo demo = new CreateOrderApiDemo(System.out);
        if (demo.run() != 3) {
            System.exit(1);
        }
    }

    /** Sends every request and returns the number of orders created; three keys succeed, so three is right. */
    int run() throws InterruptedException, ExecutionException {
        out.printf("%-34s %-6s %-9s %-12s %s%n", "request", "status", "replayed", "retry-after", "body");

        send("sample GET without a key", "apigw_rest_event.json");
        send("create order", "apigw_create_order.json");
        send("client retry", "apigw_create_order.json");
        send("same key, other quantity", "apigw_create_order_changed.json");
        concurrentRetry("apigw_create_order_slow.json");

        orders.unavailableOnce();
        send("inventory unavailable", "apigw_create_order_unavailable.json");
        send("retry after the 503", "apigw_create_order_unavailable.json");
        send("retry after success", "apigw_create_order_unavailable.json");

        out.println();
        out.println("orders created: " + orders.created());
        return orders.created();
    }

    private APIGatewayProxyResponseEvent invoke(String file) {
        APIGatewayProxyRequestEvent request = EventFiles.read(file, APIGatewayProxyRequestEvent.class);
        return handler.handleRequest(request, new LocalContext("orders-api", TIMEOUT_MILLIS));
    }

    private void send(String label, String file) {
        print(label, invoke(file));
    }

    /** Sends a request, and its retry while the first one is held inside the order service. */
    private void concurrentRetry(String file) throws InterruptedException, ExecutionException {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        orders.holdNextOrder(started, proceed);

        ExecutorService client = Executors.newSingleThreadExecutor();
        try {
            Future<APIGatewayProxyResponseEvent> first = client.submit(() -> invoke(file));
            started.await();
            APIGatewayProxyResponseEvent retry = invoke(file);
            proceed.countDown();

            print("slow order", first.get());
            print("retry while it runs", retry);
        } finally {
            client.shutdown();
        }
    }

    private void print(String label, APIGatewayProxyResponseEvent response) {
        Map<String, String> headers = response.getHeaders() == null ? Map.of() : response.getHeaders();
        out.printf("%-34s %-6d %-9s %-12s %s%n", label, response.getStatusCode(),
                headers.getOrDefault("Idempotent-Replayed", "-"), headers.getOrDefault("Retry-After", "-"),
                response.getBody());
    }
}
