package dev.idem.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * Registers Jackson's optional java.time module. It lives in its own class because the JVM's
 * bytecode verifier loads {@link JavaTimeModule} to check any method that passes one as a
 * {@code Module}; in the caller's class, that check would fail with {@code NoClassDefFoundError}
 * whenever jackson-databind is present without jackson-datatype-jsr310.
 */
public final class JavaTimeModules {

    private JavaTimeModules() {
    }

    /** Registers the module on {@code mapper}; call it only when {@link Jackson#isJavaTimePresent()} is true. */
    public static void register(ObjectMapper mapper) {
        mapper.registerModule(new JavaTimeModule());
    }
}
