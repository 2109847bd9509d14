package dev.idem.examples.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.idem.Idem;
import dev.idem.lambda.ApiGatewayIdempotency;
import dev.idem.lambda.InvocationLease;

import java.time.Duration;
import java.util.Map;

/**
 * The {@code POST /orders} endpoint of a REST API (Lambda proxy integration). Clients send an
 * {@code Idempotency-Key} header and may retry with it: the order is created once, and every
 * retry gets the first response back.
 *
 * <p>A 503 from an unavailable inventory is not stored, so a retry creates the order once the
 * inventory is back. A 400 for a malformed body is not stored either, so the client can fix the
 * body and send it again under the same key.
 */
public final class CreateOrderApiHandler
        implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ApiGatewayIdempotency<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> api;
    private final OrderService orders;

    /** Creates the handler as Lambda does, on the store that the environment configures. */
    public CreateOrderApiHandler() {
        this(Idem.builder().namespace("orders-api").retention(Duration.ofHours(24)).build(), new OrderService());
    }

    /** Creates the handler over {@code idem}, creating orders through {@code orders}. */
    public CreateOrderApiHandler(Idem idem, OrderService orders) {
        this.orders = orders;
        // API Gateway stops waiting for a REST integration after 29 seconds by default, so the
        // function timeout and with it the lease are kept short.
        this.api = ApiGatewayIdempotency.restApi(idem)
                .lease(InvocationLease.of(Duration.ofSeconds(1), Duration.ofSeconds(30)))
                .build();
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent request, Context context) {
        return api.handle(request, context, this::createOrder);
    }

    private APIGatewayProxyResponseEvent createOrder(APIGatewayProxyRequestEvent request) {
        JsonNode body;
        try {
            body = JSON.readTree(request.getBody() == null ? "" : request.getBody());
        } catch (JsonProcessingException e) {
            return json(400, error("The body is not valid JSON: " + e.getOriginalMessage()));
        }
        String product = body.path("product").asText(null);
        int quantity = body.path("quantity").asInt(0);
        if (product == null || quantity <= 0) {
            return json(400, error("The body needs a product and a positive quantity."));
        }

        String orderId = orders.create(product, quantity);
        if (orderId == null) {
            return json(503, error("The inventory is unavailable; retry with the same Idempotency-Key."));
        }

        ObjectNode created = JSON.createObjectNode().put("orderId", orderId).put("product", product)
                .put("quantity", quantity);
        return json(201, created).withHeaders(Map.of("Content-Type", "application/json", "Location", "/orders/" + orderId));
    }

    private static ObjectNode error(String message) {
        return JSON.createObjectNode().put("error", message);
    }

    private static APIGatewayProxyResponseEvent json(int status, JsonNode body) {
        return new APIGatewayProxyResponseEvent()
                .withStatusCode(status)
                .withHeaders(Map.of("Content-Type", "application/json"))
                .withBody(body.toString());
    }
}
