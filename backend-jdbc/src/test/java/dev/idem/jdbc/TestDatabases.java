package dev.idem.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The real databases the tests run against. Server addresses come from environment variables,
 * with defaults for servers on this machine. A missing server fails the test with a message
 * that names the variable; tests are never skipped.
 */
final class TestDatabases {

    static final String POSTGRES_VARIABLE = "IDEM_TEST_POSTGRES_URL";
    static final String MARIADB_VARIABLE = "IDEM_TEST_MARIADB_URL";

    private static final String POSTGRES_DEFAULT = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    private static final String MARIADB_DEFAULT = "jdbc:mariadb://127.0.0.1:3306/test?user=root";

    private static final Map<String, HikariDataSource> POOLS = new ConcurrentHashMap<>();

    private TestDatabases() {
    }

    /** Returns a pool on the PostgreSQL test server, shared by all test classes. */
    static DataSource postgres() {
        return pool(POSTGRES_VARIABLE, POSTGRES_DEFAULT, "PostgreSQL");
    }

    /** Returns a pool on the MariaDB test server, shared by all test classes. */
    static DataSource mariadb() {
        return pool(MARIADB_VARIABLE, MARIADB_DEFAULT, "MariaDB");
    }

    /**
     * Returns a pool on the MariaDB test server whose URL also carries the Connector/J
     * {@code parameters}, such as {@code useServerPrepStmts=true}, shared by all test classes.
     */
    static DataSource mariadb(String parameters) {
        String url = withParameters(url(MARIADB_VARIABLE, MARIADB_DEFAULT), parameters);
        return POOLS.computeIfAbsent(url, key -> open(key, MARIADB_VARIABLE, "MariaDB"));
    }

    /** Returns a pool on a fresh in-process H2 database that lives until the JVM exits. */
    static DataSource h2() {
        return pool("", "jdbc:h2:mem:idem_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1", "H2");
    }

    static String postgresUrl() {
        return url(POSTGRES_VARIABLE, POSTGRES_DEFAULT);
    }

    static String mariadbUrl() {
        return url(MARIADB_VARIABLE, MARIADB_DEFAULT);
    }

    /** Returns the MariaDB test server's URL with the Connector/J {@code parameters} appended. */
    static String mariadbUrl(String parameters) {
        return withParameters(mariadbUrl(), parameters);
    }

    private static String withParameters(String url, String parameters) {
        if (parameters.isEmpty()) {
            return url;
        }
        return url + (url.contains("?") ? "&" : "?") + parameters;
    }

    /** Returns a table name that no other test class or parallel run uses. */
    static String uniqueTable(String prefix) {
        return (prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10)).toLowerCase(Locale.ROOT);
    }

    private static String url(String variable, String fallback) {
        String value = variable.isEmpty() ? null : System.getenv(variable);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static DataSource pool(String variable, String fallback, String product) {
        String url = url(variable, fallback);
        return POOLS.computeIfAbsent(url, key -> open(key, variable, product));
    }

    private static HikariDataSource open(String url, String variable, String product) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setPoolName("test-" + product);
        config.setMaximumPoolSize(16);
        config.setConnectionTimeout(5_000);
        config.setInitializationFailTimeout(-1);
        HikariDataSource pool = new HikariDataSource(config);

        try (Connection connection = pool.getConnection()) {
            connection.isValid(5);
        } catch (SQLException e) {
            pool.close();
            throw new IllegalStateException(product + " is not reachable at " + url + ": " + e.getMessage()
                    + (variable.isEmpty() ? "" : ". Start the server or set the environment variable " + variable
                    + " to its JDBC URL."), e);
        }
        return pool;
    }
}
