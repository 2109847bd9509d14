package dev.idem.jdbc;

import javax.sql.DataSource;

/**
 * The shared store contract with the MySQL dialect on the MariaDB test server. MySQL itself is
 * not tested, so this runs MySQL's read-then-write statements against a real server that accepts
 * them. The table comes from the MariaDB DDL, because MariaDB 10.11 lacks the collation
 * utf8mb4_0900_bin that the MySQL DDL names.
 */
class MySqlDialectContractTest extends JdbcStoreContract {

    @Override
    DataSource dataSource() {
        return TestDatabases.mariadb();
    }

    @Override
    JdbcDialect dialect() {
        return JdbcDialect.MYSQL;
    }
}
