package dev.idem.spi;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Settings for a store provider, looked up by dotted name. A setting {@code redis.url} is read
 * from the system property {@code idem.redis.url} first, then from the environment variable
 * {@code IDEM_REDIS_URL}.
 */
public final class StoreConfig {

    private final Function<String, String> systemProperties;
    private final Function<String, String> environment;

    private StoreConfig(Function<String, String> systemProperties, Function<String, String> environment) {
        this.systemProperties = systemProperties;
        this.environment = environment;
    }

    /** Reads the JVM's system properties and the process environment. */
    public static StoreConfig fromSystem() {
        return new StoreConfig(System::getProperty, System::getenv);
    }

    /** Reads settings from a map keyed by dotted name without the {@code idem.} prefix, such as {@code redis.url}. */
    public static StoreConfig of(Map<String, String> settings) {
        Map<String, String> copy = Map.copyOf(settings);
        return new StoreConfig(name -> copy.get(name.substring("idem.".length())), name -> null);
    }

    /** Returns the setting, or empty when neither the system property nor the environment variable is set or both are blank. */
    public Optional<String> get(String name) {
        Objects.requireNonNull(name, "name");
        String value = systemProperties.apply(propertyName(name));
        if (value == null || value.isBlank()) {
            value = environment.apply(environmentName(name));
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /**
     * Returns the setting or throws an exception that names both places to set it.
     *
     * @throws IllegalArgumentException when the setting is missing
     */
    public String require(String name) {
        return get(name).orElseThrow(() -> new IllegalArgumentException("Missing setting " + name
                + ": set the system property " + propertyName(name) + " or the environment variable "
                + environmentName(name)));
    }

    /** The system property that holds a setting, such as {@code idem.redis.url}. */
    public static String propertyName(String name) {
        return "idem." + name;
    }

    /** The environment variable that holds a setting, such as {@code IDEM_REDIS_URL}. */
    public static String environmentName(String name) {
        return "IDEM_" + name.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
