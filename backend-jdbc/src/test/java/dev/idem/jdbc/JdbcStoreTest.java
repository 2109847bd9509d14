package dev.idem.jdbc;

import dev.idem.BackendException;
import dev.idem.CorruptRecordException;
import dev.idem.spi.ClaimRequest;
import dev.idem.spi.ClaimResult;
import dev.idem.spi.CompleteRequest;
import dev.idem.spi.CompleteResult;
import dev.idem.spi.IdempotencyRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Behaviour of the JDBC store that the shared contract suite does not reach: races between
 * connections, batches larger than one statement, purging, token continuity through release and
 * rows that no Idem record could have written. Each dialect runs it against its real server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JdbcStoreTest {

    private static final long LONG = 60_000;

    private DataSource dataSource;
    private String table;
    private JdbcIdempotencyStore store;

    /** The database under test. */
    abstract DataSource dataSource();

    @BeforeAll
    void createStore() {
        dataSource = dataSource();
        table = TestDatabases.uniqueTable("idem_store");
        store = JdbcIdempotencyStore.builder(dataSource).table(table).purgeBatchSize(10).build();
        store.createTableIfMissing();
    }

    @AfterAll
    void dropTable() throws SQLException {
        store.close();
        execute("DROP TABLE " + table);
    }

    @Test
    void firstClaimGetsTokenOne() {
        ClaimResult result = store.claim(claim(key(), "f", LONG));

        assertThat(result).isInstanceOf(ClaimResult.Acquired.class);
        assertThat(((ClaimResult.Acquired) result).fencingToken()).isEqualTo(1);
    }

    @Test
    void racingClaimsHaveOneWinner() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 10; round++) {
                String key = key();
                CountDownLatch start = new CountDownLatch(1);
                List<Future<ClaimResult>> futures = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    futures.add(pool.submit(() -> {
                        start.await();
                        return store.claim(claim(key, "f", LONG));
                    }));
                }
                start.countDown();

                int acquired = 0;
                List<Long> seenTokens = new ArrayList<>();
                for (Future<ClaimResult> future : futures) {
                    ClaimResult result = future.get(30, TimeUnit.SECONDS);
                    if (result instanceof ClaimResult.Acquired) {
                        acquired++;
                    } else {
                        seenTokens.add(((ClaimResult.InProgress) result).record().fencingToken());
                    }
                }
                assertThat(acquired).as("winners for %s", key).isEqualTo(1);
                assertThat(seenTokens).as("tokens the losers saw").containsOnly(1L);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void racingTakeoversHaveOneWinner() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 10; round++) {
                String key = key();
                store.claim(claim(key, "f", 0));
                CountDownLatch start = new CountDownLatch(1);
                List<Future<ClaimResult>> futures = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    futures.add(pool.submit(() -> {
                        start.await();
                        return store.claim(claim(key, "f", LONG));
                    }));
                }
                start.countDown();

                List<ClaimResult.Acquired> winners = new ArrayList<>();
                for (Future<ClaimResult> future : futures) {
                    if (future.get(30, TimeUnit.SECONDS) instanceof ClaimResult.Acquired acquired) {
                        winners.add(acquired);
                    }
                }
                assertThat(winners).as("winners for %s", key).hasSize(1);
                // Tokens only have to grow: PostgreSQL gives a takeover the next odd number.
                assertThat(winners.get(0).fencingToken()).isGreaterThan(1);
                assertThat(winners.get(0).takeover()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void repeatedKeySeesFirstClaim() {
        String key = key();

        List<ClaimResult> results = store.claimAll(List.of(claim(key, "f", LONG), claim(key, "f", LONG)));

        assertThat(results.get(0)).isInstanceOf(ClaimResult.Acquired.class);
        assertThat(results.get(1)).isInstanceOf(ClaimResult.InProgress.class);
        assertThat(((ClaimResult.InProgress) results.get(1)).record().fencingToken()).isEqualTo(1);
    }

    @Test
    void repeatedKeyTakesOverZeroLease() {
        String key = key();

        List<ClaimResult> results = store.claimAll(List.of(claim(key, "f", 0), claim(key, "f", LONG)));

        ClaimResult.Acquired second = (ClaimResult.Acquired) results.get(1);
        assertThat(second.fencingToken()).isGreaterThan(1);
        assertThat(second.takeover()).isTrue();
    }

    @Test
    void repeatedKeyWithOtherFingerprintWaits() {
        String key = key();
        store.claim(claim(key, "a", 0));

        List<ClaimResult> results = store.claimAll(List.of(claim(key, "b", LONG), claim(key, "a", LONG)));

        assertThat(results.get(0)).isInstanceOf(ClaimResult.InProgress.class);
        assertThat(results.get(1)).isInstanceOf(ClaimResult.Acquired.class);
    }

    @Test
    void batchLargerThanStatement() {
        List<ClaimRequest> requests = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            requests.add(claim("batch-" + UUID.randomUUID(), null, LONG));
        }
        requests.add(requests.get(17));

        List<ClaimResult> results = store.claimAll(requests);

        assertThat(results.subList(0, 2_500)).allMatch(result -> result instanceof ClaimResult.Acquired);
        assertThat(results.get(2_500)).isInstanceOf(ClaimResult.InProgress.class);
    }

    @Test
    void completeAllKeepsRequestOrder() {
        String first = key();
        String second = key();
        store.claimAll(List.of(claim(first, null, LONG), claim(second, null, LONG)));

        List<CompleteResult> results = store.completeAll(List.of(
                complete(second, 7, "stale"), complete(first, 1, "one"), complete(second, 1, "two")));

        assertThat(results.get(0)).isInstanceOf(CompleteResult.Rejected.class);
        assertThat(results.get(1)).isInstanceOf(CompleteResult.Stored.class);
        assertThat(results.get(2)).isInstanceOf(CompleteResult.Stored.class);
        assertThat(store.get(second).orElseThrow().result()).isEqualTo(bytes("two"));
    }

    @Test
    void repeatedCompletionRejected() {
        String key = key();
        store.claim(claim(key, null, LONG));

        List<CompleteResult> results = store.completeAll(List.of(complete(key, 1, "a"), complete(key, 1, "b")));

        assertThat(results.get(0)).isInstanceOf(CompleteResult.Stored.class);
        assertThat(results.get(1)).isInstanceOf(CompleteResult.Rejected.class);
        assertThat(((CompleteResult.Rejected) results.get(1)).current().result()).isEqualTo(bytes("a"));
    }

    @Test
    void releaseKeepsTokenSequence() {
        String key = key();
        store.claim(claim(key, null, LONG));
        store.release(key, 1);

        ClaimResult.Acquired again = (ClaimResult.Acquired) store.claim(claim(key, null, LONG));

        assertThat(again.fencingToken()).isEqualTo(2);
        assertThat(again.takeover()).isFalse();
    }

    @Test
    void releasedRecordIsAbsent() {
        String key = key();
        store.claim(claim(key, null, LONG));

        store.release(key, 1);

        assertThat(store.get(key)).isEmpty();
    }

    @Test
    void expiredRecordClaimedWithoutTakeover() {
        String key = key();
        store.claim(new ClaimRequest(key, null, 0, 1, "test"));
        await().atMost(java.time.Duration.ofSeconds(5)).until(() -> store.get(key).isEmpty());

        ClaimResult.Acquired again = (ClaimResult.Acquired) store.claim(claim(key, null, LONG));

        assertThat(again.fencingToken()).isEqualTo(2);
        assertThat(again.takeover()).isFalse();
    }

    @Test
    void keysDifferingInCaseAndSpaces() {
        String base = key();

        List<ClaimResult> results = store.claimAll(List.of(
                claim(base + "-k", null, LONG), claim(base + "-K", null, LONG), claim(base + "-k ", null, LONG)));

        assertThat(results).allMatch(result -> result instanceof ClaimResult.Acquired);
    }

    @Test
    void largeResultReadBack() {
        String key = key();
        byte[] result = new byte[1024 * 1024];
        new Random(42).nextBytes(result);
        store.claim(claim(key, null, LONG));

        store.complete(new CompleteRequest(key, 1, result, LONG));

        assertThat(store.get(key).orElseThrow().result()).isEqualTo(result);
    }

    @Test
    void timesComeFromServer() {
        ClaimResult.Acquired acquired = (ClaimResult.Acquired) store.claim(claim(key(), null, 5_000));

        assertThat(acquired.leaseExpiresAt() - acquired.now()).isEqualTo(5_000);
    }

    @Test
    void unknownStatusIsCorrupt() throws SQLException {
        String key = key();
        insertRaw(key, "BOGUS", 1, null);

        assertThatThrownBy(() -> store.get(key)).isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("BOGUS");
    }

    @Test
    void completedWithoutResultIsCorrupt() throws SQLException {
        String key = key();
        insertRaw(key, "COMPLETED", 1, null);

        assertThatThrownBy(() -> store.claim(claim(key, null, LONG))).isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("result");
    }

    @Test
    void purgeDeletesOnlyExpiredInBatches() throws SQLException {
        String prefix = "purge-" + UUID.randomUUID() + "-";
        List<ClaimRequest> expiring = new ArrayList<>();
        List<ClaimRequest> live = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            expiring.add(new ClaimRequest(prefix + "old-" + i, null, 0, 1, "test"));
        }
        for (int i = 0; i < 5; i++) {
            live.add(claim(prefix + "live-" + i, null, LONG));
        }
        store.claimAll(expiring);
        store.claimAll(live);
        await().atMost(java.time.Duration.ofSeconds(5)).until(() -> store.get(prefix + "old-24").isEmpty());

        int purged = purgeAll();

        assertThat(purged).isGreaterThanOrEqualTo(25);
        assertThat(countRows(prefix + "old-%")).isZero();
        assertThat(countRows(prefix + "live-%")).isEqualTo(5);
    }

    @Test
    void purgeHonoursLimit() {
        String prefix = "limit-" + UUID.randomUUID() + "-";
        List<ClaimRequest> expiring = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            expiring.add(new ClaimRequest(prefix + i, null, 0, 1, "test"));
        }
        store.claimAll(expiring);
        await().atMost(java.time.Duration.ofSeconds(5)).until(() -> store.get(prefix + "14").isEmpty());

        int purged = store.purgeExpired(12);

        assertThat(purged).isEqualTo(12);
    }

    @Test
    void purgeKeepsConcurrentClaims() throws Exception {
        String prefix = "busy-" + UUID.randomUUID() + "-";
        List<ClaimRequest> expiring = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            expiring.add(new ClaimRequest(prefix + "old-" + i, null, 0, 1, "test"));
        }
        store.claimAll(expiring);

        AtomicBoolean running = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> claimed = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> claimers = new ArrayList<>();
            for (int thread = 0; thread < 2; thread++) {
                int offset = thread;
                claimers.add(pool.submit((Callable<Void>) () -> {
                    // Half the claims hit expired rows that the purge is deleting at the same time.
                    for (int i = offset; running.get() && i < 200; i += 2) {
                        String key = i % 2 == 0 ? prefix + "old-" + i : prefix + "new-" + i;
                        if (store.claim(claim(key, null, LONG)) instanceof ClaimResult.Acquired) {
                            claimed.add(key);
                        }
                    }
                    return null;
                }));
            }
            Future<Integer> purge = pool.submit(this::purgeAll);

            purge.get(60, TimeUnit.SECONDS);
            running.set(false);
            for (Future<?> claimer : claimers) {
                claimer.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(claimed).isNotEmpty();
        for (String key : claimed) {
            assertThat(store.get(key)).as("record of %s after purge", key).isPresent();
        }
    }

    @Test
    void missingTableNamesTable() {
        String missing = TestDatabases.uniqueTable("idem_missing");
        try (JdbcIdempotencyStore absent = JdbcIdempotencyStore.builder(dataSource).table(missing).build()) {
            assertThatThrownBy(() -> absent.claim(claim(key(), null, LONG)))
                    .isInstanceOf(BackendException.class)
                    .hasMessageContaining(missing)
                    .hasMessageContaining("createTableIfMissing()")
                    .hasMessageContaining("CREATE TABLE");
        }
    }

    @Test
    void createTableIsIdempotent() {
        store.createTableIfMissing();

        assertThat(store.claim(claim(key(), null, LONG))).isInstanceOf(ClaimResult.Acquired.class);
    }

    @Test
    void storedRecordHasEveryField() {
        String key = key();
        ClaimResult.Acquired acquired = (ClaimResult.Acquired) store.claim(new ClaimRequest(key, "fp", 1_000, LONG, "worker-1"));
        CompleteResult.Stored stored = (CompleteResult.Stored) store.complete(new CompleteRequest(key, 1, bytes("ok"), 90_000));

        IdempotencyRecord record = store.get(key).orElseThrow();

        assertThat(record.fingerprint()).isEqualTo("fp");
        assertThat(record.owner()).isEqualTo("worker-1");
        assertThat(record.createdAt()).isEqualTo(acquired.now());
        assertThat(record.completedAt()).isEqualTo(stored.now());
        assertThat(record.expiresAt()).isEqualTo(stored.now() + 90_000);
        assertThat(record.leaseExpiresAt()).isZero();
    }

    // ------------------------------------------------------------ helpers

    JdbcIdempotencyStore store() {
        return store;
    }

    String table() {
        return table;
    }

    static String key() {
        return "key-" + UUID.randomUUID();
    }

    static ClaimRequest claim(String key, String fingerprint, long leaseMillis) {
        return new ClaimRequest(key, fingerprint, leaseMillis, LONG, "test");
    }

    static CompleteRequest complete(String key, long token, String result) {
        return new CompleteRequest(key, token, bytes(result), LONG);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private int purgeAll() {
        int total = 0;
        int purged;
        do {
            purged = store.purgeExpired(1_000);
            total += purged;
        } while (purged > 0);
        return total;
    }

    private int countRows(String keyPattern) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT COUNT(*) FROM " + table + " WHERE idempotency_key LIKE ?")) {
            statement.setString(1, keyPattern);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private void insertRaw(String key, String status, long token, byte[] result) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("INSERT INTO " + table
                     + " (idempotency_key, status, fencing_token, lease_expires_at, expires_at, fingerprint, result,"
                     + " created_at, completed_at, owner) VALUES (?, ?, ?, 0, ?, NULL, ?, 0, 0, NULL)")) {
            statement.setString(1, key);
            statement.setString(2, status);
            statement.setLong(3, token);
            statement.setLong(4, Long.MAX_VALUE / 2);
            statement.setBytes(5, result);
            statement.executeUpdate();
        }
    }

    void execute(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
