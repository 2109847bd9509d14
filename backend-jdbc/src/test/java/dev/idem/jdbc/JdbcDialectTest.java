package dev.idem.jdbc;

import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** The dialect comes from the metadata of a real connection to each database. */
class JdbcDialectTest {

    @Test
    void postgresDetected() throws SQLException {
        assertThat(detect(TestDatabases.postgres())).isEqualTo(JdbcDialect.POSTGRESQL);
    }

    @Test
    void mariadbDetected() throws SQLException {
        assertThat(detect(TestDatabases.mariadb())).isEqualTo(JdbcDialect.MARIADB);
    }

    @Test
    void h2Detected() throws SQLException {
        assertThat(detect(TestDatabases.h2())).isEqualTo(JdbcDialect.H2);
    }

    @Test
    void builderOwnsItsPool() {
        JdbcIdempotencyStore store = JdbcIdempotencyStore.builder().jdbcUrl(TestDatabases.postgresUrl())
                .maximumPoolSize(2).build();

        store.close();

        assertThat(((com.zaxxer.hikari.HikariDataSource) store.dataSource()).isClosed()).isTrue();
    }

    @Test
    void givenDataSourceStaysOpen() {
        com.zaxxer.hikari.HikariDataSource pool = (com.zaxxer.hikari.HikariDataSource) TestDatabases.h2();

        JdbcIdempotencyStore.builder(pool).build().close();

        assertThat(pool.isClosed()).isFalse();
    }

    private static JdbcDialect detect(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return JdbcDialect.detect(connection.getMetaData());
        }
    }
}
