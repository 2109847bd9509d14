package dev.idem.redis;

import dev.idem.spi.ClaimRequest;
import dev.idem.spi.ClaimResult;
import dev.idem.spi.IdempotencyStore;
import dev.idem.spi.IdempotencyStoreProvider;
import dev.idem.spi.StoreConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The provider is found by ServiceLoader and builds a working store from settings. */
class RedisIdempotencyStoreProviderTest {

    private final String prefix = TestRedis.uniquePrefix();

    @AfterEach
    void cleanUp() {
        System.clearProperty("idem.redis.url");
        System.clearProperty("idem.redis.key-prefix");
        System.clearProperty("idem.redis.max-result-bytes");
        try (RedisClient client = TestRedis.connect()) {
            TestRedis.deleteKeys(client, prefix);
        }
    }

    @Test
    void serviceLoaderFindsRedis() {
        Optional<IdempotencyStoreProvider> provider = redisProvider();

        assertThat(provider).isPresent();
        assertThat(provider.get()).isInstanceOf(RedisIdempotencyStoreProvider.class);
    }

    @Test
    void buildsFromSystemProperties() {
        System.setProperty("idem.redis.url", TestRedis.url());
        System.setProperty("idem.redis.key-prefix", prefix);
        System.setProperty("idem.redis.max-result-bytes", "1048576");

        try (IdempotencyStore store = redisProvider().orElseThrow().create(StoreConfig.fromSystem())) {
            ClaimResult result = store.claim(new ClaimRequest("provider:1", null, 10_000, 60_000, null));

            assertThat(result).isInstanceOf(ClaimResult.Acquired.class);
            assertThat(store.capabilities().backend()).isEqualTo("redis");
            assertThat(store.capabilities().maxResultBytes()).isEqualTo(1_048_576);
            try (RedisClient client = TestRedis.connect()) {
                assertThat(client.exists(prefix + "{provider:1}")).isTrue();
            }
        }
    }

    @Test
    void missingUrlNamesSetting() {
        StoreConfig empty = StoreConfig.of(Map.of());

        assertThatThrownBy(() -> new RedisIdempotencyStoreProvider().create(empty))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("redis.url")
                .hasMessageContaining("IDEM_REDIS_URL");
    }

    @Test
    void urlAndClusterConflict() {
        StoreConfig both = StoreConfig.of(Map.of("redis.url", "redis://127.0.0.1:6379",
                "redis.cluster.nodes", "127.0.0.1:7000"));

        assertThatThrownBy(() -> new RedisIdempotencyStoreProvider().create(both))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not both");
    }

    @Test
    void invalidUrlHidesPassword() {
        StoreConfig config = StoreConfig.of(Map.of("redis.url", "http://user:secret@127.0.0.1:6379"));

        assertThatThrownBy(() -> new RedisIdempotencyStoreProvider().create(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("user:***@")
                .hasMessageNotContaining("secret");
    }

    @Test
    void invalidTimeoutNamesSetting() {
        StoreConfig config = StoreConfig.of(Map.of("redis.url", TestRedis.url(), "redis.timeout-millis", "soon"));

        assertThatThrownBy(() -> new RedisIdempotencyStoreProvider().create(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("redis.timeout-millis='soon'");
    }

    private static Optional<IdempotencyStoreProvider> redisProvider() {
        return ServiceLoader.load(IdempotencyStoreProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(provider -> provider.name().equals("redis"))
                .findFirst();
    }
}
