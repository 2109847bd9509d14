package dev.idem.jdbc;

import javax.sql.DataSource;

/** The JDBC store's own tests on an in-process H2 database. */
class H2StoreTest extends JdbcStoreTest {

    @Override
    DataSource dataSource() {
        return TestDatabases.h2();
    }
}
