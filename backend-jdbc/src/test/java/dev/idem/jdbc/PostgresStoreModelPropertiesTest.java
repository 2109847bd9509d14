package dev.idem.jdbc;

import javax.sql.DataSource;

/** The model properties on Postgres. */
class PostgresStoreModelPropertiesTest extends JdbcStoreModelProperties {

    @Override
    DataSource dataSource() {
        return TestDatabases.postgres();
    }
}
