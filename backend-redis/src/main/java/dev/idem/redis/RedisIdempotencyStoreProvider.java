package dev.idem.redis;

import dev.idem.spi.IdempotencyStore;
import dev.idem.spi.IdempotencyStoreProvider;
import dev.idem.spi.StoreConfig;

import java.time.Duration;
import java.util.Optional;

/**
 * Builds a {@link RedisIdempotencyStore} from settings, registered with {@link java.util.ServiceLoader}
 * under the name {@code redis}. Each setting is read from the system property {@code idem.<name>}
 * first, then from the environment variable {@code IDEM_<NAME>} (for example {@code IDEM_REDIS_URL}):
 *
 * <ul>
 *   <li>{@code redis.url}: {@code redis://[user:password@]host:port[/database]}, or {@code rediss://}
 *       for TLS; required unless {@code redis.cluster.nodes} is set</li>
 *   <li>{@code redis.cluster.nodes}: comma-separated {@code host:port} seed nodes of a Cluster</li>
 *   <li>{@code redis.cluster.user}, {@code redis.cluster.password}, {@code redis.cluster.tls}
 *       ({@code true} or {@code false}): credentials and TLS for the Cluster nodes</li>
 *   <li>{@code redis.key-prefix}: the prefix of every Redis key, {@code idem:} by default</li>
 *   <li>{@code redis.timeout-millis}: connect and read timeout in milliseconds, 2000 by default</li>
 *   <li>{@code redis.max-result-bytes}: the largest result in bytes, 16777216 (16 MiB) by default</li>
 * </ul>
 */
public final class RedisIdempotencyStoreProvider implements IdempotencyStoreProvider {

    static final String URL = "redis.url";
    static final String CLUSTER_NODES = "redis.cluster.nodes";
    static final String CLUSTER_USER = "redis.cluster.user";
    static final String CLUSTER_PASSWORD = "redis.cluster.password";
    static final String CLUSTER_TLS = "redis.cluster.tls";
    static final String KEY_PREFIX = "redis.key-prefix";
    static final String TIMEOUT_MILLIS = "redis.timeout-millis";
    static final String MAX_RESULT_BYTES = "redis.max-result-bytes";

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public IdempotencyStore create(StoreConfig config) {
        RedisIdempotencyStore.Builder builder = RedisIdempotencyStore.builder();

        Optional<String> clusterNodes = config.get(CLUSTER_NODES);
        if (clusterNodes.isPresent()) {
            if (config.get(URL).isPresent()) {
                throw new IllegalArgumentException("Both " + URL + " and " + CLUSTER_NODES + " are set; set "
                        + StoreConfig.environmentName(URL) + " for a standalone server or "
                        + StoreConfig.environmentName(CLUSTER_NODES) + " for a Cluster, not both.");
            }
            builder.clusterNodes(clusterNodes.get());
            config.get(CLUSTER_USER).ifPresent(builder::user);
            config.get(CLUSTER_PASSWORD).ifPresent(builder::password);
            config.get(CLUSTER_TLS).ifPresent(value -> builder.tls(parseBoolean(CLUSTER_TLS, value)));
        } else {
            builder.url(config.require(URL));
        }

        config.get(KEY_PREFIX).ifPresent(builder::keyPrefix);
        config.get(TIMEOUT_MILLIS).ifPresent(value -> builder.timeout(Duration.ofMillis(parsePositive(TIMEOUT_MILLIS, value))));
        config.get(MAX_RESULT_BYTES).ifPresent(value -> builder.maxResultBytes((int) Math.min(Integer.MAX_VALUE,
                parsePositive(MAX_RESULT_BYTES, value))));
        return builder.build();
    }

    private static long parsePositive(String name, String value) {
        try {
            long parsed = Long.parseLong(value);
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // Reported below together with the value that failed.
        }
        throw new IllegalArgumentException("Invalid setting " + name + "='" + value
                + "': expected a positive whole number. Set " + StoreConfig.propertyName(name) + " or "
                + StoreConfig.environmentName(name) + ".");
    }

    private static boolean parseBoolean(String name, String value) {
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException("Invalid setting " + name + "='" + value + "': expected true or false.");
    }
}
