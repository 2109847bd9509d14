package dev.idem.lambda;

import dev.idem.jdbc.JdbcIdempotencyStore;
import dev.idem.spi.IdempotencyStore;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Runs the sample events on PostgreSQL, at {@code IDEM_TEST_POSTGRES_URL} or
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}. The table is new for each run
 * and dropped at the end, so parallel runs never share records.
 */
class SampleEventsPostgresTest extends SampleEventsContract {

    private static final String URL_VARIABLE = "IDEM_TEST_POSTGRES_URL";
    private static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private static JdbcIdempotencyStore postgres;

    @BeforeAll
    static void openStore() {
        String configured = System.getenv(URL_VARIABLE);
        String url = configured == null || configured.isBlank() ? DEFAULT_URL : configured.trim();
        String table = "idem_lambda_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try {
            postgres = JdbcIdempotencyStore.builder().jdbcUrl(url).table(table).maximumPoolSize(2).build();
            postgres.createTableIfMissing();
        } catch (RuntimeException e) {
            throw new IllegalStateException("PostgreSQL is not usable at " + url + ": " + e.getMessage()
                    + ". Start the server or set " + URL_VARIABLE + " to its JDBC URL.", e);
        }
    }

    @AfterAll
    static void dropTable() throws SQLException {
        if (postgres == null) {
            return;
        }
        try (Connection connection = postgres.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS " + postgres.table());
        } finally {
            postgres.close();
        }
    }

    @Override
    IdempotencyStore store() {
        return postgres;
    }
}
