package dev.idem.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.idem.spi.ClaimRequest;
import dev.idem.spi.ClaimResult;
import dev.idem.spi.CompleteRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the plans that PostgreSQL caches for the store's statements. A connection reuses one
 * generic plan after a few executions, and that plan is often made while the table is still
 * empty. A sequential scan chosen then would make every later claim read the whole table, so each
 * statement is planned here on an empty table with generic plans forced and must reach the rows
 * through the primary key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresPlanTest {

    private final DataSource dataSource = TestDatabases.postgres();
    private final String table = TestDatabases.uniqueTable("idem_plan");
    private final String busyTable = TestDatabases.uniqueTable("idem_plan_busy");

    @BeforeAll
    void createEmptyTable() {
        try (JdbcIdempotencyStore store = JdbcIdempotencyStore.builder(dataSource).table(table).build()) {
            store.createTableIfMissing();
        }
    }

    @AfterAll
    void dropTable() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS " + table);
            statement.execute("DROP TABLE IF EXISTS " + busyTable);
        }
    }

    Stream<Arguments> statements() {
        return Stream.of(
                Arguments.of("batch claim", PostgresOperations.claimSql(table, PostgresOperations.Shape.BATCH),
                        "'{plan-key}', '{NULL}', '{30000}', '{60000}', '{NULL}'"),
                Arguments.of("single claim", PostgresOperations.claimSql(table, PostgresOperations.Shape.SINGLE),
                        "'plan-key', NULL, 30000, 60000, NULL"),
                Arguments.of("batch complete", PostgresOperations.completeSql(table, PostgresOperations.Shape.BATCH),
                        "'{plan-key}', '{1}', '{\"\\\\x00\"}', '{60000}', '{plan-key}'"),
                Arguments.of("single complete", PostgresOperations.completeSql(table, PostgresOperations.Shape.SINGLE),
                        "'plan-key', 1, '\\x00', 60000, 'plan-key'"),
                Arguments.of("extend", PostgresOperations.extendSql(table),
                        "'plan-key', 1, 30000"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("statements")
    void emptyTablePlanUsesPrimaryKey(String operation, String sql, String arguments) throws SQLException {
        String plan;
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SET plan_cache_mode = force_generic_plan");
            try {
                statement.execute("PREPARE idem_plan_check AS " + numberedParameters(sql));
                try {
                    plan = explain(statement, "EXPLAIN (COSTS OFF) EXECUTE idem_plan_check(" + arguments + ")");
                } finally {
                    statement.execute("DEALLOCATE idem_plan_check");
                }
            } finally {
                statement.execute("RESET plan_cache_mode");
            }
        }

        assertThat(plan)
                .as("generic plan of the %s statement", operation)
                .doesNotContain("Seq Scan")
                .contains(table + "_pkey");
    }

    @Test
    void singleRequestsReuseGenericPlan() throws SQLException {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(TestDatabases.postgresUrl());
        config.setMaximumPoolSize(1);
        config.setPoolName("plan-test");

        try (HikariDataSource pool = new HikariDataSource(config);
             JdbcIdempotencyStore store = JdbcIdempotencyStore.builder(pool).table(busyTable).build()) {
            store.createTableIfMissing();
            for (int i = 0; i < 30; i++) {
                String key = "generic-" + i;
                ClaimResult.Acquired claimed = (ClaimResult.Acquired) store.claim(
                        new ClaimRequest(key, null, 60_000, 60_000, "test"));
                store.complete(new CompleteRequest(key, claimed.fencingToken(), new byte[] {1}, 60_000));
            }

            // The pool has one connection, so this reads the statements that the store prepared on it.
            try (Connection connection = pool.getConnection();
                 PreparedStatement statement = connection.prepareStatement(
                         "SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements"
                                 + " WHERE statement LIKE ?")) {
                statement.setString(1, "%" + busyTable + "%");
                try (ResultSet rows = statement.executeQuery()) {
                    int checked = 0;
                    while (rows.next()) {
                        String sql = rows.getString(1);
                        String operation = sql.contains("INSERT INTO") ? "claim" : "complete";
                        assertThat(rows.getLong(2)).as("generic plans of the %s statement", operation)
                                .isGreaterThanOrEqualTo(20);
                        assertThat(rows.getLong(3)).as("custom plans of the %s statement", operation)
                                .isLessThanOrEqualTo(5);
                        checked++;
                    }
                    assertThat(checked).as("prepared claim and complete statements").isEqualTo(2);
                }
            }
        }
    }

    /** Replaces each JDBC placeholder with PostgreSQL's numbered form, which PREPARE expects. */
    private static String numberedParameters(String sql) {
        StringBuilder numbered = new StringBuilder(sql.length() + 16);
        int next = 1;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '?') {
                numbered.append('$').append(next++);
            } else {
                numbered.append(c);
            }
        }
        return numbered.toString();
    }

    private static String explain(Statement statement, String sql) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                plan.append(rows.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }
}
