package dev.idem.jdbc;

import javax.sql.DataSource;

/** The shared store contract on an in-process H2 database. */
class H2StoreContractTest extends JdbcStoreContract {

    @Override
    DataSource dataSource() {
        return TestDatabases.h2();
    }
}
