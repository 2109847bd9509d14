package dev.idem.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.idem.internal.Jackson;
import dev.idem.internal.JavaTimeModules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;

/**
 * Stores results as JSON with Jackson, generic types included.
 *
 * <p>The default mapper registers Jackson's java.time module when it is on the classpath and
 * writes dates as ISO-8601 text, and it ignores unknown properties on replay, so that a record
 * written by an older version of a class still reads after a field was removed.
 *
 * @param <T> the result type
 */
public final class JacksonResultCodec<T> implements ResultCodec<T> {

    private static final ObjectMapper DEFAULT_MAPPER = newDefaultMapper();

    private final ObjectWriter writer;
    private final ObjectReader reader;

    private JacksonResultCodec(ObjectMapper mapper, JavaType type) {
        this.writer = mapper.writerFor(type);
        this.reader = mapper.readerFor(type);
    }

    /** A codec for {@code type} with the default mapper. */
    public static <T> JacksonResultCodec<T> of(ResultType<T> type) {
        return forType(type.type(), null);
    }

    /** A codec for {@code type} with the caller's mapper. */
    public static <T> JacksonResultCodec<T> of(ObjectMapper mapper, ResultType<T> type) {
        return forType(type.type(), mapper);
    }

    static <T> JacksonResultCodec<T> forType(Type type, Object mapper) {
        ObjectMapper chosen = mapper == null ? DEFAULT_MAPPER : (ObjectMapper) mapper;
        return new JacksonResultCodec<>(chosen, chosen.constructType(type));
    }

    /** The mapper used when the caller passes none. Do not modify it; copy it instead. */
    public static ObjectMapper defaultMapper() {
        return DEFAULT_MAPPER;
    }

    private static ObjectMapper newDefaultMapper() {
        ObjectMapper mapper = new ObjectMapper()
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        if (Jackson.isJavaTimePresent()) {
            JavaTimeModules.register(mapper);
        }
        return mapper;
    }

    @Override
    public byte[] encode(T value) {
        try {
            return writer.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }

    @Override
    public T decode(byte[] bytes) {
        try {
            return reader.readValue(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
