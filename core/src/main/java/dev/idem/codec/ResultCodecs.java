package dev.idem.codec;

import dev.idem.internal.Jackson;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

/** The built-in codecs, and the default choice of codec for a result type. */
public final class ResultCodecs {

    private static final ResultCodec<byte[]> BYTES = new ResultCodec<>() {
        @Override
        public byte[] encode(byte[] value) {
            return value.clone();
        }

        @Override
        public byte[] decode(byte[] bytes) {
            return bytes.clone();
        }
    };

    private static final ResultCodec<String> UTF8 = new ResultCodec<>() {
        @Override
        public byte[] encode(String value) {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                boolean pairStart = Character.isHighSurrogate(c) && i + 1 < value.length()
                        && Character.isLowSurrogate(value.charAt(i + 1));
                if (pairStart) {
                    i++;
                } else if (Character.isSurrogate(c)) {
                    throw new IllegalArgumentException("String result has an unpaired surrogate at index " + i
                            + ", which UTF-8 cannot encode; return well-formed text or byte[]");
                }
            }
            return value.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String decode(byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    };

    private ResultCodecs() {
    }

    /** Stores a {@code byte[]} result as it is. */
    public static ResultCodec<byte[]> bytes() {
        return BYTES;
    }

    /**
     * Stores a {@code String} result as UTF-8 text. A string with an unpaired surrogate cannot
     * be encoded and is rejected instead of being stored with a replacement character.
     */
    public static ResultCodec<String> utf8() {
        return UTF8;
    }

    /**
     * Picks a codec for a type: {@code byte[]} as it is, {@code String} as UTF-8 text, anything
     * else as JSON with the given Jackson {@code mapper}.
     *
     * @param jacksonMapper an {@code ObjectMapper}, or {@code null} for the default one; typed as
     *                      Object so that this class loads without Jackson
     * @throws IllegalStateException when the type needs JSON and Jackson is not on the classpath
     */
    @SuppressWarnings("unchecked")
    public static <T> ResultCodec<T> forType(Type type, Object jacksonMapper) {
        if (type == byte[].class) {
            return (ResultCodec<T>) BYTES;
        }
        if (type == String.class) {
            return (ResultCodec<T>) UTF8;
        }
        if (!Jackson.isPresent()) {
            throw new IllegalStateException("No codec for results of type " + type.getTypeName()
                    + ": add com.fasterxml.jackson.core:jackson-databind to store them as JSON, return a String"
                    + " or byte[], or pass a ResultCodec.");
        }
        return JacksonResultCodec.forType(type, jacksonMapper);
    }
}
