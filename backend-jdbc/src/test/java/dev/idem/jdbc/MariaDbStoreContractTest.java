package dev.idem.jdbc;

import javax.sql.DataSource;

/** The shared store contract on MariaDB. */
class MariaDbStoreContractTest extends JdbcStoreContract {

    @Override
    DataSource dataSource() {
        return TestDatabases.mariadb();
    }
}
