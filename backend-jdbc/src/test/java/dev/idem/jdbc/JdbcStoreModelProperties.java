package dev.idem.jdbc;

import dev.idem.spi.IdempotencyStore;
import dev.idem.testkit.IdempotencyStoreModelProperties;

import javax.sql.DataSource;

/**
 * The model properties on one database. Every try uses keys under a fresh prefix, so all runs
 * share one table, which stays for the next run instead of piling up a table per run.
 */
abstract class JdbcStoreModelProperties extends IdempotencyStoreModelProperties {

    /** Returns the database under test. */
    abstract DataSource dataSource();

    @Override
    protected IdempotencyStore createStore() {
        JdbcIdempotencyStore store = JdbcIdempotencyStore.builder(dataSource()).table("idem_model_properties").build();
        store.createTableIfMissing();
        return store;
    }
}
