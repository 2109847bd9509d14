package dev.idem.dynamodb;

import dev.idem.IdempotencyStores;
import dev.idem.spi.ClaimRequest;
import dev.idem.spi.ClaimResult;
import dev.idem.spi.IdempotencyStore;
import dev.idem.spi.IdempotencyStoreProvider;
import dev.idem.spi.StoreConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The ServiceLoader provider. The store it builds uses the SDK's default credentials chain,
 * which the build's test settings satisfy with the fake {@code aws.accessKeyId} and
 * {@code aws.secretAccessKey} system properties.
 */
class DynamoDbStoreProviderTest {

    @Test
    void serviceLoaderFindsProvider() {
        assertThat(ServiceLoader.load(IdempotencyStoreProvider.class).stream().map(ServiceLoader.Provider::type))
                .contains(DynamoDbStoreProvider.class);
    }

    @Test
    void settingsBuildWorkingStore() {
        String table = TestDynamoDb.createTable("provider", DynamoDbTableLayout.defaults());
        StoreConfig config = StoreConfig.of(Map.of(
                "backend", "dynamodb",
                "dynamodb.table", table,
                "dynamodb.region", "us-east-1",
                "dynamodb.endpoint", TestDynamoDb.endpoint().toString()));

        try (IdempotencyStore store = IdempotencyStores.fromConfig(config)) {
            ClaimResult result = store.claim(new ClaimRequest("provider-key", null, 60_000, 60_000, "provider-test"));

            assertThat(store).isInstanceOf(DynamoDbIdempotencyStore.class);
            assertThat(result).isInstanceOf(ClaimResult.Acquired.class);
        }
    }

    @Test
    void missingTableNamesSetting() {
        StoreConfig config = StoreConfig.of(Map.of("dynamodb.region", "us-east-1"));

        assertThatThrownBy(() -> new DynamoDbStoreProvider().create(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Missing setting dynamodb.table")
                .hasMessageContaining("IDEM_DYNAMODB_TABLE");
    }

    @Test
    void invalidEndpointRejected() {
        StoreConfig config = StoreConfig.of(Map.of("dynamodb.table", "t", "dynamodb.endpoint", "127.0.0.1:8000"));

        assertThatThrownBy(() -> new DynamoDbStoreProvider().create(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Invalid setting dynamodb.endpoint");
    }
}
