package dev.idem.jdbc;

import javax.sql.DataSource;

/** The model properties on MariaDB. */
class MariaDbStoreModelPropertiesTest extends JdbcStoreModelProperties {

    @Override
    DataSource dataSource() {
        return TestDatabases.mariadb();
    }
}
