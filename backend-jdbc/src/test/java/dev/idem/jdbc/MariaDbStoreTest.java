package dev.idem.jdbc;

import javax.sql.DataSource;

/** The JDBC store's own tests on MariaDB. */
class MariaDbStoreTest extends JdbcStoreTest {

    @Override
    DataSource dataSource() {
        return TestDatabases.mariadb();
    }
}
