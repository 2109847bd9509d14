package dev.idem.fingerprint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.idem.codec.JacksonResultCodec;
import dev.idem.internal.Hashing;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Fingerprints a payload as JSON with SHA-256 over a canonical, type-aware encoding.
 *
 * <p>Object members are sorted by name, so field order does not matter. Every value is
 * written with a type tag, so the string {@code "123"} and the number {@code 123} differ, and
 * so do {@code null}, a missing field and an empty string. Numbers are compared by value:
 * {@code 1.0} and {@code 1} are the same number.
 *
 * <p>A {@link JsonNode} payload is used as it is; a {@code String} or {@code byte[]} payload is
 * parsed as JSON text (an event body, say), and hashed as plain text if it is not JSON; any other
 * object is converted with the mapper, as Jackson would serialize it.
 *
 * <p>With {@link #ofFields(String...)}, only the members at the given JSON Pointers
 * (RFC 6901, such as {@code /order/id}) take part, so that volatile fields such as timestamps or
 * trace ids do not make a retry look like a different request.
 */
public final class JsonFingerprinter implements Fingerprinter {

    private static final byte OBJECT = 'O';
    private static final byte ARRAY = 'A';
    private static final byte STRING = 'S';
    private static final byte NUMBER = 'N';
    private static final byte TRUE = 'T';
    private static final byte FALSE = 'F';
    private static final byte NULL = 'Z';
    private static final byte BINARY = 'B';
    private static final byte MISSING = 'M';
    private static final byte RAW_TEXT = 'R';

    private final ObjectMapper mapper;
    private final List<JsonPointer> fields;

    private JsonFingerprinter(ObjectMapper mapper, List<JsonPointer> fields) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.fields = fields;
    }

    /** Fingerprints the whole payload with the default mapper. */
    public static JsonFingerprinter create() {
        return new JsonFingerprinter(JacksonResultCodec.defaultMapper(), null);
    }

    /** Fingerprints the whole payload, converting objects with {@code mapper}. */
    public static JsonFingerprinter create(ObjectMapper mapper) {
        return new JsonFingerprinter(mapper, null);
    }

    /**
     * Fingerprints only the members at the given JSON Pointers, such as {@code "/orderId"} or
     * {@code "/customer/id"}. A missing member counts as missing, which differs from {@code null}.
     *
     * @throws IllegalArgumentException when no pointer is given or one is not a valid JSON Pointer
     */
    public static JsonFingerprinter ofFields(String... pointers) {
        return create().withFields(pointers);
    }

    /** Returns a fingerprinter with the same mapper over only the members at {@code pointers}. */
    public JsonFingerprinter withFields(String... pointers) {
        if (pointers == null || pointers.length == 0) {
            throw new IllegalArgumentException("Name at least one JSON Pointer, such as \"/orderId\".");
        }
        List<JsonPointer> compiled = new ArrayList<>(pointers.length);
        for (String pointer : pointers) {
            if (pointer == null || !pointer.startsWith("/")) {
                throw new IllegalArgumentException("Invalid JSON Pointer '" + pointer
                        + "': it must start with '/', such as \"/orderId\" or \"/customer/id\".");
            }
            compiled.add(JsonPointer.compile(pointer));
        }
        return new JsonFingerprinter(mapper, List.copyOf(compiled));
    }

    @Override
    public String fingerprint(Object payload) {
        MessageDigest digest = Hashing.sha256();
        JsonNode tree = toTree(payload, digest);
        if (tree == null) {
            // The payload was text that is not JSON; toTree already hashed it as raw text.
            return HexFormat.of().formatHex(digest.digest());
        }

        if (fields == null) {
            write(tree, digest);
        } else {
            for (JsonPointer field : fields) {
                writeString(field.toString(), digest);
                write(tree.at(field), digest);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private JsonNode toTree(Object payload, MessageDigest digest) {
        if (payload instanceof JsonNode node) {
            return node;
        }
        if (payload instanceof String text) {
            return parseOrHashRaw(text.getBytes(StandardCharsets.UTF_8), digest);
        }
        if (payload instanceof byte[] bytes) {
            return parseOrHashRaw(bytes, digest);
        }
        try {
            return mapper.valueToTree(payload);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Cannot fingerprint a payload of type " + payload.getClass().getName()
                    + " as JSON: " + e.getMessage() + ". Make it serializable by Jackson or set another Fingerprinter.", e);
        }
    }

    private JsonNode parseOrHashRaw(byte[] bytes, MessageDigest digest) {
        try {
            JsonNode node = mapper.readTree(bytes);
            if (node != null && !node.isMissingNode()) {
                return node;
            }
        } catch (JsonProcessingException e) {
            // Not JSON: fall through and hash the text as it is.
        } catch (IOException e) {
            throw new IllegalStateException("Reading an in-memory array failed", e);
        }
        digest.update(RAW_TEXT);
        digest.update(bytes);
        return null;
    }

    private static void write(JsonNode node, MessageDigest digest) {
        switch (node.getNodeType()) {
            case OBJECT -> writeObject(node, digest);
            case ARRAY -> {
                digest.update(ARRAY);
                writeLength(node.size(), digest);
                for (JsonNode element : node) {
                    write(element, digest);
                }
            }
            case STRING -> {
                digest.update(STRING);
                writeString(node.textValue(), digest);
            }
            case NUMBER -> {
                digest.update(NUMBER);
                writeString(canonicalNumber(node), digest);
            }
            case BOOLEAN -> digest.update(node.booleanValue() ? TRUE : FALSE);
            case NULL -> digest.update(NULL);
            case MISSING -> digest.update(MISSING);
            case BINARY -> {
                digest.update(BINARY);
                try {
                    byte[] bytes = node.binaryValue();
                    writeLength(bytes.length, digest);
                    digest.update(bytes);
                } catch (IOException e) {
                    throw new IllegalStateException("Reading a binary JSON node failed", e);
                }
            }
            case POJO -> throw new IllegalArgumentException("Cannot fingerprint an embedded Java object in a JSON"
                    + " tree; convert the payload with ObjectMapper.valueToTree first.");
        }
    }

    private static void writeObject(JsonNode node, MessageDigest digest) {
        List<Map.Entry<String, JsonNode>> members = new ArrayList<>(node.size());
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            members.add(it.next());
        }
        members.sort(Map.Entry.comparingByKey());

        digest.update(OBJECT);
        writeLength(members.size(), digest);
        for (Map.Entry<String, JsonNode> member : members) {
            writeString(member.getKey(), digest);
            write(member.getValue(), digest);
        }
    }

    private static String canonicalNumber(JsonNode node) {
        if (node.isIntegralNumber()) {
            return node.bigIntegerValue().toString();
        }
        if (node.isDouble() || node.isFloat()) {
            double value = node.doubleValue();
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                return Double.toString(value);
            }
        }
        BigDecimal decimal = node.decimalValue();
        return decimal.signum() == 0 ? "0" : decimal.stripTrailingZeros().toPlainString();
    }

    private static void writeString(String value, MessageDigest digest) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        writeLength(bytes.length, digest);
        digest.update(bytes);
    }

    private static void writeLength(int length, MessageDigest digest) {
        digest.update((byte) (length >>> 24));
        digest.update((byte) (length >>> 16));
        digest.update((byte) (length >>> 8));
        digest.update((byte) length);
    }

    @Override
    public String toString() {
        return fields == null ? "JsonFingerprinter[whole payload]" : "JsonFingerprinter" + Arrays.toString(fields.toArray());
    }
}
