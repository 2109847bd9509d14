package dev.idem.testkit;

import dev.idem.spi.ClaimRequest;
import dev.idem.spi.ClaimResult;
import dev.idem.spi.CompleteRequest;
import dev.idem.spi.CompleteResult;
import dev.idem.spi.ExtendResult;
import dev.idem.spi.IdempotencyRecord;
import dev.idem.spi.IdempotencyStore;
import dev.idem.spi.RecordStatus;
import dev.idem.spi.StoreCapabilities;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The contract that every {@link IdempotencyStore} must pass. A backend's test class extends it,
 * returns its store from {@link #createStore()}, and overrides {@link #options()} where the
 * backend's capabilities or speed differ from the defaults:
 *
 * <pre>{@code
 * class RedisStoreContractTest extends IdempotencyStoreContract {
 *
 *     @Override
 *     protected IdempotencyStore createStore() {
 *         return RedisIdempotencyStore.builder(jedis).build();
 *     }
 *
 *     @Override
 *     protected ContractOptions options() {
 *         return ContractOptions.builder().shortLease(Duration.ofMillis(500)).build();
 *     }
 * }
 * }</pre>
 *
 * <p>One store serves every test of the class and is closed after the last one. Each test uses
 * keys under its own random prefix, so tests never see each other's records and a shared server
 * needs no cleanup. Every record the suite writes expires within twice
 * {@link ContractOptions#longLease()}.
 *
 * <p>The store decides time with its own clock, so tests that need a lease or a record to expire
 * use {@link ContractOptions#shortLease()} and poll the store with Awaitility. No test asserts
 * how fast the store is.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class IdempotencyStoreContract {

    private static final String OWNER_A = "contract-owner-a";
    private static final String OWNER_B = "contract-owner-b";
    private static final String OWNER_C = "contract-owner-c";
    private static final String FINGERPRINT_A = "sha256:aaaa";
    private static final String FINGERPRINT_B = "sha256:bbbb";
    private static final byte[] RESULT_A = "result-a".getBytes(StandardCharsets.UTF_8);
    private static final byte[] RESULT_B = "result-b".getBytes(StandardCharsets.UTF_8);
    private static final int LARGE_RESULT_BYTES = 300 * 1024;
    private static final int LONG_KEY_BYTES = 1024;
    private static final int LONGEST_TESTED_KEY_BYTES = 64 * 1024;

    private IdempotencyStore store;
    private ContractOptions options;
    private StoreCapabilities capabilities;
    private String keyPrefix;

    /**
     * Creates the store under test. Called once per test class, just before the first test and
     * after the subclass's {@code @BeforeAll} methods, so a server they start is already running.
     */
    protected abstract IdempotencyStore createStore();

    /** Returns the capability flags and timing of the store under test, {@link ContractOptions#defaults()} unless overridden. */
    protected ContractOptions options() {
        return ContractOptions.defaults();
    }

    /** The store under test, for tests that a backend adds to its own subclass. */
    protected final IdempotencyStore store() {
        openStore();
        return store;
    }

    /** Returns a key under the current test's random prefix, so that no other test or run uses it. */
    protected final String key(String name) {
        return keyPrefix + name;
    }

    @BeforeEach
    protected final void prepareTest() {
        openStore();
        keyPrefix = "idem-contract-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "-";
    }

    @AfterAll
    protected final void closeStore() {
        if (store != null) {
            store.close();
            store = null;
        }
    }

    /**
     * Creates the store on first use. Jupiter runs a superclass's {@code @BeforeAll} methods before
     * the subclass's, so creating it there would come before the backend's server is up.
     */
    private void openStore() {
        if (store != null) {
            return;
        }
        options = Objects.requireNonNull(options(), "options() returned null");
        store = Objects.requireNonNull(createStore(), "createStore() returned null");
        capabilities = Objects.requireNonNull(store.capabilities(), "capabilities() returned null");
    }

    // Claims

    @Test
    void firstClaimAcquires() {
        ClaimResult.Acquired acquired = acquire(longClaim(key("first"), OWNER_A));

        assertThat(acquired.fencingToken()).as("fencing token").isPositive();
        assertThat(acquired.takeover()).as("takeover").isFalse();
        assertThat(acquired.leaseExpiresAt()).as("leaseExpiresAt")
                .isCloseTo(acquired.now() + longMillis(), within(toleranceMillis()));
    }

    @Test
    void duplicateInFlightReturnsInProgress() {
        String key = key("in-flight");
        ClaimResult.Acquired holder = acquire(claim(key, FINGERPRINT_A, longMillis(), longMillis(), OWNER_A));

        ClaimResult.InProgress duplicate = assertKind(
                store.claim(claim(key, FINGERPRINT_A, longMillis(), longMillis(), OWNER_B)), ClaimResult.InProgress.class);

        IdempotencyRecord record = duplicate.record();
        assertThat(record.key()).as("key").isEqualTo(key);
        assertThat(record.status()).as("status").isEqualTo(RecordStatus.IN_PROGRESS);
        assertThat(record.fencingToken()).as("fencing token").isEqualTo(holder.fencingToken());
        assertThat(record.leaseExpiresAt()).as("leaseExpiresAt").isEqualTo(holder.leaseExpiresAt());
        assertThat(record.owner()).as("owner").isEqualTo(OWNER_A);
        assertThat(record.result()).as("result").isNull();
    }

    @Test
    void duplicateAfterCompleteReturnsCompleted() {
        String key = key("completed");
        byte[] result = randomBytes(64);
        ClaimResult.Acquired holder = acquire(longClaim(key, OWNER_A));
        completeStored(key, holder.fencingToken(), result, longMillis());

        ClaimResult.Completed duplicate = assertKind(store.claim(longClaim(key, OWNER_B)), ClaimResult.Completed.class);

        assertThat(duplicate.record().status()).as("status").isEqualTo(RecordStatus.COMPLETED);
        assertThat(duplicate.record().fencingToken()).as("fencing token").isEqualTo(holder.fencingToken());
        assertThat(duplicate.record().result()).as("result").isEqualTo(result);
    }

    @Test
    void completedRecordOutlivesLease() {
        String key = key("completed-short-lease");
        ClaimResult.Acquired holder = acquire(claim(key, null, shortMillis(), longMillis(), OWNER_A));
        completeStored(key, holder.fencingToken(), RESULT_A, longMillis());

        List<ClaimResult> seen = claimUntilStorePasses(longClaim(key, OWNER_B), holder.leaseExpiresAt());

        assertThat(seen).as("claims after the former lease ended")
                .allSatisfy(result -> assertThat(result).isInstanceOf(ClaimResult.Completed.class));
    }

    // Stale tokens

    @Test
    void completeWithStaleTokenRejected() {
        String key = key("stale-complete");
        long staleToken = releasedToken(key);
        acquire(longClaim(key, OWNER_B));
        IdempotencyRecord before = getRecord(key);

        CompleteResult.Rejected rejected = assertKind(
                store.complete(new CompleteRequest(key, staleToken, RESULT_A, longMillis())), CompleteResult.Rejected.class);

        assertThat(rejected.current()).as("record returned with the rejection").isEqualTo(before);
        assertThat(getRecord(key)).as("record after the rejection").isEqualTo(before);
    }

    @Test
    void completeAfterTakeoverRejected() {
        String key = key("taken-over-complete");
        ClaimResult.Acquired stale = acquire(claim(key, null, shortMillis(), longMillis(), OWNER_A));
        acquireAfterLeaseEnds(longClaim(key, OWNER_B));
        IdempotencyRecord before = getRecord(key);

        CompleteResult.Rejected rejected = assertKind(
                store.complete(new CompleteRequest(key, stale.fencingToken(), RESULT_A, longMillis())),
                CompleteResult.Rejected.class);

        assertThat(rejected.current()).as("record returned with the rejection").isEqualTo(before);
        assertThat(getRecord(key)).as("record after the rejection").isEqualTo(before);
    }

    @Test
    void releaseWithStaleTokenKeepsRecord() {
        String key = key("stale-release");
        long staleToken = releasedToken(key);
        acquire(longClaim(key, OWNER_B));
        IdempotencyRecord before = getRecord(key);

        boolean released = store.release(key, staleToken);

        assertThat(released).as("release with the stale token").isFalse();
        assertThat(getRecord(key)).as("record after the release").isEqualTo(before);
    }

    @Test
    void releaseLetsNewClaimAcquire() {
        String key = key("release");
        ClaimResult.Acquired first = acquire(longClaim(key, OWNER_A));

        boolean released = store.release(key, first.fencingToken());
        Optional<IdempotencyRecord> afterRelease = store.get(key);
        ClaimResult.Acquired second = acquire(longClaim(key, OWNER_B));

        assertThat(released).as("release by the holder").isTrue();
        assertThat(afterRelease).as("record after the release").isEmpty();
        assertThat(second.fencingToken()).as("fencing token of the next claim").isGreaterThan(first.fencingToken());
        assertThat(second.takeover()).as("takeover").isFalse();
    }

    @Test
    void releaseOfCompletedRecordReturnsFalse() {
        String key = key("release-completed");
        ClaimResult.Acquired holder = acquire(longClaim(key, OWNER_A));
        completeStored(key, holder.fencingToken(), RESULT_A, longMillis());

        boolean released = store.release(key, holder.fencingToken());

        assertThat(released).as("release after complete").isFalse();
        assertThat(getRecord(key).result()).as("result after the release").isEqualTo(RESULT_A);
    }

    // Leases and takeover

    @Test
    void expiredLeaseTakenOver() {
        String key = key("takeover");
        ClaimResult.Acquired first = acquire(claim(key, null, shortMillis(), longMillis(), OWNER_A));

        ClaimResult.Acquired second = acquireAfterLeaseEnds(longClaim(key, OWNER_B));

        assertThat(second.fencingToken()).as("fencing token").isGreaterThan(first.fencingToken());
        assertThat(second.takeover()).as("takeover").isTrue();
        assertThat(second.now()).as("now of the takeover").isGreaterThanOrEqualTo(first.leaseExpiresAt());
        assertThat(getRecord(key).owner()).as("owner after the takeover").isEqualTo(OWNER_B);
    }

    @Test
    void takeoverRefusedOnFingerprintMismatch() {
        String key = key("takeover-mismatch");
        ClaimResult.Acquired first = acquire(claim(key, FINGERPRINT_A, shortMillis(), longMillis(), OWNER_A));

        List<ClaimResult> seen = claimUntilLeaseEnds(claim(key, FINGERPRINT_B, longMillis(), longMillis(), OWNER_B));

        ClaimResult.InProgress refused = assertKind(last(seen), ClaimResult.InProgress.class);
        assertThat(refused.now()).as("now of the refused claim").isGreaterThanOrEqualTo(first.leaseExpiresAt());
        assertThat(refused.record().fencingToken()).as("fencing token").isEqualTo(first.fencingToken());
        assertThat(refused.record().fingerprint()).as("fingerprint").isEqualTo(FINGERPRINT_A);
        assertThat(getRecord(key).owner()).as("owner").isEqualTo(OWNER_A);
    }

    @ParameterizedTest(name = "stored {0}, requested {1}")
    @CsvSource({", sha256:aaaa", "sha256:aaaa, "})
    void takeoverIgnoresNullFingerprint(String storedFingerprint, String requestedFingerprint) {
        String key = key("takeover-null-fingerprint");
        ClaimResult.Acquired first = acquire(claim(key, storedFingerprint, shortMillis(), longMillis(), OWNER_A));

        ClaimResult.Acquired second = acquireAfterLeaseEnds(
                claim(key, requestedFingerprint, longMillis(), longMillis(), OWNER_B));

        assertThat(second.fencingToken()).as("fencing token").isGreaterThan(first.fencingToken());
        assertThat(second.takeover()).as("takeover").isTrue();
    }

    @Test
    void takeoverWithoutFingerprintKeepsStoredOne() {
        String key = key("takeover-keeps-fingerprint");
        acquire(claim(key, FINGERPRINT_A, shortMillis(), longMillis(), OWNER_A));
        acquireAfterLeaseEnds(claim(key, null, longMillis(), longMillis(), OWNER_B));

        ClaimResult.InProgress duplicate = assertKind(
                store.claim(claim(key, FINGERPRINT_B, longMillis(), longMillis(), OWNER_A)), ClaimResult.InProgress.class);

        assertThat(duplicate.record().fingerprint()).as("fingerprint").isEqualTo(FINGERPRINT_A);
    }

    @Test
    void extendMovesLease() {
        String key = key("extend");
        ClaimResult.Acquired holder = acquire(claim(key, null, shortMillis(), longMillis(), OWNER_A));

        ExtendResult.Extended extended = assertKind(
                store.extend(key, holder.fencingToken(), longMillis()), ExtendResult.Extended.class);

        assertThat(extended.leaseExpiresAt()).as("leaseExpiresAt")
                .isCloseTo(extended.now() + longMillis(), within(toleranceMillis()));
        assertThat(extended.leaseExpiresAt()).as("leaseExpiresAt").isGreaterThan(holder.leaseExpiresAt());
        assertThat(getRecord(key).leaseExpiresAt()).as("stored leaseExpiresAt").isEqualTo(extended.leaseExpiresAt());
    }

    @Test
    void extendPreventsTakeover() {
        String key = key("extend-takeover");
        ClaimResult.Acquired holder = acquire(claim(key, null, shortMillis(), longMillis(), OWNER_A));
        assertKind(store.extend(key, holder.fencingToken(), longMillis()), ExtendResult.Extended.class);

        List<ClaimResult> seen = claimUntilStorePasses(longClaim(key, OWNER_B), holder.leaseExpiresAt());

        assertThat(seen).as("claims after the original lease ended")
                .allSatisfy(result -> assertThat(result).isInstanceOf(ClaimResult.InProgress.class));
        assertThat(getRecord(key).fencingToken()).as("fencing token").isEqualTo(holder.fencingToken());
    }

    @Test
    void extendWithStaleTokenRejected() {
        String key = key("stale-extend");
        long staleToken = releasedToken(key);
        acquire(longClaim(key, OWNER_B));
        IdempotencyRecord before = getRecord(key);

        ExtendResult.Rejected rejected = assertKind(
                store.extend(key, staleToken, longMillis()), ExtendResult.Rejected.class);

        assertThat(rejected.current()).as("record returned with the rejection").isEqualTo(before);
        assertThat(getRecord(key)).as("record after the rejection").isEqualTo(before);
    }

    @Test
    void extendPastRetentionKeepsRecord() {
        String key = key("extend-retention");
        ClaimResult.Acquired holder = acquire(claim(key, FINGERPRINT_A, shortMillis(), shortMillis(), OWNER_A));
        long originalExpiresAt = getRecord(key).expiresAt();

        ExtendResult.Extended extended = assertKind(
                store.extend(key, holder.fencingToken(), shortMillis() * 4), ExtendResult.Extended.class);
        IdempotencyRecord afterExtend = getRecord(key);
        // A mismatching fingerprint never takes over, so each probe returns InProgress while the record lives.
        List<ClaimResult> seen = claimUntilStorePasses(
                claim(key, FINGERPRINT_B, longMillis(), longMillis(), OWNER_B), originalExpiresAt);

        assertThat(afterExtend.expiresAt()).as("expiresAt after the extension")
                .isGreaterThanOrEqualTo(extended.leaseExpiresAt());
        assertThat(seen).as("claims after the original retention ended")
                .allSatisfy(result -> assertThat(result).isInstanceOf(ClaimResult.InProgress.class));
    }

    // Expiry

    @Test
    void expiredRecordAllowsNewClaim() {
        String key = key("retention");
        expireCompletedRecord(key);

        ClaimResult.Acquired next = acquire(longClaim(key, OWNER_B));

        assertThat(next.takeover()).as("takeover").isFalse();
        assertThat(getRecord(key).owner()).as("owner").isEqualTo(OWNER_B);
    }

    @Test
    void tokenAfterExpiry() {
        String key = key("retention-token");
        long expiredToken = expireCompletedRecord(key);

        ClaimResult.Acquired next = acquire(longClaim(key, OWNER_B));

        // A backend that cannot keep tokens across expiry declares it, and only has to issue a valid token.
        if (options.tokensSurviveExpiry()) {
            assertThat(next.fencingToken()).as("fencing token after expiry").isGreaterThan(expiredToken);
        } else {
            assertThat(next.fencingToken()).as("fencing token after expiry").isPositive();
        }
    }

    @Test
    void completeAfterExpiryRejected() {
        String key = key("complete-expired");
        ClaimResult.Acquired holder = acquire(claim(key, null, shortMillis(), shortMillis(), OWNER_A));
        awaitAbsent(key);

        CompleteResult.Rejected rejected = assertKind(
                store.complete(new CompleteRequest(key, holder.fencingToken(), RESULT_A, longMillis())),
                CompleteResult.Rejected.class);

        assertThat(rejected.current()).as("record returned with the rejection").isNull();
        assertThat(store.get(key)).as("record after the rejection").isEmpty();
    }

    @Test
    void extendAfterExpiryRejected() {
        String key = key("extend-expired");
        ClaimResult.Acquired holder = acquire(claim(key, null, shortMillis(), shortMillis(), OWNER_A));
        awaitAbsent(key);

        ExtendResult.Rejected rejected = assertKind(
                store.extend(key, holder.fencingToken(), longMillis()), ExtendResult.Rejected.class);

        assertThat(rejected.current()).as("record returned with the rejection").isNull();
        assertThat(store.get(key)).as("record after the rejection").isEmpty();
    }

    @Test
    void releaseAfterExpiryReturnsFalse() {
        String key = key("release-expired");
        ClaimResult.Acquired holder = acquire(claim(key, null, shortMillis(), shortMillis(), OWNER_A));
        awaitAbsent(key);

        boolean released = store.release(key, holder.fencingToken());

        assertThat(released).as("release of an expired claim").isFalse();
    }

    @Test
    void purgeMatchesCapability() {
        if (options.purgesExpired(capabilities)) {
            purgeRemovesOnlyExpired();
        } else {
            purgeReturnsZeroWithoutPurging();
        }
    }

    private void purgeRemovesOnlyExpired() {
        // The in-progress record comes first, so its lease is over once the later records have expired.
        String leaseOver = key("purge-lease-over");
        acquire(claim(leaseOver, FINGERPRINT_A, shortMillis(), longMillis(), OWNER_A));
        String expiredA = key("purge-expired-a");
        String expiredB = key("purge-expired-b");
        String live = key("purge-live");
        completeNew(expiredA, RESULT_A, shortMillis());
        completeNew(expiredB, RESULT_A, shortMillis());
        completeNew(live, RESULT_B, longMillis());
        awaitAbsent(expiredA);
        awaitAbsent(expiredB);

        int firstPurge = store.purgeExpired(1);
        int laterPurges = purgeUntilNoneLeft();

        assertThat(firstPurge).as("purgeExpired(1)").isEqualTo(1);
        assertThat(firstPurge + laterPurges).as("records purged in all").isGreaterThanOrEqualTo(2);
        assertThat(getRecord(live).result()).as("result of the live record").isEqualTo(RESULT_B);
        ClaimResult.Acquired takeover = acquire(claim(leaseOver, FINGERPRINT_A, longMillis(), longMillis(), OWNER_B));
        assertThat(takeover.takeover()).as("takeover of the record whose lease, not retention, was over").isTrue();
    }

    private void purgeReturnsZeroWithoutPurging() {
        String key = key("no-purge");
        completeNew(key, RESULT_A, shortMillis());
        awaitAbsent(key);

        int purged = store.purgeExpired(100);

        assertThat(purged).as("purgeExpired(100)").isZero();
    }

    // Records and fingerprints

    @Test
    void fingerprintKeptWhileInProgress() {
        String key = key("fingerprint-in-progress");
        acquire(claim(key, FINGERPRINT_A, longMillis(), longMillis(), OWNER_A));

        ClaimResult.InProgress duplicate = assertKind(
                store.claim(claim(key, FINGERPRINT_B, longMillis(), longMillis(), OWNER_B)), ClaimResult.InProgress.class);

        assertThat(duplicate.record().fingerprint()).as("fingerprint").isEqualTo(FINGERPRINT_A);
    }

    @Test
    void fingerprintKeptAfterComplete() {
        String key = key("fingerprint-completed");
        ClaimResult.Acquired holder = acquire(claim(key, FINGERPRINT_A, longMillis(), longMillis(), OWNER_A));
        completeStored(key, holder.fencingToken(), RESULT_A, longMillis());

        ClaimResult.Completed duplicate = assertKind(
                store.claim(claim(key, FINGERPRINT_B, longMillis(), longMillis(), OWNER_B)), ClaimResult.Completed.class);

        assertThat(duplicate.record().fingerprint()).as("fingerprint").isEqualTo(FINGERPRINT_A);
        assertThat(duplicate.record().result()).as("result").isEqualTo(RESULT_A);
    }

    @Test
    void getReturnsInProgressRecord() {
        String key = key("get-in-progress");
        long retention = longMillis() * 2;
        long clientBefore = System.currentTimeMillis();
        ClaimResult.Acquired holder = acquire(claim(key, FINGERPRINT_A, longMillis(), retention, OWNER_A));

        IdempotencyRecord record = getRecord(key);

        assertThat(record.key()).as("key").isEqualTo(key);
        assertThat(record.status()).as("status").isEqualTo(RecordStatus.IN_PROGRESS);
        assertThat(record.fencingToken()).as("fencing token").isEqualTo(holder.fencingToken());
        assertThat(record.leaseExpiresAt()).as("leaseExpiresAt").isEqualTo(holder.leaseExpiresAt());
        assertThat(record.expiresAt()).as("expiresAt")
                .isCloseTo(holder.now() + retention, within(toleranceMillis()));
        assertThat(record.expiresAt()).as("expiresAt").isGreaterThan(holder.now());
        assertThat(record.createdAt()).as("createdAt").isLessThanOrEqualTo(holder.now());
        assertThat(record.createdAt()).as("createdAt").isGreaterThanOrEqualTo(clientBefore - skewMillis());
        assertThat(record.completedAt()).as("completedAt").isZero();
        assertThat(record.fingerprint()).as("fingerprint").isEqualTo(FINGERPRINT_A);
        assertThat(record.result()).as("result").isNull();
        assertThat(record.owner()).as("owner").isEqualTo(OWNER_A);
    }

    @Test
    void getReturnsCompletedRecord() {
        String key = key("get-completed");
        ClaimResult.Acquired holder = acquire(claim(key, FINGERPRINT_A, longMillis(), longMillis(), OWNER_A));
        CompleteResult.Stored stored = completeStored(key, holder.fencingToken(), RESULT_A, longMillis());

        IdempotencyRecord record = getRecord(key);

        assertThat(record.status()).as("status").isEqualTo(RecordStatus.COMPLETED);
        assertThat(record.fencingToken()).as("fencing token").isEqualTo(holder.fencingToken());
        assertThat(record.leaseExpiresAt()).as("leaseExpiresAt").isZero();
        assertThat(record.expiresAt()).as("expiresAt").isEqualTo(stored.expiresAt());
        assertThat(record.expiresAt()).as("expiresAt")
                .isCloseTo(stored.now() + longMillis(), within(toleranceMillis()));
        assertThat(record.createdAt()).as("createdAt").isCloseTo(holder.now(), within(toleranceMillis()));
        assertThat(record.completedAt()).as("completedAt").isCloseTo(stored.now(), within(toleranceMillis()));
        assertThat(record.completedAt()).as("completedAt").isGreaterThanOrEqualTo(record.createdAt());
        assertThat(record.fingerprint()).as("fingerprint").isEqualTo(FINGERPRINT_A);
        assertThat(record.result()).as("result").isEqualTo(RESULT_A);
        assertThat(record.owner()).as("owner").isEqualTo(OWNER_A);
    }

    @Test
    void getOfUnknownKeyIsEmpty() {
        assertThat(store.get(key("never-claimed"))).isEmpty();
    }

    @Test
    void nowFollowsClientClock() {
        String key = key("clock");
        long clientBefore = System.currentTimeMillis();

        ClaimResult.Acquired acquired = acquire(longClaim(key, OWNER_A));
        ClaimResult.InProgress inProgress = assertKind(store.claim(longClaim(key, OWNER_B)), ClaimResult.InProgress.class);
        ExtendResult.Extended extended = assertKind(
                store.extend(key, acquired.fencingToken(), longMillis()), ExtendResult.Extended.class);
        CompleteResult.Stored stored = completeStored(key, acquired.fencingToken(), RESULT_A, longMillis());
        ClaimResult.Completed completed = assertKind(store.claim(longClaim(key, OWNER_B)), ClaimResult.Completed.class);
        long clientAfter = System.currentTimeMillis();

        assertNearClientClock("Acquired.now", acquired.now(), clientBefore, clientAfter);
        assertNearClientClock("InProgress.now", inProgress.now(), clientBefore, clientAfter);
        assertNearClientClock("Extended.now", extended.now(), clientBefore, clientAfter);
        assertNearClientClock("Stored.now", stored.now(), clientBefore, clientAfter);
        assertNearClientClock("Completed.now", completed.now(), clientBefore, clientAfter);
    }

    // Keys

    @ParameterizedTest(name = "{0}")
    @MethodSource("unusualKeys")
    void unusualKeyIsDistinct(String description, String name, String similarName) {
        assertIndependent(key(name), key(similarName));
    }

    @ParameterizedTest(name = "{0} bytes")
    @MethodSource("longKeyLengths")
    void longKeyIsDistinct(int utf8Bytes) {
        String key = keyOfUtf8Length(utf8Bytes, 'a');
        String similar = keyOfUtf8Length(utf8Bytes, 'b');

        assertThat(key.getBytes(StandardCharsets.UTF_8)).as("UTF-8 bytes of the key").hasSize(utf8Bytes);
        assertIndependent(key, similar);
    }

    /**
     * Returns pairs of keys that a lossy encoding, an escaping bug, a collation or a pattern match
     * would confuse: a description, a key and a similar key.
     */
    Stream<Arguments> unusualKeys() {
        StringBuilder controlCharacters = new StringBuilder("control-");
        for (char c = '\u0000'; c < '\u0020'; c++) {
            controlCharacters.append(c);
        }

        return Stream.of(
                Arguments.of("unicode", "ключ-🔑-鍵", "ключ-🔒-鍵"),
                Arguments.of("control characters", controlCharacters.toString(), "control-"),
                Arguments.of("line breaks", "line\nbreak\r\n", "line\r\nbreak\n"),
                Arguments.of("quotes", "it's \"quoted\" `x`", "it''s \"\"quoted\"\" `x`"),
                Arguments.of("backslashes", "back\\slash\\", "back\\\\slash\\\\"),
                Arguments.of("hash tag braces", "{tag}-a", "{tag}-b"),
                Arguments.of("unbalanced braces", "}{", "}{}"),
                Arguments.of("percent", "100%", "100%-more"),
                Arguments.of("underscore", "under_score", "underXscore"),
                Arguments.of("glob characters", "glob-*?[ab]", "glob-xa"),
                Arguments.of("trailing space", "padded ", "padded"),
                Arguments.of("letter case", "CaseKey", "casekey"),
                Arguments.of("accents", "café", "cafe"),
                Arguments.of("unicode normalization", "caf\u00e9", "cafe\u0301"));
    }

    /** Returns 1 KB and the longest key up to 64 KiB, both capped at {@code capabilities().maxKeyBytes()}. */
    Stream<Integer> longKeyLengths() {
        // Jupiter requests the arguments before the first invocation's @BeforeEach runs.
        openStore();
        int max = capabilities.maxKeyBytes();
        return Stream.of(Math.min(max, LONG_KEY_BYTES), Math.min(max, LONGEST_TESTED_KEY_BYTES)).distinct();
    }

    // Results

    @ParameterizedTest(name = "{0}")
    @MethodSource("results")
    void resultReadBackExactly(String description, byte[] result) {
        String key = key("result");
        ClaimResult.Acquired holder = acquire(longClaim(key, OWNER_A));
        completeStored(key, holder.fencingToken(), result.clone(), longMillis());

        ClaimResult.Completed replay = assertKind(store.claim(longClaim(key, OWNER_B)), ClaimResult.Completed.class);
        IdempotencyRecord record = getRecord(key);

        assertThat(replay.record().result()).as("result of the replay").isEqualTo(result);
        assertThat(record.result()).as("result of get").isEqualTo(result);
    }

    /** Returns results that a text encoding, a null check or a size limit would damage. */
    Stream<Arguments> results() {
        byte[] everyByteValue = new byte[256];
        for (int i = 0; i < everyByteValue.length; i++) {
            everyByteValue[i] = (byte) i;
        }

        // A backend whose declared limit is below 300 KB is tested with a result of exactly that limit.
        openStore();
        int largeResultBytes = Math.min(LARGE_RESULT_BYTES, capabilities.maxResultBytes());
        return Stream.of(
                Arguments.of("empty", new byte[0]),
                Arguments.of("one zero byte", new byte[] {0}),
                Arguments.of("text null", "null".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("every byte value", everyByteValue),
                Arguments.of(largeResultBytes + " bytes random", randomBytes(largeResultBytes)));
    }

    @Test
    void changingReadResultKeepsStored() {
        String key = key("result-copy");
        completeNew(key, RESULT_A.clone(), longMillis());

        getRecord(key).result()[0] = 'X';
        assertKind(store.claim(longClaim(key, OWNER_B)), ClaimResult.Completed.class).record().result()[0] = 'Y';

        assertThat(getRecord(key).result()).as("stored result").isEqualTo(RESULT_A);
    }

    @Test
    void changingCompletedArrayKeepsStored() {
        String key = key("result-input-copy");
        ClaimResult.Acquired holder = acquire(longClaim(key, OWNER_A));
        byte[] result = RESULT_A.clone();
        completeStored(key, holder.fencingToken(), result, longMillis());

        result[0] = 'X';

        assertThat(getRecord(key).result()).as("stored result").isEqualTo(RESULT_A);
    }

    // Batches

    @Test
    void claimAllReturnsResultsInRequestOrder() {
        String fresh = key("batch-fresh");
        String inFlight = key("batch-in-flight");
        String completed = key("batch-completed");
        String twice = key("batch-twice");
        String lastFresh = key("batch-last-fresh");
        ClaimResult.Acquired holder = acquire(longClaim(inFlight, OWNER_A));
        completeNew(completed, RESULT_A, longMillis());

        List<ClaimResult> results = store.claimAll(List.of(
                longClaim(fresh, OWNER_B),
                longClaim(inFlight, OWNER_B),
                longClaim(twice, OWNER_B),
                longClaim(completed, OWNER_B),
                longClaim(twice, OWNER_C),
                longClaim(lastFresh, OWNER_B)));

        assertThat(results).as("results").hasSize(6);
        ClaimResult.Acquired freshResult = assertKind(results.get(0), ClaimResult.Acquired.class);
        ClaimResult.InProgress inFlightResult = assertKind(results.get(1), ClaimResult.InProgress.class);
        ClaimResult.Acquired twiceFirst = assertKind(results.get(2), ClaimResult.Acquired.class);
        ClaimResult.Completed completedResult = assertKind(results.get(3), ClaimResult.Completed.class);
        ClaimResult.InProgress twiceSecond = assertKind(results.get(4), ClaimResult.InProgress.class);
        ClaimResult.Acquired lastFreshResult = assertKind(results.get(5), ClaimResult.Acquired.class);
        assertThat(getRecord(fresh).fencingToken()).as("token of the first key").isEqualTo(freshResult.fencingToken());
        assertThat(inFlightResult.record().key()).as("key of the in-flight result").isEqualTo(inFlight);
        assertThat(inFlightResult.record().fencingToken()).as("holder's token").isEqualTo(holder.fencingToken());
        assertThat(completedResult.record().key()).as("key of the completed result").isEqualTo(completed);
        assertThat(completedResult.record().result()).as("replayed result").isEqualTo(RESULT_A);
        assertThat(twiceSecond.record().key()).as("key of the repeated request").isEqualTo(twice);
        assertThat(twiceSecond.record().fencingToken()).as("token seen by the repeated request")
                .isEqualTo(twiceFirst.fencingToken());
        assertThat(twiceSecond.record().owner()).as("owner seen by the repeated request").isEqualTo(OWNER_B);
        assertThat(getRecord(lastFresh).fencingToken()).as("token of the last key")
                .isEqualTo(lastFreshResult.fencingToken());
    }

    @Test
    void completeAllRejectsOnlyStaleToken() {
        String valid = key("batch-valid");
        String stale = key("batch-stale");
        ClaimResult.Acquired holder = acquire(longClaim(valid, OWNER_A));
        long staleToken = releasedToken(stale);
        ClaimResult.Acquired newOwner = acquire(longClaim(stale, OWNER_B));
        IdempotencyRecord staleBefore = getRecord(stale);

        List<CompleteResult> results = store.completeAll(List.of(
                new CompleteRequest(valid, holder.fencingToken(), RESULT_A, longMillis()),
                new CompleteRequest(stale, staleToken, RESULT_B, longMillis())));

        assertThat(results).as("results").hasSize(2);
        assertKind(results.get(0), CompleteResult.Stored.class);
        CompleteResult.Rejected rejected = assertKind(results.get(1), CompleteResult.Rejected.class);
        assertThat(rejected.current().fencingToken()).as("token of the record found").isEqualTo(newOwner.fencingToken());
        assertThat(getRecord(valid).result()).as("result of the valid completion").isEqualTo(RESULT_A);
        assertThat(getRecord(stale)).as("record of the stale completion").isEqualTo(staleBefore);
    }

    @Test
    void batchesAcceptEmptyList() {
        assertThat(store.claimAll(List.of())).as("claimAll of nothing").isEmpty();
        assertThat(store.completeAll(List.of())).as("completeAll of nothing").isEmpty();
    }

    // Concurrency

    @Test
    void raceKeepsOneHolderPerLease() throws InterruptedException {
        ClaimRace.Outcome outcome = new ClaimRace(store, options, key("race-"), ClaimRace.Mode.LONG_LEASES).run();

        assertThat(outcome.violations()).as("broken invariants").isEmpty();
        assertThat(outcome.releases()).as("releases").isPositive();
        assertThat(outcome.storedResults()).as("completed keys").isNotEmpty();
        assertFinalRecords(outcome);
    }

    @Test
    void raceRejectsStalledHolders() throws InterruptedException {
        ClaimRace.Outcome outcome = new ClaimRace(store, options, key("stall-"), ClaimRace.Mode.STALLED_HOLDERS).run();

        assertThat(outcome.violations()).as("broken invariants").isEmpty();
        assertThat(outcome.takeovers()).as("takeovers").isPositive();
        assertThat(outcome.rejectedStalls()).as("rejected completes of stalled holders").isPositive();
        assertThat(outcome.storedResults()).as("completed keys").isNotEmpty();
        assertFinalRecords(outcome);
    }

    // Helpers

    private long shortMillis() {
        return options.shortLease().toMillis();
    }

    private long longMillis() {
        return options.longLease().toMillis();
    }

    private long skewMillis() {
        return options.maxClockSkew().toMillis();
    }

    private long toleranceMillis() {
        return options.timeTolerance().toMillis();
    }

    private static ClaimRequest claim(String key, String fingerprint, long leaseMillis, long retentionMillis, String owner) {
        return new ClaimRequest(key, fingerprint, leaseMillis, retentionMillis, owner);
    }

    private ClaimRequest longClaim(String key, String owner) {
        return claim(key, null, longMillis(), longMillis(), owner);
    }

    private ClaimResult.Acquired acquire(ClaimRequest request) {
        return assertKind(store.claim(request), ClaimResult.Acquired.class);
    }

    private CompleteResult.Stored completeStored(String key, long token, byte[] result, long retentionMillis) {
        return assertKind(store.complete(new CompleteRequest(key, token, result, retentionMillis)),
                CompleteResult.Stored.class);
    }

    /** Claims a new key and completes it with {@code result}, kept for {@code retentionMillis}. */
    private void completeNew(String key, byte[] result, long retentionMillis) {
        ClaimResult.Acquired holder = acquire(longClaim(key, OWNER_A));
        completeStored(key, holder.fencingToken(), result, retentionMillis);
    }

    /** Claims and releases a key, and returns the token that is stale from then on. */
    private long releasedToken(String key) {
        ClaimResult.Acquired first = acquire(longClaim(key, OWNER_A));
        assertThat(store.release(key, first.fencingToken())).as("release by the first holder").isTrue();
        return first.fencingToken();
    }

    /** Completes a new key with a short retention, waits until it expired, and returns its token. */
    private long expireCompletedRecord(String key) {
        // The long lease keeps a slow complete from finding the record already expired.
        ClaimResult.Acquired holder = acquire(longClaim(key, OWNER_A));
        completeStored(key, holder.fencingToken(), RESULT_A, shortMillis());
        awaitAbsent(key);
        return holder.fencingToken();
    }

    private IdempotencyRecord getRecord(String key) {
        Optional<IdempotencyRecord> record = store.get(key);
        assertThat(record).as("record of key %s", key).isPresent();
        return record.get();
    }

    private ConditionFactory awaitStore(String condition) {
        return Awaitility.await(condition)
                .atMost(options.awaitTimeout())
                .pollDelay(Duration.ZERO)
                .pollInterval(options.pollInterval());
    }

    private void awaitAbsent(String key) {
        awaitStore("expiry of key " + key).until(() -> store.get(key).isEmpty());
    }

    /** Claims with {@code probe} until a result meets {@code stop}, and returns every result in order. */
    private List<ClaimResult> claimUntil(ClaimRequest probe, String condition, Predicate<ClaimResult> stop) {
        // Awaitility polls on its own thread, so the list must be safe to share.
        List<ClaimResult> seen = new CopyOnWriteArrayList<>();
        awaitStore(condition + " for key " + probe.key()).until(() -> {
            ClaimResult result = store.claim(probe);
            seen.add(result);
            return stop.test(result);
        });
        return new ArrayList<>(seen);
    }

    /** Claims until the store's clock is past {@code time}, stopping early if a claim acquires the key. */
    private List<ClaimResult> claimUntilStorePasses(ClaimRequest probe, long time) {
        return claimUntil(probe, "store clock past " + time,
                result -> result instanceof ClaimResult.Acquired || result.now() > time);
    }

    /** Claims until a result is anything but an in-progress record with a live lease. */
    private List<ClaimResult> claimUntilLeaseEnds(ClaimRequest probe) {
        return claimUntil(probe, "end of the lease", result -> !(result instanceof ClaimResult.InProgress inProgress)
                || inProgress.now() >= inProgress.record().leaseExpiresAt());
    }

    private ClaimResult.Acquired acquireAfterLeaseEnds(ClaimRequest request) {
        return assertKind(last(claimUntilLeaseEnds(request)), ClaimResult.Acquired.class);
    }

    /** Asserts that two keys are claimed, completed and replayed each on its own. */
    private void assertIndependent(String key, String similar) {
        ClaimResult.Acquired first = acquire(longClaim(key, OWNER_A));
        ClaimResult.Acquired second = acquire(longClaim(similar, OWNER_B));
        completeStored(key, first.fencingToken(), RESULT_A, longMillis());
        completeStored(similar, second.fencingToken(), RESULT_B, longMillis());

        IdempotencyRecord firstRecord = getRecord(key);
        IdempotencyRecord secondRecord = getRecord(similar);
        ClaimResult.Completed replay = assertKind(store.claim(longClaim(key, OWNER_C)), ClaimResult.Completed.class);

        assertThat(firstRecord.key()).as("key of the first record").isEqualTo(key);
        assertThat(firstRecord.result()).as("result of the first record").isEqualTo(RESULT_A);
        assertThat(secondRecord.key()).as("key of the similar record").isEqualTo(similar);
        assertThat(secondRecord.result()).as("result of the similar record").isEqualTo(RESULT_B);
        assertThat(replay.record().result()).as("replayed result").isEqualTo(RESULT_A);
    }

    /**
     * Builds a key under the test's prefix of exactly {@code utf8Bytes} UTF-8 bytes, with two-,
     * three- and four-byte characters, that ends in {@code last}.
     */
    private String keyOfUtf8Length(int utf8Bytes, char last) {
        int[] codePoints = {'к', '鍵', 0x1F511, 'x'};
        StringBuilder key = new StringBuilder(keyPrefix).append("long-");
        int remaining = utf8Bytes - key.toString().getBytes(StandardCharsets.UTF_8).length - 1;
        if (remaining < 0) {
            throw new IllegalArgumentException("A key of " + utf8Bytes + " bytes cannot hold the prefix " + keyPrefix);
        }

        for (int i = 0; remaining > 0; i++) {
            int codePoint = codePoints[i % codePoints.length];
            int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
            if (size > remaining) {
                codePoint = 'x';
                size = 1;
            }
            key.appendCodePoint(codePoint);
            remaining -= size;
        }
        return key.append(last).toString();
    }

    private void assertNearClientClock(String description, long storeNow, long clientBefore, long clientAfter) {
        assertThat(storeNow).as("%s within %s of the client's clock", description, options.maxClockSkew())
                .isBetween(clientBefore - skewMillis(), clientAfter + skewMillis());
    }

    private int purgeUntilNoneLeft() {
        // Other runs on a shared server may leave expired records too, so the loop is bounded.
        int purged = 0;
        for (int round = 0; round < 1_000; round++) {
            int count = store.purgeExpired(1_000);
            if (count == 0) {
                break;
            }
            purged += count;
        }
        return purged;
    }

    private void assertFinalRecords(ClaimRace.Outcome outcome) {
        for (String key : outcome.usedKeys()) {
            byte[] stored = outcome.storedResults().get(key);
            Optional<IdempotencyRecord> record = store.get(key);

            if (stored != null) {
                assertThat(record).as("record of completed key %s", key).isPresent();
                assertThat(record.get().result()).as("result of key %s", key).isEqualTo(stored);
            } else if (record.isPresent()) {
                assertThat(record.get().status()).as("status of never completed key %s", key)
                        .isEqualTo(RecordStatus.IN_PROGRESS);
            }
        }
    }

    private static ClaimResult last(List<ClaimResult> results) {
        return results.get(results.size() - 1);
    }

    private static <T> T assertKind(Object result, Class<T> kind) {
        assertThat(result).as("result kind").isInstanceOf(kind);
        return kind.cast(result);
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }
}
