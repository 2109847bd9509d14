package dev.idem.lambda;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads the sample events in {@code src/test/resources/events} with the serializer that the Java
 * Lambda runtime uses, so the handlers see the objects they would see in Lambda.
 */
final class SampleEvents {

    private SampleEvents() {
    }

    static <T> T load(String name, Class<T> type) {
        PojoSerializer<T> serializer = LambdaEventSerializers.serializerFor(type, SampleEvents.class.getClassLoader());
        try (InputStream in = SampleEvents.class.getResourceAsStream("/events/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("sample event /events/" + name + " not found on the test classpath");
            }
            return serializer.fromJson(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code value} as JSON, as the runtime returns it to Lambda. */
    static <T> String toJson(T value, Class<T> type) {
        PojoSerializer<T> serializer = LambdaEventSerializers.serializerFor(type, SampleEvents.class.getClassLoader());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        serializer.toJson(value, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    static String text(String name) {
        try (InputStream in = SampleEvents.class.getResourceAsStream("/events/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
