package dev.idem;

import dev.idem.memory.InMemoryIdempotencyStore;
import dev.idem.memory.InMemoryStoreProvider;
import dev.idem.spi.IdempotencyStore;
import dev.idem.spi.IdempotencyStoreProvider;
import dev.idem.spi.StoreConfig;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Finds the store that the classpath and configuration select, so that an application picks a
 * backend by adding its module as a dependency.
 *
 * <ul>
 *   <li>When the setting {@code backend} ({@code -Didem.backend} or {@code IDEM_BACKEND}) names a
 *       provider, that provider builds the store.</li>
 *   <li>Otherwise, with exactly one backend module on the classpath, that backend builds it.</li>
 *   <li>With several, the setting is required and its absence is an error that lists them.</li>
 *   <li>With none, the in-memory store is used, with a warning that it is neither durable nor
 *       shared between processes.</li>
 * </ul>
 *
 * Each provider reads its own settings, such as {@code redis.url}; see the backend's documentation.
 */
public final class IdempotencyStores {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyStores.class);

    private IdempotencyStores() {
    }

    /** Builds the store from system properties and environment variables. */
    public static IdempotencyStore fromEnvironment() {
        return fromConfig(StoreConfig.fromSystem());
    }

    /**
     * Builds the store from {@code config}.
     *
     * @throws IllegalArgumentException when the named backend is not on the classpath, several are
     *                                  present and none is named, or a provider's setting is missing
     */
    public static IdempotencyStore fromConfig(StoreConfig config) {
        List<IdempotencyStoreProvider> providers = providers();
        String named = config.get("backend").orElse(null);

        if (named != null) {
            for (IdempotencyStoreProvider provider : providers) {
                if (provider.name().equalsIgnoreCase(named)) {
                    return provider.create(config);
                }
            }
            throw new IllegalArgumentException("Backend '" + named + "' named by " + StoreConfig.propertyName("backend")
                    + " / " + StoreConfig.environmentName("backend") + " is not on the classpath; available: "
                    + names(providers) + ". Add its module, such as dev.idem:idem-" + named + ".");
        }

        List<IdempotencyStoreProvider> backends = new ArrayList<>();
        for (IdempotencyStoreProvider provider : providers) {
            if (!provider.name().equals(InMemoryStoreProvider.NAME)) {
                backends.add(provider);
            }
        }

        if (backends.size() == 1) {
            return backends.get(0).create(config);
        }
        if (backends.size() > 1) {
            throw new IllegalArgumentException("Several backends are on the classpath (" + names(backends)
                    + "); choose one with the system property " + StoreConfig.propertyName("backend")
                    + " or the environment variable " + StoreConfig.environmentName("backend") + ".");
        }

        log.warn("No Idem backend module is on the classpath, so the in-memory store is used. It is neither durable"
                + " nor shared between processes: duplicates reaching another instance, or arriving after a restart,"
                + " run again. Add a backend module such as idem-redis, idem-jdbc or idem-dynamodb, or set "
                + StoreConfig.environmentName("backend") + "=memory to silence this warning.");
        return InMemoryIdempotencyStore.create();
    }

    /** The providers that {@link ServiceLoader} finds, the in-memory one included. */
    public static List<IdempotencyStoreProvider> providers() {
        List<IdempotencyStoreProvider> providers = new ArrayList<>();
        ServiceLoader.load(IdempotencyStoreProvider.class, IdempotencyStores.class.getClassLoader()).forEach(providers::add);
        return providers;
    }

    private static String names(List<IdempotencyStoreProvider> providers) {
        return providers.stream().map(IdempotencyStoreProvider::name).sorted().collect(Collectors.joining(", "));
    }
}
