package dev.idem.jdbc;

import dev.idem.spi.ClaimRequest;
import dev.idem.spi.ClaimResult;
import dev.idem.spi.CompleteRequest;
import dev.idem.spi.CompleteResult;
import dev.idem.spi.ExtendResult;
import dev.idem.spi.IdempotencyRecord;
import dev.idem.spi.RecordStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MariaDB's one-statement claims and completions, seen from outside: the outcome of each case and
 * the number of statements that the server counted for it.
 *
 * <p>The store runs on one physical connection, and the test reads that session's
 * {@code Questions} status counter before and after each operation, so the difference is the
 * store's statements exactly. Each statement without a JDBC batch is one request and one
 * response, so with client-side prepared statements (Connector/J's default) a statement is one
 * round trip. The connection also carries the session state, such as the last insert id, from
 * one operation to the next, as a pooled connection does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MariaDbOneTripTest {

    private static final long LONG = 60_000;
    private static final long FAR_FUTURE = Long.MAX_VALUE / 2;

    private Connection connection;
    private String table;
    private JdbcIdempotencyStore store;

    /** Returns the Connector/J URL parameters of this variant, appended to the test server's URL, or "". */
    abstract String urlParameters();

    /** Returns an SQL statement that prepares the counted session, or {@code null} for none. */
    String sessionSetup() {
        return null;
    }

    @BeforeAll
    void openStore() throws SQLException {
        // Opening the shared pool first fails with a message that names the URL variable when the server is down.
        TestDatabases.mariadb();
        connection = DriverManager.getConnection(TestDatabases.mariadbUrl(urlParameters()));
        if (sessionSetup() != null) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sessionSetup());
            }
        }
        table = TestDatabases.uniqueTable("idem_one_trip");
        store = JdbcIdempotencyStore.builder(new SingleConnectionDataSource(connection)).table(table).build();
        store.createTableIfMissing();
    }

    @AfterAll
    void dropTable() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE " + table);
        }
        connection.close();
    }

    @Test
    void storeUsesMariaDbDialect() {
        assertThat(store.dialect()).isEqualTo(JdbcDialect.MARIADB);
    }

    @Test
    void counterSeesOnlyStoreStatements() {
        assertThat(counted(() -> null).statements()).as("statements of no operation").isZero();
        assertThat(counted(() -> store.get(key())).statements()).as("statements of one get").isEqualTo(1);
    }

    // ------------------------------------------------------------ claims

    @Test
    void freshClaimAcquiresInOneStatement() {
        String key = key();

        Counted<ClaimResult> claim = counted(() -> store.claim(new ClaimRequest(key, "fp", 5_000, LONG, "worker-1")));

        assertThat(claim.statements()).isEqualTo(1);
        ClaimResult.Acquired acquired = (ClaimResult.Acquired) claim.value();
        assertThat(acquired.fencingToken()).isEqualTo(1);
        assertThat(acquired.takeover()).isFalse();
        assertThat(acquired.leaseExpiresAt() - acquired.now()).isEqualTo(5_000);
        IdempotencyRecord record = store.get(key).orElseThrow();
        assertThat(record.status()).isEqualTo(RecordStatus.IN_PROGRESS);
        assertThat(record.fencingToken()).isEqualTo(1);
        assertThat(record.leaseExpiresAt()).isEqualTo(acquired.leaseExpiresAt());
        assertThat(record.expiresAt()).isEqualTo(acquired.now() + LONG);
        assertThat(record.createdAt()).isEqualTo(acquired.now());
        assertThat(record.completedAt()).isZero();
        assertThat(record.fingerprint()).isEqualTo("fp");
        assertThat(record.owner()).isEqualTo("worker-1");
    }

    @Test
    void retentionShorterThanLeaseKeepsLease() {
        String key = key();

        ClaimResult.Acquired acquired = (ClaimResult.Acquired) store.claim(new ClaimRequest(key, null, 9_000, 2_000, "w"));

        assertThat(store.get(key).orElseThrow().expiresAt()).isEqualTo(acquired.now() + 9_000);
    }

    @Test
    void duplicateReturnsRecordInOneStatement() {
        String key = key();
        store.claim(new ClaimRequest(key, "fp", LONG, LONG, "first"));
        IdempotencyRecord before = store.get(key).orElseThrow();

        Counted<ClaimResult> claim = counted(() -> store.claim(new ClaimRequest(key, "fp", LONG, LONG, "second")));

        assertThat(claim.statements()).isEqualTo(1);
        ClaimResult.InProgress inProgress = (ClaimResult.InProgress) claim.value();
        assertThat(inProgress.record()).isEqualTo(before);
        assertThat(inProgress.now()).isGreaterThanOrEqualTo(before.createdAt());
        assertThat(store.get(key).orElseThrow()).isEqualTo(before);
    }

    @Test
    void duplicateOfCompletedReplaysInOneStatement() {
        String key = key();
        store.claim(claim(key, "fp", LONG));
        store.complete(new CompleteRequest(key, 1, bytes("done"), LONG));

        Counted<ClaimResult> claim = counted(() -> store.claim(claim(key, "fp", LONG)));

        assertThat(claim.statements()).isEqualTo(1);
        ClaimResult.Completed completed = (ClaimResult.Completed) claim.value();
        assertThat(completed.record().result()).isEqualTo(bytes("done"));
        assertThat(completed.record().fencingToken()).isEqualTo(1);
    }

    @Test
    void expiredRowContinuesToken() throws SQLException {
        String completedKey = key();
        String inProgressKey = key();
        insertRow(completedKey, "COMPLETED", 4, 0, 1, "old", bytes("old result"));
        insertRow(inProgressKey, "IN_PROGRESS", 6, 1, 1, "old", null);

        Counted<ClaimResult> claim = counted(() -> store.claim(claim(completedKey, null, LONG)));
        ClaimResult.Acquired second = (ClaimResult.Acquired) store.claim(claim(inProgressKey, null, LONG));

        assertThat(claim.statements()).isEqualTo(1);
        ClaimResult.Acquired first = (ClaimResult.Acquired) claim.value();
        assertThat(first.fencingToken()).isEqualTo(5);
        assertThat(first.takeover()).as("claim of an expired record is no takeover").isFalse();
        assertThat(second.fencingToken()).isEqualTo(7);
        assertThat(second.takeover()).as("claim of an expired record whose lease is over is no takeover").isFalse();
        IdempotencyRecord record = store.get(completedKey).orElseThrow();
        assertThat(record.status()).isEqualTo(RecordStatus.IN_PROGRESS);
        assertThat(record.result()).isNull();
        assertThat(record.completedAt()).isZero();
        assertThat(record.createdAt()).isEqualTo(first.now());
        assertThat(record.fingerprint()).as("an expired record's fingerprint is not kept").isNull();
        assertThat(resultColumn(completedKey)).as("result column after the claim").isNull();
    }

    @Test
    void takeoverWithoutFingerprintKeepsStored() {
        String key = key();
        store.claim(new ClaimRequest(key, "fp", 0, LONG, "first"));

        Counted<ClaimResult> claim = counted(() -> store.claim(new ClaimRequest(key, null, LONG, LONG, "second")));

        assertThat(claim.statements()).isEqualTo(1);
        ClaimResult.Acquired acquired = (ClaimResult.Acquired) claim.value();
        assertThat(acquired.fencingToken()).isEqualTo(2);
        assertThat(acquired.takeover()).isTrue();
        IdempotencyRecord record = store.get(key).orElseThrow();
        assertThat(record.fingerprint()).isEqualTo("fp");
        assertThat(record.owner()).isEqualTo("second");
        assertThat(record.fencingToken()).isEqualTo(2);
        assertThat(record.leaseExpiresAt()).isEqualTo(acquired.leaseExpiresAt());
    }

    @Test
    void takeoverWithMatchingFingerprint() {
        String key = key();
        store.claim(claim(key, "fp", 0));

        ClaimResult.Acquired acquired = (ClaimResult.Acquired) store.claim(claim(key, "fp", LONG));

        assertThat(acquired.fencingToken()).isEqualTo(2);
        assertThat(acquired.takeover()).isTrue();
        assertThat(store.get(key).orElseThrow().fingerprint()).isEqualTo("fp");
    }

    @Test
    void takeoverStoresRequestFingerprint() {
        String key = key();
        store.claim(claim(key, null, 0));

        ClaimResult.Acquired acquired = (ClaimResult.Acquired) store.claim(claim(key, "new", LONG));

        assertThat(acquired.takeover()).isTrue();
        assertThat(store.get(key).orElseThrow().fingerprint()).isEqualTo("new");
    }

    @Test
    void fingerprintMismatchLeavesRecord() {
        String key = key();
        store.claim(claim(key, "a", 0));
        IdempotencyRecord before = store.get(key).orElseThrow();

        Counted<ClaimResult> claim = counted(() -> store.claim(claim(key, "b", LONG)));

        assertThat(claim.statements()).isEqualTo(1);
        ClaimResult.InProgress inProgress = (ClaimResult.InProgress) claim.value();
        assertThat(inProgress.record()).isEqualTo(before);
        assertThat(store.get(key).orElseThrow()).isEqualTo(before);
    }

    @Test
    void batchMixesEveryCaseInOneStatement() throws SQLException {
        String fresh = key();
        String live = key();
        String completed = key();
        String expired = key();
        String takeover = key();
        String takeoverWithoutFingerprint = key();
        String mismatch = key();
        store.claim(new ClaimRequest(live, "fp", LONG, LONG, "holder"));
        store.claim(claim(completed, "fp", LONG));
        store.complete(new CompleteRequest(completed, 1, bytes("replay"), LONG));
        insertRow(expired, "IN_PROGRESS", 7, 1, 1, "fp", null);
        store.claim(claim(takeover, "fp", 0));
        store.claim(claim(takeoverWithoutFingerprint, "fp", 0));
        store.claim(claim(mismatch, "fp", 0));
        Map<String, IdempotencyRecord> before = new HashMap<>();
        for (String key : List.of(live, completed, mismatch)) {
            before.put(key, store.get(key).orElseThrow());
        }

        // Keys in descending order, so that results are mapped back from the statement's ascending order.
        List<ClaimRequest> requests = new ArrayList<>(List.of(
                claim(fresh, "fp", LONG), claim(live, "fp", LONG), claim(completed, "fp", LONG),
                claim(expired, null, LONG), claim(takeover, "fp", LONG), claim(takeoverWithoutFingerprint, null, LONG),
                claim(mismatch, "other", LONG)));
        requests.sort((a, b) -> b.key().compareTo(a.key()));
        Counted<List<ClaimResult>> batch = counted(() -> store.claimAll(requests));

        assertThat(batch.statements()).isEqualTo(1);
        Map<String, ClaimResult> results = new HashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            results.put(requests.get(i).key(), batch.value().get(i));
        }
        assertThat(acquired(results.get(fresh)).fencingToken()).isEqualTo(1);
        assertThat(acquired(results.get(fresh)).takeover()).isFalse();
        assertThat(((ClaimResult.InProgress) results.get(live)).record()).isEqualTo(before.get(live));
        assertThat(((ClaimResult.Completed) results.get(completed)).record()).isEqualTo(before.get(completed));
        assertThat(acquired(results.get(expired)).fencingToken()).isEqualTo(8);
        assertThat(acquired(results.get(expired)).takeover()).isFalse();
        assertThat(acquired(results.get(takeover)).fencingToken()).isEqualTo(2);
        assertThat(acquired(results.get(takeover)).takeover()).isTrue();
        assertThat(acquired(results.get(takeoverWithoutFingerprint)).takeover()).isTrue();
        assertThat(((ClaimResult.InProgress) results.get(mismatch)).record()).isEqualTo(before.get(mismatch));
        assertThat(store.get(expired).orElseThrow().fingerprint()).isNull();
        assertThat(store.get(takeoverWithoutFingerprint).orElseThrow().fingerprint()).isEqualTo("fp");
        assertThat(store.get(mismatch).orElseThrow()).isEqualTo(before.get(mismatch));
        assertThat(store.get(live).orElseThrow()).isEqualTo(before.get(live));
    }

    @Test
    void statementHoldsThousandKeys() {
        List<ClaimRequest> requests = new ArrayList<>();
        for (int i = 0; i < 1_500; i++) {
            requests.add(claim(key(), null, LONG));
        }

        Counted<List<ClaimResult>> first = counted(() -> store.claimAll(requests));
        Counted<List<ClaimResult>> again = counted(() -> store.claimAll(requests));

        assertThat(first.statements()).isEqualTo(2);
        assertThat(first.value()).allMatch(result -> result instanceof ClaimResult.Acquired);
        assertThat(again.statements()).isEqualTo(2);
        assertThat(again.value()).allMatch(result -> result instanceof ClaimResult.InProgress);
    }

    // ------------------------------------------------------------ completions and extensions

    @Test
    void storedCompletionTakesOneStatement() {
        String key = key();
        store.claim(claim(key, null, LONG));

        Counted<CompleteResult> complete = counted(() -> store.complete(new CompleteRequest(key, 1, bytes("ok"), 90_000)));

        assertThat(complete.statements()).isEqualTo(1);
        CompleteResult.Stored stored = (CompleteResult.Stored) complete.value();
        assertThat(stored.expiresAt() - stored.now()).isEqualTo(90_000);
        IdempotencyRecord record = store.get(key).orElseThrow();
        assertThat(record.status()).isEqualTo(RecordStatus.COMPLETED);
        assertThat(record.completedAt()).isEqualTo(stored.now());
        assertThat(record.expiresAt()).isEqualTo(stored.expiresAt());
        assertThat(record.leaseExpiresAt()).isZero();
        assertThat(record.result()).isEqualTo(bytes("ok"));
    }

    @Test
    void largeResultStoredInOneStatement() {
        String key = key();
        byte[] result = new byte[1024 * 1024];
        new Random(7).nextBytes(result);
        store.claim(claim(key, null, LONG));

        Counted<CompleteResult> complete = counted(() -> store.complete(new CompleteRequest(key, 1, result, LONG)));

        assertThat(complete.statements()).isEqualTo(1);
        assertThat(complete.value()).isInstanceOf(CompleteResult.Stored.class);
        assertThat(store.get(key).orElseThrow().result()).isEqualTo(result);
    }

    @Test
    void completionWithWrongTokenRejected() {
        String key = key();
        store.claim(claim(key, null, LONG));
        IdempotencyRecord before = store.get(key).orElseThrow();

        Counted<CompleteResult> complete = counted(() -> store.complete(new CompleteRequest(key, 2, bytes("x"), LONG)));

        // A rejection costs the UPDATE and a read of the record to report.
        assertThat(complete.statements()).isEqualTo(2);
        assertThat(((CompleteResult.Rejected) complete.value()).current()).isEqualTo(before);
        assertThat(store.get(key).orElseThrow()).isEqualTo(before);
    }

    @Test
    void completionOfExpiredRecordRejected() throws SQLException {
        String key = key();
        insertRow(key, "IN_PROGRESS", 3, FAR_FUTURE, 1, null, null);

        CompleteResult result = store.complete(new CompleteRequest(key, 3, bytes("late"), LONG));

        assertThat(((CompleteResult.Rejected) result).current()).as("an expired record is absent").isNull();
        assertThat(resultColumn(key)).isNull();
    }

    @Test
    void completionOfAbsentKeyRejected() throws SQLException {
        String key = key();

        CompleteResult result = store.complete(new CompleteRequest(key, 1, bytes("none"), LONG));

        assertThat(((CompleteResult.Rejected) result).current()).isNull();
        assertThat(rowExists(key)).as("row written by a rejected completion").isFalse();
    }

    @Test
    void completedRecordCannotCompleteAgain() {
        String key = key();
        store.claim(claim(key, null, LONG));
        store.complete(new CompleteRequest(key, 1, bytes("first"), LONG));

        CompleteResult again = store.complete(new CompleteRequest(key, 1, bytes("second"), LONG));

        assertThat(((CompleteResult.Rejected) again).current().result()).isEqualTo(bytes("first"));
    }

    @Test
    void batchOfCompletionsReadsOnce() {
        String first = key();
        String second = key();
        store.claimAll(List.of(claim(first, null, LONG), claim(second, null, LONG)));

        Counted<List<CompleteResult>> batch = counted(() -> store.completeAll(List.of(
                new CompleteRequest(first, 1, bytes("one"), LONG), new CompleteRequest(second, 5, bytes("two"), LONG))));

        // One token-checked UPDATE per key, sent as one JDBC batch, and one read of both rows.
        assertThat(batch.statements()).isEqualTo(3);
        CompleteResult.Stored stored = (CompleteResult.Stored) batch.value().get(0);
        assertThat(stored.expiresAt() - stored.now()).isEqualTo(LONG);
        assertThat(((CompleteResult.Rejected) batch.value().get(1)).current().fencingToken()).isEqualTo(1);
    }

    @Test
    void completionInCallerTransactionRollsBack() throws SQLException {
        String rolledBack = key();
        String committed = key();
        store.claimAll(List.of(claim(rolledBack, null, LONG), claim(committed, null, LONG)));

        CompleteResult first;
        CompleteResult second;
        try (Connection caller = DriverManager.getConnection(TestDatabases.mariadbUrl(urlParameters()))) {
            caller.setAutoCommit(false);
            first = store.complete(caller, new CompleteRequest(rolledBack, 1, bytes("undone"), LONG));
            caller.rollback();
            second = store.complete(caller, new CompleteRequest(committed, 1, bytes("kept"), LONG));
            caller.commit();
        }

        assertThat(first).isInstanceOf(CompleteResult.Stored.class);
        assertThat(second).isInstanceOf(CompleteResult.Stored.class);
        assertThat(store.get(rolledBack).orElseThrow().status()).isEqualTo(RecordStatus.IN_PROGRESS);
        assertThat(store.get(committed).orElseThrow().result()).isEqualTo(bytes("kept"));
    }

    @Test
    void extensionTakesOneStatement() {
        String key = key();
        store.claim(claim(key, null, 1_000));

        Counted<ExtendResult> extend = counted(() -> store.extend(key, 1, 30_000));

        assertThat(extend.statements()).isEqualTo(1);
        ExtendResult.Extended extended = (ExtendResult.Extended) extend.value();
        assertThat(extended.leaseExpiresAt() - extended.now()).isEqualTo(30_000);
        assertThat(store.get(key).orElseThrow().leaseExpiresAt()).isEqualTo(extended.leaseExpiresAt());
    }

    @Test
    void extensionWithWrongTokenRejected() {
        String key = key();
        store.claim(claim(key, null, LONG));
        IdempotencyRecord before = store.get(key).orElseThrow();

        ExtendResult result = store.extend(key, 3, 30_000);

        assertThat(((ExtendResult.Rejected) result).current()).isEqualTo(before);
        assertThat(store.get(key).orElseThrow()).isEqualTo(before);
    }

    // ------------------------------------------------------------ session state left by earlier statements

    @Test
    void leftoverLastInsertIdDoesNotAcquire() throws SQLException {
        String key = key();
        store.claim(new ClaimRequest(key, "fp", LONG, LONG, "holder"));
        IdempotencyRecord before = store.get(key).orElseThrow();

        // Claim codes 2 and 3 would mean token 1 acquired, with and without takeover.
        for (long leftover : new long[] {2, 3, 4, 5}) {
            setLastInsertId(leftover);

            ClaimResult result = store.claim(new ClaimRequest(key, "fp", LONG, LONG, "intruder"));

            assertThat(result).as("claim after LAST_INSERT_ID(%d)", leftover).isInstanceOf(ClaimResult.InProgress.class);
            assertThat(store.get(key).orElseThrow()).as("record after LAST_INSERT_ID(%d)", leftover).isEqualTo(before);
        }
    }

    @Test
    void claimsAfterDuplicateOnConnection() {
        String claimed = key();
        String fresh = key();
        String expiring = key();
        store.claim(claim(claimed, "fp", LONG));
        store.claim(claim(expiring, "fp", 0));

        ClaimResult duplicate = store.claim(claim(claimed, "fp", LONG));
        ClaimResult first = store.claim(claim(fresh, "fp", LONG));
        ClaimResult duplicateAgain = store.claim(claim(claimed, "fp", LONG));
        ClaimResult takeover = store.claim(claim(expiring, "fp", LONG));
        ClaimResult duplicateAfterTakeover = store.claim(claim(fresh, "fp", LONG));

        assertThat(duplicate).isInstanceOf(ClaimResult.InProgress.class);
        assertThat(acquired(first).fencingToken()).isEqualTo(1);
        assertThat(acquired(first).takeover()).isFalse();
        assertThat(duplicateAgain).isInstanceOf(ClaimResult.InProgress.class);
        assertThat(acquired(takeover).fencingToken()).isEqualTo(2);
        assertThat(acquired(takeover).takeover()).isTrue();
        assertThat(((ClaimResult.InProgress) duplicateAfterTakeover).record().fencingToken()).isEqualTo(1);
    }

    @Test
    void rejectionAfterStoredCompletion() throws SQLException {
        String stored = key();
        String inProgressKey = key();
        store.claimAll(List.of(claim(stored, null, LONG), claim(inProgressKey, null, LONG)));

        CompleteResult first = store.complete(new CompleteRequest(stored, 1, bytes("ok"), LONG));
        CompleteResult wrongToken = store.complete(new CompleteRequest(inProgressKey, 9, bytes("x"), LONG));
        setLastInsertId(((CompleteResult.Stored) first).now());
        CompleteResult absent = store.complete(new CompleteRequest(key(), 1, bytes("x"), LONG));
        ClaimResult duplicate = store.claim(claim(stored, null, LONG));

        assertThat(first).isInstanceOf(CompleteResult.Stored.class);
        assertThat(wrongToken).isInstanceOf(CompleteResult.Rejected.class);
        assertThat(absent).isInstanceOf(CompleteResult.Rejected.class);
        assertThat(duplicate).isInstanceOf(ClaimResult.Completed.class);
        assertThat(store.get(inProgressKey).orElseThrow().status()).isEqualTo(RecordStatus.IN_PROGRESS);
    }

    // ------------------------------------------------------------ races between connections

    @Test
    void racingClaimsHaveOneWinner() throws Exception {
        JdbcIdempotencyStore pooled = pooledStore();
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 10; round++) {
                String fresh = key();
                String expiring = key();
                pooled.claim(claim(expiring, "fp", 0));

                List<ClaimResult> freshResults = race(pool, threads, () -> pooled.claim(claim(fresh, "fp", LONG)));
                List<ClaimResult> takeoverResults = race(pool, threads, () -> pooled.claim(claim(expiring, "fp", LONG)));

                assertThat(winners(freshResults)).as("winners of new key %s", fresh).hasSize(1);
                assertThat(winners(freshResults).get(0).fencingToken()).isEqualTo(1);
                assertThat(freshResults).filteredOn(ClaimResult.InProgress.class::isInstance)
                        .allMatch(result -> ((ClaimResult.InProgress) result).record().fencingToken() == 1);
                assertThat(winners(takeoverResults)).as("winners of expired lease %s", expiring).hasSize(1);
                assertThat(winners(takeoverResults).get(0).fencingToken()).isEqualTo(2);
                assertThat(winners(takeoverResults).get(0).takeover()).isTrue();
            }
        } finally {
            pool.shutdownNow();
            pooled.close();
        }
    }

    @Test
    void racingBatchesHaveOneWinnerPerKey() throws Exception {
        JdbcIdempotencyStore pooled = pooledStore();
        int threads = 6;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 5; round++) {
                List<String> keys = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    keys.add(key());
                }
                // Half the keys hold a lease that is already over, so some claims are takeovers.
                for (String key : keys.subList(0, 20)) {
                    pooled.claim(claim(key, null, 0));
                }

                // Each thread claims its own 30 of the 40 keys, in its own order, so that the
                // statements lock overlapping but different sets of rows and gaps.
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Map<String, ClaimResult>>> futures = new ArrayList<>();
                Set<String> requested = new HashSet<>();
                for (int thread = 0; thread < threads; thread++) {
                    List<String> shuffled = new ArrayList<>(keys);
                    Collections.shuffle(shuffled, new Random(round * 31L + thread));
                    List<String> subset = shuffled.subList(0, 30);
                    requested.addAll(subset);
                    futures.add(pool.submit(() -> {
                        start.await();
                        List<ClaimRequest> requests = new ArrayList<>();
                        for (String key : subset) {
                            requests.add(claim(key, null, LONG));
                        }
                        List<ClaimResult> results = pooled.claimAll(requests);
                        Map<String, ClaimResult> byKey = new HashMap<>();
                        for (int i = 0; i < subset.size(); i++) {
                            byKey.put(subset.get(i), results.get(i));
                        }
                        return byKey;
                    }));
                }
                start.countDown();

                Map<String, Integer> wins = new HashMap<>();
                for (Future<Map<String, ClaimResult>> future : futures) {
                    future.get(60, TimeUnit.SECONDS).forEach((key, result) -> {
                        if (result instanceof ClaimResult.Acquired) {
                            wins.merge(key, 1, Integer::sum);
                        }
                    });
                }
                for (String key : requested) {
                    assertThat(wins.getOrDefault(key, 0)).as("winners of %s", key).isEqualTo(1);
                }
            }
        } finally {
            pool.shutdownNow();
            pooled.close();
        }
    }

    // ------------------------------------------------------------ helpers

    /** A value and the number of statements the server counted while it was computed. */
    record Counted<T>(T value, long statements) {
    }

    /**
     * Runs {@code operation} between two reads of the session's {@code Questions} counter. The
     * counter includes the statement that reads it, so the second read's own statement is
     * subtracted.
     */
    <T> Counted<T> counted(Supplier<T> operation) {
        long before = questions();
        T value = operation.get();
        long after = questions();
        return new Counted<>(value, after - before - 1);
    }

    private long questions() {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SHOW SESSION STATUS LIKE 'Questions'")) {
            assertThat(rows.next()).as("Questions status row").isTrue();
            return rows.getLong(2);
        } catch (SQLException e) {
            throw new IllegalStateException("failed to read the session's Questions counter", e);
        }
    }

    private void setLastInsertId(long value) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT LAST_INSERT_ID(" + value + ")")) {
            rows.next();
        }
    }

    String table() {
        return table;
    }

    private JdbcIdempotencyStore pooledStore() {
        return JdbcIdempotencyStore.builder(TestDatabases.mariadb(urlParameters())).table(table).build();
    }

    private static List<ClaimResult> race(ExecutorService pool, int threads, Supplier<ClaimResult> claim)
            throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<ClaimResult>> futures = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            futures.add(pool.submit(() -> {
                start.await();
                return claim.get();
            }));
        }
        start.countDown();

        List<ClaimResult> results = new ArrayList<>();
        for (Future<ClaimResult> future : futures) {
            results.add(future.get(30, TimeUnit.SECONDS));
        }
        return results;
    }

    private static List<ClaimResult.Acquired> winners(List<ClaimResult> results) {
        List<ClaimResult.Acquired> winners = new ArrayList<>();
        for (ClaimResult result : results) {
            if (result instanceof ClaimResult.Acquired acquired) {
                winners.add(acquired);
            }
        }
        return winners;
    }

    private static ClaimResult.Acquired acquired(ClaimResult result) {
        assertThat(result).isInstanceOf(ClaimResult.Acquired.class);
        return (ClaimResult.Acquired) result;
    }

    /** Writes a row directly, for states that the store only reaches with time passing, such as expiry. */
    private void insertRow(String key, String status, long token, long leaseExpiresAt, long expiresAt,
                           String fingerprint, byte[] result) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + table
                + " (idempotency_key, status, fencing_token, lease_expires_at, expires_at, fingerprint, result,"
                + " created_at, completed_at, owner) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, 'raw')")) {
            statement.setString(1, key);
            statement.setString(2, status);
            statement.setLong(3, token);
            statement.setLong(4, leaseExpiresAt);
            statement.setLong(5, expiresAt);
            statement.setString(6, fingerprint);
            statement.setBytes(7, result);
            statement.setLong(8, result == null ? 0 : 1);
            statement.executeUpdate();
        }
    }

    private byte[] resultColumn(String key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT result FROM " + table + " WHERE idempotency_key = ?")) {
            statement.setString(1, key);
            try (ResultSet rows = statement.executeQuery()) {
                assertThat(rows.next()).as("row of %s", key).isTrue();
                return rows.getBytes(1);
            }
        }
    }

    private boolean rowExists(String key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT 1 FROM " + table + " WHERE idempotency_key = ?")) {
            statement.setString(1, key);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static String key() {
        return "key-" + UUID.randomUUID();
    }

    private static ClaimRequest claim(String key, String fingerprint, long leaseMillis) {
        return new ClaimRequest(key, fingerprint, leaseMillis, LONG, "test");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
