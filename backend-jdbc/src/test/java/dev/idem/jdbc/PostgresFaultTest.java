package dev.idem.jdbc;

import dev.idem.BackendException;
import dev.idem.spi.ClaimRequest;
import dev.idem.spi.ClaimResult;
import dev.idem.spi.IdempotencyRecord;
import dev.idem.spi.RecordStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Failures of the PostgreSQL server while an operation runs: its backend process killed, a
 * statement timeout. Each test holds a row lock from a second session so that the claim is
 * known to be waiting inside the server when the failure strikes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresFaultTest {

    private DataSource dataSource;
    private JdbcIdempotencyStore store;

    @BeforeAll
    void createStore() {
        dataSource = TestDatabases.postgres();
        store = JdbcIdempotencyStore.builder(dataSource).table(TestDatabases.uniqueTable("idem_fault")).build();
        store.createTableIfMissing();
    }

    @AfterAll
    void dropTable() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE " + store.table());
        }
        store.close();
    }

    @Test
    void unreachableDatabaseNamesRootCause() {
        // Port 1 on loopback has no listener, so every connection attempt is refused at once.
        JdbcIdempotencyStore.Builder unreachable = JdbcIdempotencyStore.builder()
                .jdbcUrl("jdbc:postgresql://127.0.0.1:1/test?user=postgres&password=secret")
                .connectionTimeout(Duration.ofSeconds(1));

        assertThatThrownBy(unreachable::build)
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("127.0.0.1:1")
                .hasMessageContaining("refused")
                .hasMessageNotContaining("secret");
    }

    @Test
    void killedClaimThrowsBackendException() throws Exception {
        String key = "killed-" + UUID.randomUUID();
        store.claim(new ClaimRequest(key, null, 0, 60_000, "first"));

        BackendException failure;
        try (Connection locker = lockRow(key)) {
            CompletableFuture<ClaimResult> claim = CompletableFuture.supplyAsync(
                    () -> store.claim(new ClaimRequest(key, null, 60_000, 60_000, "second")));
            int pid = awaitWaitingBackend();

            terminate(pid);
            failure = unwrap(claim);
            locker.rollback();
        }

        assertThat(failure).isNotNull();
        assertThat(failure.getMessage()).contains("57P01");
    }

    @Test
    void killedClaimLeavesRecordIntact() throws Exception {
        String key = "intact-" + UUID.randomUUID();
        store.claim(new ClaimRequest(key, null, 0, 60_000, "first"));

        try (Connection locker = lockRow(key)) {
            CompletableFuture<ClaimResult> claim = CompletableFuture.supplyAsync(
                    () -> store.claim(new ClaimRequest(key, null, 60_000, 60_000, "second")));
            terminate(awaitWaitingBackend());
            unwrap(claim);
            locker.rollback();
        }

        IdempotencyRecord record = store.get(key).orElseThrow();
        assertThat(record.fencingToken()).isEqualTo(1);
        assertThat(record.owner()).isEqualTo("first");
        assertThat(record.status()).isEqualTo(RecordStatus.IN_PROGRESS);
    }

    @Test
    void claimAfterKillSucceeds() throws Exception {
        String key = "after-" + UUID.randomUUID();
        store.claim(new ClaimRequest(key, null, 0, 60_000, "first"));
        try (Connection locker = lockRow(key)) {
            CompletableFuture<ClaimResult> claim = CompletableFuture.supplyAsync(
                    () -> store.claim(new ClaimRequest(key, null, 60_000, 60_000, "second")));
            terminate(awaitWaitingBackend());
            unwrap(claim);
            locker.rollback();
        }

        ClaimResult retry = store.claim(new ClaimRequest(key, null, 60_000, 60_000, "third"));

        assertThat(retry).isInstanceOf(ClaimResult.Acquired.class);
        assertThat(((ClaimResult.Acquired) retry).fencingToken()).isGreaterThan(1);
    }

    @Test
    void queryTimeoutCancelsClaim() throws Exception {
        String key = "timeout-" + UUID.randomUUID();
        store.claim(new ClaimRequest(key, null, 0, 60_000, "first"));

        BackendException failure;
        try (JdbcIdempotencyStore impatient = JdbcIdempotencyStore.builder(dataSource).table(store.table())
                .queryTimeout(Duration.ofSeconds(1)).build();
             Connection locker = lockRow(key)) {
            CompletableFuture<ClaimResult> claim = CompletableFuture.supplyAsync(
                    () -> impatient.claim(new ClaimRequest(key, null, 60_000, 60_000, "second")));
            failure = unwrap(claim);
            locker.rollback();
        }

        assertThat(failure).isNotNull();
        assertThat(failure.getMessage()).contains("57014");
        assertThat(store.get(key).orElseThrow().owner()).isEqualTo("first");
    }

    /** Opens a second session that holds the key's row lock until it rolls back. */
    private Connection lockRow(String key) throws SQLException {
        Connection connection = DriverManager.getConnection(TestDatabases.postgresUrl());
        connection.setAutoCommit(false);
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT 1 FROM " + store.table() + " WHERE idempotency_key = ? FOR UPDATE")) {
            statement.setString(1, key);
            statement.executeQuery().close();
        }
        return connection;
    }

    /** Waits until a session of the store blocks on a row lock of its table and returns its process id. */
    private int awaitWaitingBackend() {
        String sql = "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE ?"
                + " AND pid <> pg_backend_pid()";
        int[] pid = new int[1];
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setString(1, "%" + store.table() + "%");
                try (ResultSet rows = statement.executeQuery()) {
                    if (rows.next()) {
                        pid[0] = rows.getInt(1);
                        return true;
                    }
                    return false;
                }
            }
        });
        return pid[0];
    }

    private void terminate(int pid) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT pg_terminate_backend(?)")) {
            statement.setInt(1, pid);
            statement.executeQuery().close();
        }
    }

    private static BackendException unwrap(CompletableFuture<ClaimResult> claim) throws Exception {
        try {
            claim.get(30, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BackendException backend) {
                return backend;
            }
            throw e;
        }
    }
}
