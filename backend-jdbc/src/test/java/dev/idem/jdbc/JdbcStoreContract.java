package dev.idem.jdbc;

import dev.idem.spi.IdempotencyStore;
import dev.idem.testkit.IdempotencyStoreContract;
import org.junit.jupiter.api.AfterAll;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The shared store contract on one database, in a table of its own. Tokens survive expiry
 * because an expired row is taken over by UPDATE; only a purge, which the contract does not run
 * between expiry and the next claim, restarts them.
 */
abstract class JdbcStoreContract extends IdempotencyStoreContract {

    private DataSource dataSource;
    private String table;

    /** Returns the database under test. */
    abstract DataSource dataSource();

    /**
     * Returns the dialect to set on the builder, or {@code null} to detect it from the database.
     * The table is always created with the DDL of the detected dialect.
     */
    JdbcDialect dialect() {
        return null;
    }

    @Override
    protected IdempotencyStore createStore() {
        dataSource = dataSource();
        table = TestDatabases.uniqueTable("idem_contract");
        JdbcIdempotencyStore store = JdbcIdempotencyStore.builder(dataSource).table(table).build();
        store.createTableIfMissing();
        if (dialect() == null) {
            return store;
        }
        return JdbcIdempotencyStore.builder(dataSource).table(table).dialect(dialect()).build();
    }

    @AfterAll
    void dropTable() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE " + table);
        }
    }
}
