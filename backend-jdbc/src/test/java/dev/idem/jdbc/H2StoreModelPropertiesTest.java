package dev.idem.jdbc;

import javax.sql.DataSource;

/** The model properties on H2, in process. */
class H2StoreModelPropertiesTest extends JdbcStoreModelProperties {

    @Override
    DataSource dataSource() {
        return TestDatabases.h2();
    }
}
