package dev.idem.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/** Reads API Gateway REST API (payload format 1.0) requests and builds their responses. */
final class RestApiExchange implements HttpExchange<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {

    static final RestApiExchange INSTANCE = new RestApiExchange();

    private RestApiExchange() {
    }

    @Override
    public List<String> headerValues(APIGatewayProxyRequestEvent request, String name) {
        // The multi-value map keeps every copy of a repeated header; the single-value map keeps only the last.
        List<String> values = HttpHeaders.findAll(request.getMultiValueHeaders(), name);
        if (values.isEmpty()) {
            String value = HttpHeaders.find(request.getHeaders(), name);
            if (value != null) {
                values.add(value);
            }
        }
        return values;
    }

    @Override
    public String method(APIGatewayProxyRequestEvent request) {
        return request.getHttpMethod();
    }

    @Override
    public String path(APIGatewayProxyRequestEvent request) {
        return request.getPath();
    }

    @Override
    public String body(APIGatewayProxyRequestEvent request) {
        return request.getBody();
    }

    @Override
    public int statusCode(APIGatewayProxyResponseEvent response) {
        return response.getStatusCode() == null ? -1 : response.getStatusCode();
    }

    @Override
    public StoredResponse toStored(APIGatewayProxyResponseEvent response) {
        return new StoredResponse(statusCode(response), response.getHeaders(), response.getMultiValueHeaders(), null,
                response.getBody(), Boolean.TRUE.equals(response.getIsBase64Encoded()));
    }

    @Override
    public APIGatewayProxyResponseEvent fromStored(StoredResponse stored) {
        APIGatewayProxyResponseEvent response = new APIGatewayProxyResponseEvent()
                .withStatusCode(stored.statusCode())
                .withBody(stored.body())
                .withIsBase64Encoded(stored.base64Encoded());
        if (stored.headers() != null) {
            response.setHeaders(new LinkedHashMap<>(stored.headers()));
        }
        if (stored.multiValueHeaders() != null) {
            LinkedHashMap<String, List<String>> copy = new LinkedHashMap<>();
            stored.multiValueHeaders().forEach((name, values) -> copy.put(name, values == null ? null : new ArrayList<>(values)));
            response.setMultiValueHeaders(copy);
        }
        return response;
    }
}
