package dev.idem.jdbc;

import javax.sql.DataSource;

/** The JDBC store's own tests on PostgreSQL. */
class PostgresStoreTest extends JdbcStoreTest {

    @Override
    DataSource dataSource() {
        return TestDatabases.postgres();
    }
}
