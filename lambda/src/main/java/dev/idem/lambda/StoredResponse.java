package dev.idem.lambda;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An API Gateway response in a form that both the REST and the HTTP API response types convert
 * to and from, so that one codec stores both.
 */
record StoredResponse(int statusCode, Map<String, String> headers, Map<String, List<String>> multiValueHeaders,
                      List<String> cookies, String body, boolean base64Encoded) {

    /** Returns a copy with one more header, replacing any header of the same name in another spelling. */
    StoredResponse withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>();
        if (headers != null) {
            headers.forEach((key, existing) -> {
                if (!key.equalsIgnoreCase(name)) {
                    copy.put(key, existing);
                }
            });
        }
        copy.put(name, value);
        return new StoredResponse(statusCode, copy, multiValueHeaders, cookies, body, base64Encoded);
    }
}
