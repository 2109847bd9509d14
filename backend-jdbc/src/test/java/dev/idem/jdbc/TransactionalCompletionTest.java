package dev.idem.jdbc;

import dev.idem.Execution;
import dev.idem.Idem;
import dev.idem.LeaseLostException;
import dev.idem.spi.ClaimRequest;
import dev.idem.spi.ClaimResult;
import dev.idem.spi.CompleteRequest;
import dev.idem.spi.CompleteResult;
import dev.idem.spi.IdempotencyRecord;
import dev.idem.spi.RecordStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * An action that inserts an order and the completion of its record share one PostgreSQL
 * transaction: both commit or neither does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransactionalCompletionTest {

    private DataSource dataSource;
    private String orders;
    private JdbcIdempotencyStore store;
    private Idem idem;
    private TransactionalIdempotency transactional;

    @BeforeAll
    void createTables() throws SQLException {
        dataSource = TestDatabases.postgres();
        orders = TestDatabases.uniqueTable("orders");
        store = JdbcIdempotencyStore.builder(dataSource).table(TestDatabases.uniqueTable("idem_tx")).build();
        store.createTableIfMissing();
        execute("CREATE TABLE " + orders + " (order_id text PRIMARY KEY, amount int NOT NULL)");
        idem = Idem.builder(store).namespace("orders").lease(Duration.ofSeconds(30)).build();
        transactional = TransactionalIdempotency.of(idem);
    }

    @AfterAll
    void dropTables() throws SQLException {
        execute("DROP TABLE " + orders);
        execute("DROP TABLE " + store.table());
        store.close();
    }

    @Test
    void commitStoresOrderAndRecord() throws SQLException {
        String orderId = UUID.randomUUID().toString();

        Execution<String> execution = transactional.execute(orderId, null, String.class,
                connection -> insertOrder(connection, orderId));

        assertThat(execution.isReplay()).isFalse();
        assertThat(orderCount(orderId)).isEqualTo(1);
        assertThat(idem.get(orderId).orElseThrow().status()).isEqualTo(RecordStatus.COMPLETED);
    }

    @Test
    void duplicateReplaysWithoutAction() throws SQLException {
        String orderId = UUID.randomUUID().toString();
        AtomicInteger runs = new AtomicInteger();
        transactional.execute(orderId, null, String.class, connection -> {
            runs.incrementAndGet();
            return insertOrder(connection, orderId);
        });

        Execution<String> duplicate = transactional.execute(orderId, null, String.class, connection -> {
            runs.incrementAndGet();
            return insertOrder(connection, orderId);
        });

        assertThat(duplicate.isReplay()).isTrue();
        assertThat(duplicate.value()).isEqualTo("order " + orderId);
        assertThat(runs).hasValue(1);
    }

    @Test
    void actionFailureRollsBackAndReleases() throws SQLException {
        String orderId = UUID.randomUUID().toString();

        assertThatThrownBy(() -> transactional.execute(orderId, null, String.class, connection -> {
            insertOrder(connection, orderId);
            throw new IllegalStateException("payment declined");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(orderCount(orderId)).isZero();
        assertThat(idem.get(orderId)).isEmpty();
    }

    @Test
    void retryAfterFailureRunsAction() throws SQLException {
        String orderId = UUID.randomUUID().toString();
        assertThatThrownBy(() -> transactional.execute(orderId, null, String.class, connection -> {
            insertOrder(connection, orderId);
            throw new IllegalStateException("payment declined");
        })).isInstanceOf(IllegalStateException.class);

        Execution<String> retry = transactional.execute(orderId, null, String.class,
                connection -> insertOrder(connection, orderId));

        assertThat(retry.isReplay()).isFalse();
        assertThat(orderCount(orderId)).isEqualTo(1);
    }

    @Test
    void lostLeaseRollsBackOrder() throws SQLException {
        Idem shortLease = Idem.builder(store).namespace("orders").lease(Duration.ofMillis(1)).build();
        TransactionalIdempotency helper = TransactionalIdempotency.of(shortLease);
        String orderId = UUID.randomUUID().toString();
        String storageKey = shortLease.storageKey(orderId);

        assertThatThrownBy(() -> helper.execute(orderId, null, String.class, connection -> {
            String result = insertOrder(connection, orderId);
            // Another worker takes the key over once the 1 ms lease is over.
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    store.claim(new ClaimRequest(storageKey, null, 60_000, 60_000, "other")) instanceof ClaimResult.Acquired);
            return result;
        })).isInstanceOf(LeaseLostException.class);

        assertThat(orderCount(orderId)).isZero();
        IdempotencyRecord record = store.get(storageKey).orElseThrow();
        assertThat(record.status()).isEqualTo(RecordStatus.IN_PROGRESS);
        assertThat(record.owner()).isEqualTo("other");
    }

    @Test
    void callerRollbackUndoesCompletion() throws SQLException {
        String key = "raw-" + UUID.randomUUID();
        store.claim(new ClaimRequest(key, null, 60_000, 60_000, "test"));

        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            insertOrder(connection, key);
            CompleteResult result = store.complete(connection, new CompleteRequest(key, 1, new byte[] {1}, 60_000));
            assertThat(result).isInstanceOf(CompleteResult.Stored.class);
            connection.rollback();
            connection.setAutoCommit(true);
        }

        assertThat(orderCount(key)).isZero();
        assertThat(store.get(key).orElseThrow().status()).isEqualTo(RecordStatus.IN_PROGRESS);
    }

    @Test
    void callerCommitKeepsCompletion() throws SQLException {
        String key = "raw-" + UUID.randomUUID();
        store.claim(new ClaimRequest(key, null, 60_000, 60_000, "test"));

        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            insertOrder(connection, key);
            store.complete(connection, new CompleteRequest(key, 1, new byte[] {1}, 60_000));
            connection.commit();
            connection.setAutoCommit(true);
        }

        assertThat(orderCount(key)).isEqualTo(1);
        assertThat(store.get(key).orElseThrow().status()).isEqualTo(RecordStatus.COMPLETED);
    }

    @Test
    void completionInTransactionUsesStatementTime() throws Exception {
        String key = "clock-" + UUID.randomUUID();
        ClaimResult.Acquired claimed = (ClaimResult.Acquired) store.claim(new ClaimRequest(key, null, 60_000, 60_000, "test"));

        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT 1");
            }
            long before = claimed.now();
            await().atMost(Duration.ofSeconds(5)).until(() -> store.get(key).isPresent()
                    && System.currentTimeMillis() > before + 50);
            CompleteResult.Stored stored = (CompleteResult.Stored) store.complete(connection,
                    new CompleteRequest(key, 1, new byte[] {1}, 60_000));
            connection.commit();
            connection.setAutoCommit(true);

            assertThat(stored.now()).isGreaterThan(before + 50);
        }
    }

    private String insertOrder(Connection connection, String orderId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO " + orders + " (order_id, amount) VALUES (?, 100)")) {
            statement.setString(1, orderId);
            statement.executeUpdate();
        }
        return "order " + orderId;
    }

    private int orderCount(String orderId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT COUNT(*) FROM " + orders + " WHERE order_id = ?")) {
            statement.setString(1, orderId);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
