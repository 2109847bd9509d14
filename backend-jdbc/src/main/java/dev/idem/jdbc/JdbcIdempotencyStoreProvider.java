package dev.idem.jdbc;

import dev.idem.spi.IdempotencyStore;
import dev.idem.spi.IdempotencyStoreProvider;
import dev.idem.spi.StoreConfig;

import java.time.Duration;
import java.util.Locale;

/**
 * Builds a {@link JdbcIdempotencyStore} with its own HikariCP pool from settings, so that adding
 * this module and setting a URL is enough. Each setting is read from the system property
 * {@code idem.NAME} or the environment variable {@code IDEM_NAME}:
 * <ul>
 *   <li>{@code jdbc.url} (required), such as {@code jdbc:postgresql://db:5432/app}</li>
 *   <li>{@code jdbc.username} and {@code jdbc.password}</li>
 *   <li>{@code jdbc.table}, {@value JdbcIdempotencyStore#DEFAULT_TABLE} by default</li>
 *   <li>{@code jdbc.dialect}: {@code postgresql}, {@code mariadb}, {@code mysql} or {@code h2}, detected by default</li>
 *   <li>{@code jdbc.query-timeout-ms}: the statement timeout in milliseconds, none by default</li>
 *   <li>{@code jdbc.create-table}: {@code true} to create the table when it is missing, {@code false} by default</li>
 * </ul>
 */
public final class JdbcIdempotencyStoreProvider implements IdempotencyStoreProvider {

    /** The backend name that {@code idem.backend} or {@code IDEM_BACKEND} selects. */
    public static final String NAME = "jdbc";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public IdempotencyStore create(StoreConfig config) {
        JdbcIdempotencyStore.Builder builder = JdbcIdempotencyStore.builder().jdbcUrl(config.require("jdbc.url"));
        config.get("jdbc.username").ifPresent(builder::username);
        config.get("jdbc.password").ifPresent(builder::password);
        config.get("jdbc.table").ifPresent(builder::table);
        config.get("jdbc.dialect").ifPresent(name -> builder.dialect(dialect(name)));
        config.get("jdbc.query-timeout-ms").ifPresent(value -> builder.queryTimeout(Duration.ofMillis(
                parseLong("jdbc.query-timeout-ms", value))));
        boolean createTable = config.get("jdbc.create-table").map(value -> parseBoolean("jdbc.create-table", value))
                .orElse(false);

        JdbcIdempotencyStore store = builder.build();
        if (createTable) {
            try {
                store.createTableIfMissing();
            } catch (RuntimeException e) {
                store.close();
                throw e;
            }
        }
        return store;
    }

    private static JdbcDialect dialect(String name) {
        for (JdbcDialect dialect : JdbcDialect.values()) {
            if (dialect.backendName().equals(name.toLowerCase(Locale.ROOT))) {
                return dialect;
            }
        }
        throw new IllegalArgumentException("Invalid setting jdbc.dialect: '" + name
                + "'; use postgresql, mariadb, mysql or h2, or leave it unset to detect the dialect");
    }

    private static long parseLong(String setting, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid setting " + setting + ": '" + value
                    + "' is not a whole number of milliseconds", e);
        }
    }

    private static boolean parseBoolean(String setting, String value) {
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException("Invalid setting " + setting + ": '" + value + "'; use true or false");
    }
}
