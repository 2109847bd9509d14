package dev.idem.bench.cli;

import dev.idem.bench.LocalDynalite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs {@code idem bench} briefly against the test servers: Redis at {@code IDEM_TEST_REDIS_URL}
 * and PostgreSQL at {@code IDEM_TEST_POSTGRES_URL}, by default on 127.0.0.1, and a dynalite that
 * the test starts on a loopback port.
 */
class BenchServersTest {

    @TempDir
    Path directory;

    @Test
    void redisRunsWithoutErrors() throws Exception {
        List<String> rows = bench(url("IDEM_TEST_REDIS_URL", "redis://127.0.0.1:6379"), "redis.csv");

        assertThat(rows).hasSize(2);
        assertThat(column(rows, "backend")).isEqualTo("redis");
        assertThat(Long.parseLong(column(rows, "operations"))).isPositive();
        assertThat(column(rows, "errors")).isEqualTo("0");
    }

    @Test
    void postgresRunsWithoutErrors() throws Exception {
        List<String> rows = bench(url("IDEM_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"),
                "postgresql.csv");

        assertThat(rows).hasSize(2);
        assertThat(column(rows, "backend")).isEqualTo("postgresql");
        assertThat(Long.parseLong(column(rows, "operations"))).isPositive();
        assertThat(column(rows, "errors")).isEqualTo("0");
        assertThat(column(rows, "pool_size")).isEqualTo("2");
    }

    @Test
    void benchDefaultsToOwnTable() {
        String url = url("IDEM_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

        String stdout = BenchCommandTest.captureStdout(() -> assertThat(IdemCli.run("bench", "--url", url,
                "--duration", "1s", "--warmup", "0s", "--threads", "1", "--retention", "1m")).isZero());

        assertThat(stdout).contains("records: table " + BenchCommand.DEFAULT_TABLE + " at ");
    }

    @Test
    void dynamoDbReportsCapacity() throws Exception {
        try (LocalDynalite dynalite = LocalDynalite.start()) {
            List<String> rows = bench(dynalite.endpoint(), "dynamodb.csv");

            assertThat(column(rows, "backend")).isEqualTo("dynamodb");
            assertThat(column(rows, "errors")).isEqualTo("0");
            assertThat(Double.parseDouble(column(rows, "write_units_per_op"))).isPositive();
        }
    }

    private List<String> bench(String url, String fileName) throws Exception {
        Path csv = directory.resolve(fileName);
        int exitCode = IdemCli.run("bench", "--url", url, "--table", "idem_bench_test", "--duration", "1s",
                "--warmup", "0s", "--threads", "2", "--retention", "1m", "--output", csv.toString());
        assertThat(exitCode).as("exit code for " + url).isZero();
        return Files.readAllLines(csv);
    }

    private static String column(List<String> rows, String name) {
        return rows.get(1).split(",", -1)[ReportWriter.COLUMNS.indexOf(name)];
    }

    private static String url(String variable, String fallback) {
        String value = System.getenv(variable);
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
