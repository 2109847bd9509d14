package dev.idem;

import dev.idem.memory.InMemoryIdempotencyStore;
import dev.idem.spi.IdempotencyStore;
import dev.idem.spi.StoreConfig;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdempotencyStoresTest {

    @Test
    void noBackendFallsBackToMemory() {
        IdempotencyStore store = IdempotencyStores.fromConfig(StoreConfig.of(Map.of()));

        assertThat(store).isInstanceOf(InMemoryIdempotencyStore.class);
    }

    @Test
    void memoryCanBeNamed() {
        IdempotencyStore store = IdempotencyStores.fromConfig(StoreConfig.of(Map.of("backend", "memory")));

        assertThat(store.capabilities().backend()).isEqualTo("memory");
    }

    @Test
    void unknownBackendNameIsRejected() {
        assertThatThrownBy(() -> IdempotencyStores.fromConfig(StoreConfig.of(Map.of("backend", "cassandra"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'cassandra'")
                .hasMessageContaining("memory");
    }

    @Test
    void settingNamesMapToPropertyAndVariable() {
        assertThat(StoreConfig.propertyName("redis.url")).isEqualTo("idem.redis.url");
        assertThat(StoreConfig.environmentName("redis.key-prefix")).isEqualTo("IDEM_REDIS_KEY_PREFIX");
    }

    @Test
    void missingSettingNamesBothPlaces() {
        assertThatThrownBy(() -> StoreConfig.of(Map.of()).require("redis.url"))
                .hasMessageContaining("idem.redis.url")
                .hasMessageContaining("IDEM_REDIS_URL");
    }

    @Test
    void systemPropertyIsRead() {
        System.setProperty("idem.test.setting", "value");
        try {
            assertThat(StoreConfig.fromSystem().get("test.setting")).hasValue("value");
        } finally {
            System.clearProperty("idem.test.setting");
        }
    }
}
