package dev.idem.jdbc;

import dev.idem.spi.ClaimRequest;
import dev.idem.spi.ClaimResult;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The JDBC store's own tests on PostgreSQL. */
class PostgresStoreTest extends JdbcStoreTest {

    private static final long MINUTE = 60_000;

    @Override
    DataSource dataSource() {
        return TestDatabases.postgres();
    }

    @Test
    void tokenParityMarksTakeover() {
        String key = key();
        store().claim(new ClaimRequest(key, null, 0, MINUTE, "first"));

        ClaimResult.Acquired takeover = (ClaimResult.Acquired) store().claim(new ClaimRequest(key, null, 0, 1, "second"));
        assertThat(takeover.fencingToken()).isEqualTo(3);
        assertThat(takeover.takeover()).isTrue();

        // The second claim's retention of 1 ms ends at once; the row stays until a purge.
        await().atMost(Duration.ofSeconds(5)).until(() -> store().get(key).isEmpty());
        ClaimResult.Acquired expired = (ClaimResult.Acquired) store().claim(
                new ClaimRequest(key, null, MINUTE, MINUTE, "third"));
        assertThat(expired.fencingToken()).isEqualTo(4);
        assertThat(expired.takeover()).isFalse();
    }
}
