package dev.idem.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/** Reads API Gateway HTTP API (payload format 2.0) requests and builds their responses. */
final class HttpApiExchange implements HttpExchange<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    static final HttpApiExchange INSTANCE = new HttpApiExchange();

    private HttpApiExchange() {
    }

    @Override
    public List<String> headerValues(APIGatewayV2HTTPEvent request, String name) {
        // Payload format 2.0 joins repeated headers with commas into one value.
        List<String> values = new ArrayList<>(1);
        String value = HttpHeaders.find(request.getHeaders(), name);
        if (value != null) {
            values.add(value);
        }
        return values;
    }

    @Override
    public String method(APIGatewayV2HTTPEvent request) {
        APIGatewayV2HTTPEvent.RequestContext context = request.getRequestContext();
        return context == null || context.getHttp() == null ? null : context.getHttp().getMethod();
    }

    @Override
    public String path(APIGatewayV2HTTPEvent request) {
        return request.getRawPath();
    }

    @Override
    public String body(APIGatewayV2HTTPEvent request) {
        return request.getBody();
    }

    @Override
    public int statusCode(APIGatewayV2HTTPResponse response) {
        return response.getStatusCode();
    }

    @Override
    public StoredResponse toStored(APIGatewayV2HTTPResponse response) {
        return new StoredResponse(response.getStatusCode(), response.getHeaders(), response.getMultiValueHeaders(),
                response.getCookies(), response.getBody(), response.getIsBase64Encoded());
    }

    @Override
    public APIGatewayV2HTTPResponse fromStored(StoredResponse stored) {
        APIGatewayV2HTTPResponse response = new APIGatewayV2HTTPResponse();
        response.setStatusCode(stored.statusCode());
        response.setBody(stored.body());
        response.setIsBase64Encoded(stored.base64Encoded());
        if (stored.headers() != null) {
            response.setHeaders(new LinkedHashMap<>(stored.headers()));
        }
        if (stored.multiValueHeaders() != null) {
            LinkedHashMap<String, List<String>> copy = new LinkedHashMap<>();
            stored.multiValueHeaders().forEach((name, values) -> copy.put(name, values == null ? null : new ArrayList<>(values)));
            response.setMultiValueHeaders(copy);
        }
        if (stored.cookies() != null) {
            response.setCookies(new ArrayList<>(stored.cookies()));
        }
        return response;
    }
}
