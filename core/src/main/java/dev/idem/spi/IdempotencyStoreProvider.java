package dev.idem.spi;

/**
 * Builds a store from configuration, so that an application picks a backend by adding its
 * module to the classpath. Backends register an implementation with
 * {@link java.util.ServiceLoader} in {@code META-INF/services/dev.idem.spi.IdempotencyStoreProvider}.
 */
public interface IdempotencyStoreProvider {

    /** The name that {@code IDEM_BACKEND} or {@code idem.backend} selects, such as {@code redis}. */
    String name();

    /**
     * Builds a store from {@code config}.
     *
     * @throws IllegalArgumentException when a setting is missing or invalid; the message names the setting
     */
    IdempotencyStore create(StoreConfig config);
}
