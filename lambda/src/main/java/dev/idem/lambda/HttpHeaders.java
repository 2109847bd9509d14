package dev.idem.lambda;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads request headers by name, ignoring case as HTTP requires. */
public final class HttpHeaders {

    private HttpHeaders() {
    }

    /**
     * Returns the value of the header {@code name}, or {@code null} when absent. When the map
     * contains the name in several spellings, the first one the map returns wins.
     */
    public static String find(Map<String, String> headers, String name) {
        if (headers == null) {
            return null;
        }
        String exact = headers.get(name);
        if (exact != null) {
            return exact;
        }
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (name.equalsIgnoreCase(header.getKey())) {
                return header.getValue();
            }
        }
        return null;
    }

    /** Returns every value of the header {@code name} in a multi-value map, in any spelling of the name. */
    public static List<String> findAll(Map<String, List<String>> headers, String name) {
        List<String> values = new ArrayList<>();
        if (headers == null) {
            return values;
        }
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            if (name.equalsIgnoreCase(header.getKey()) && header.getValue() != null) {
                values.addAll(header.getValue());
            }
        }
        return values;
    }
}
