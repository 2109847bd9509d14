package dev.idem.lambda;

import java.util.List;

/** The adapter through which {@link ApiGatewayIdempotency} reads one API Gateway request type and builds its response type. */
interface HttpExchange<Q, S> {

    /** Every value of the request header {@code name}, in any spelling of the name. */
    List<String> headerValues(Q request, String name);

    String method(Q request);

    String path(Q request);

    String body(Q request);

    /** The response's status code, or {@code -1} when it has none. */
    int statusCode(S response);

    StoredResponse toStored(S response);

    S fromStored(StoredResponse response);
}
