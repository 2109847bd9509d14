package dev.idem.jdbc;

import dev.idem.IdempotencyStores;
import dev.idem.spi.ClaimRequest;
import dev.idem.spi.ClaimResult;
import dev.idem.spi.IdempotencyStore;
import dev.idem.spi.StoreConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Building the store from settings, through {@link java.util.ServiceLoader} discovery. */
class JdbcIdempotencyStoreProviderTest {

    private static final List<String> PROPERTIES = List.of("idem.backend", "idem.jdbc.url", "idem.jdbc.table",
            "idem.jdbc.create-table", "idem.jdbc.query-timeout-ms");

    @AfterEach
    void clearProperties() {
        PROPERTIES.forEach(System::clearProperty);
    }

    @Test
    void systemPropertiesBuildStore() throws SQLException {
        String table = TestDatabases.uniqueTable("idem_provider");
        System.setProperty("idem.backend", "jdbc");
        System.setProperty("idem.jdbc.url", TestDatabases.postgresUrl());
        System.setProperty("idem.jdbc.table", table);
        System.setProperty("idem.jdbc.create-table", "true");
        System.setProperty("idem.jdbc.query-timeout-ms", "5000");

        try (IdempotencyStore store = IdempotencyStores.fromEnvironment()) {
            assertThat(store).isInstanceOf(JdbcIdempotencyStore.class);
            assertThat(((JdbcIdempotencyStore) store).table()).isEqualTo(table);
            assertThat(store.claim(new ClaimRequest("provider-key", null, 1_000, 60_000, "test")))
                    .isInstanceOf(ClaimResult.Acquired.class);
        } finally {
            try (Connection connection = TestDatabases.postgres().getConnection();
                 Statement statement = connection.createStatement()) {
                statement.execute("DROP TABLE IF EXISTS " + table);
            }
        }
    }

    @Test
    void providerNamedJdbc() {
        assertThat(new JdbcIdempotencyStoreProvider().name()).isEqualTo("jdbc");
    }

    @Test
    void missingUrlNamesSetting() {
        assertThatThrownBy(() -> new JdbcIdempotencyStoreProvider().create(StoreConfig.of(Map.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("idem.jdbc.url")
                .hasMessageContaining("IDEM_JDBC_URL");
    }

    @Test
    void invalidTableRejected() {
        StoreConfig config = StoreConfig.of(Map.of("jdbc.url", TestDatabases.postgresUrl(),
                "jdbc.table", "records; DROP TABLE users"));

        assertThatThrownBy(() -> new JdbcIdempotencyStoreProvider().create(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Invalid table name");
    }

    @Test
    void invalidDialectRejected() {
        StoreConfig config = StoreConfig.of(Map.of("jdbc.url", TestDatabases.postgresUrl(), "jdbc.dialect", "oracle"));

        assertThatThrownBy(() -> new JdbcIdempotencyStoreProvider().create(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc.dialect");
    }
}
