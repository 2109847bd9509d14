package dev.idem.jdbc;

import javax.sql.DataSource;

/** The shared store contract on PostgreSQL. */
class PostgresStoreContractTest extends JdbcStoreContract {

    @Override
    DataSource dataSource() {
        return TestDatabases.postgres();
    }
}
