package dev.idem.examples.lambda;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads the event files under {@code src/main/resources/events} with the serializer that the
 * Java Lambda runtime uses, so the handlers get the same objects as in Lambda.
 */
final class EventFiles {

    private EventFiles() {
    }

    static <T> T read(String name, Class<T> type) {
        PojoSerializer<T> serializer = LambdaEventSerializers.serializerFor(type, EventFiles.class.getClassLoader());
        try (InputStream in = EventFiles.class.getResourceAsStream("/events/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("event file /events/" + name + " not found on the classpath");
            }
            return serializer.fromJson(in);
        } catch (IOException e) {
            throw new UncheckedIOException("reading event file " + name + " failed", e);
        }
    }

    /** Writes a handler's response as JSON, as the runtime returns it to Lambda. */
    static <T> String toJson(T response, Class<T> type) {
        PojoSerializer<T> serializer = LambdaEventSerializers.serializerFor(type, EventFiles.class.getClassLoader());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        serializer.toJson(response, out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
