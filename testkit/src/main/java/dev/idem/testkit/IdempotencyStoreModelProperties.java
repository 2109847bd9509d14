package dev.idem.testkit;

import dev.idem.spi.ClaimRequest;
import dev.idem.spi.ClaimResult;
import dev.idem.spi.CompleteRequest;
import dev.idem.spi.CompleteResult;
import dev.idem.spi.ExtendResult;
import dev.idem.spi.IdempotencyRecord;
import dev.idem.spi.IdempotencyStore;
import dev.idem.spi.RecordStatus;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterProperty;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A jqwik property that runs random operation sequences against the store and against a
 * sequential model, and asserts after every step that the store returned what the model expects.
 * A backend extends it in a few lines, as it extends {@link IdempotencyStoreContract}:
 *
 * <pre>{@code
 * class RedisStoreModelProperties extends IdempotencyStoreModelProperties {
 *
 *     @Override
 *     protected IdempotencyStore createStore() {
 *         return RedisIdempotencyStore.builder(jedis).build();
 *     }
 * }
 * }</pre>
 *
 * <p>Each sequence has up to {@value #MAX_STEPS} steps on {@value #KEYS} keys: claims with and
 * without a fingerprint, completes, releases and extensions with the current or a stale token,
 * reads, and batches. Leases and retention last {@link ContractOptions#longLease()}, so time
 * never decides an outcome. Every try uses keys under a fresh random prefix.
 *
 * <p>jqwik runs its own lifecycle, not Jupiter's, so {@code @BeforeAll} and {@code @AfterAll}
 * do nothing here. The store is created at the first try of the property and closed by an
 * {@code @AfterProperty} method, so {@link #createStore()} runs once per property method. When a
 * sequence fails, jqwik shrinks it and reports the shortest failing one.
 */
public abstract class IdempotencyStoreModelProperties {

    private static final int KEYS = 3;
    private static final int MAX_STEPS = 30;
    private static final String FINGERPRINT_A = "sha256:aaaa";
    private static final String FINGERPRINT_B = "sha256:bbbb";

    private IdempotencyStore store;
    private ContractOptions options;

    /**
     * Creates the store under test. Called once per property method, at its first try, so after
     * every lifecycle method of the subclass that prepares a server.
     */
    protected abstract IdempotencyStore createStore();

    /** Returns the options whose long lease and time tolerance the property uses, {@link ContractOptions#defaults()} unless overridden. */
    protected ContractOptions options() {
        return ContractOptions.defaults();
    }

    @AfterProperty
    protected final void closeStore() {
        if (store != null) {
            store.close();
            store = null;
        }
    }

    @Property(tries = 100)
    void storeMatchesModel(@ForAll("operations") List<ModelOperation> operations) {
        openStore();
        Run run = new Run("idem-model-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "-");

        for (int i = 0; i < operations.size(); i++) {
            run.apply(operations.get(i), "step " + (i + 1) + " " + operations.get(i));
        }
    }

    /**
     * Creates the store at the first try rather than in a {@code @BeforeProperty} method, so that
     * the subclass's own lifecycle methods have run by then, whatever order jqwik gives them.
     */
    private void openStore() {
        if (store != null) {
            return;
        }
        options = Objects.requireNonNull(options(), "options() returned null");
        store = Objects.requireNonNull(createStore(), "createStore() returned null");
    }

    @Provide
    Arbitrary<List<ModelOperation>> operations() {
        Arbitrary<Integer> keys = Arbitraries.integers().between(0, KEYS - 1);
        Arbitrary<String> fingerprints = Arbitraries.of(FINGERPRINT_A, FINGERPRINT_B).injectNull(0.34);
        Arbitrary<ModelOperation.TokenChoice> tokens = Arbitraries.of(ModelOperation.TokenChoice.class);
        Arbitrary<byte[]> results = Arbitraries.bytes().array(byte[].class).ofMaxSize(16);

        Arbitrary<ModelOperation.Claim> claims = Combinators.combine(keys, fingerprints).as(ModelOperation.Claim::new);
        Arbitrary<ModelOperation.Complete> completes =
                Combinators.combine(keys, tokens, results).as(ModelOperation.Complete::new);
        Arbitrary<ModelOperation.Release> releases = Combinators.combine(keys, tokens).as(ModelOperation.Release::new);
        Arbitrary<ModelOperation.Extend> extensions = Combinators.combine(keys, tokens).as(ModelOperation.Extend::new);
        Arbitrary<ModelOperation.Get> gets = keys.map(ModelOperation.Get::new);
        Arbitrary<ModelOperation.ClaimAll> claimBatches =
                claims.list().ofMinSize(1).ofMaxSize(4).map(ModelOperation.ClaimAll::new);
        Arbitrary<ModelOperation.CompleteAll> completeBatches = completes.list().ofMinSize(1).ofMaxSize(KEYS)
                .uniqueElements(ModelOperation.Complete::key).map(ModelOperation.CompleteAll::new);

        return Arbitraries.<ModelOperation>frequencyOf(
                        Tuple.of(6, claims),
                        Tuple.of(4, completes),
                        Tuple.of(2, releases),
                        Tuple.of(2, extensions),
                        Tuple.of(2, gets),
                        Tuple.of(1, claimBatches),
                        Tuple.of(1, completeBatches))
                .list().ofMinSize(1).ofMaxSize(MAX_STEPS);
    }

    /** One try: the model and the store keys of one sequence. */
    private final class Run {

        private final String keyPrefix;
        private final StoreModel model = new StoreModel();
        private int ownerNumber;

        Run(String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }

        void apply(ModelOperation operation, String step) {
            if (operation instanceof ModelOperation.Claim claim) {
                ClaimRequest request = request(claim);
                checkClaim(claim, request.owner(), store.claim(request), step);
            } else if (operation instanceof ModelOperation.ClaimAll batch) {
                claimAll(batch, step);
            } else if (operation instanceof ModelOperation.Complete complete) {
                checkComplete(complete, store.complete(request(complete)), step);
            } else if (operation instanceof ModelOperation.CompleteAll batch) {
                completeAll(batch, step);
            } else if (operation instanceof ModelOperation.Release release) {
                release(release, step);
            } else if (operation instanceof ModelOperation.Extend extend) {
                extend(extend, step);
            } else if (operation instanceof ModelOperation.Get get) {
                assertMatches(step, store.get(key(get.key())).orElse(null), get.key());
            } else {
                throw new IllegalStateException("Unknown operation " + operation);
            }
        }

        private void claimAll(ModelOperation.ClaimAll batch, String step) {
            List<ClaimRequest> requests = new ArrayList<>();
            for (ModelOperation.Claim claim : batch.claims()) {
                requests.add(request(claim));
            }

            List<ClaimResult> results = store.claimAll(requests);

            assertThat(results).as("%s: results", step).hasSize(requests.size());
            for (int i = 0; i < results.size(); i++) {
                checkClaim(batch.claims().get(i), requests.get(i).owner(), results.get(i), step + ", request " + (i + 1));
            }
        }

        private void completeAll(ModelOperation.CompleteAll batch, String step) {
            List<CompleteRequest> requests = new ArrayList<>();
            for (ModelOperation.Complete complete : batch.completes()) {
                requests.add(request(complete));
            }

            List<CompleteResult> results = store.completeAll(requests);

            assertThat(results).as("%s: results", step).hasSize(requests.size());
            for (int i = 0; i < results.size(); i++) {
                checkComplete(batch.completes().get(i), results.get(i), step + ", request " + (i + 1));
            }
        }

        private void checkClaim(ModelOperation.Claim claim, String owner, ClaimResult result, String step) {
            StoreModel.ModelRecord expected = model.record(claim.key()).orElse(null);

            if (expected == null) {
                ClaimResult.Acquired acquired = assertKind(step, result, ClaimResult.Acquired.class);
                assertThat(acquired.fencingToken()).as("%s: fencing token above every earlier one", step)
                        .isGreaterThan(model.highestToken(claim.key()));
                assertThat(acquired.takeover()).as("%s: takeover", step).isFalse();
                model.claimed(claim.key(), acquired.fencingToken(), claim.fingerprint(), owner, acquired.leaseExpiresAt());
            } else if (expected.status() == RecordStatus.IN_PROGRESS) {
                ClaimResult.InProgress inProgress = assertKind(step, result, ClaimResult.InProgress.class);
                assertMatches(step, inProgress.record(), claim.key());
            } else {
                ClaimResult.Completed completed = assertKind(step, result, ClaimResult.Completed.class);
                assertMatches(step, completed.record(), claim.key());
            }
        }

        private void checkComplete(ModelOperation.Complete complete, CompleteResult result, String step) {
            long token = model.token(complete.key(), complete.token());

            if (model.isHeldBy(complete.key(), token)) {
                assertKind(step, result, CompleteResult.Stored.class);
                model.completed(complete.key(), complete.result());
            } else {
                CompleteResult.Rejected rejected = assertKind(step, result, CompleteResult.Rejected.class);
                assertMatches(step, rejected.current(), complete.key());
            }
        }

        private void release(ModelOperation.Release release, String step) {
            long token = model.token(release.key(), release.token());
            boolean expected = model.isHeldBy(release.key(), token);

            boolean released = store.release(key(release.key()), token);

            assertThat(released).as("%s: released", step).isEqualTo(expected);
            if (released) {
                model.released(release.key());
            }
        }

        private void extend(ModelOperation.Extend extend, String step) {
            long token = model.token(extend.key(), extend.token());
            boolean held = model.isHeldBy(extend.key(), token);

            ExtendResult result = store.extend(key(extend.key()), token, leaseMillis());

            if (held) {
                ExtendResult.Extended extended = assertKind(step, result, ExtendResult.Extended.class);
                assertThat(extended.leaseExpiresAt()).as("%s: leaseExpiresAt", step)
                        .isCloseTo(extended.now() + leaseMillis(), within(options.timeTolerance().toMillis()));
                model.extended(extend.key(), extended.leaseExpiresAt());
            } else {
                ExtendResult.Rejected rejected = assertKind(step, result, ExtendResult.Rejected.class);
                assertMatches(step, rejected.current(), extend.key());
            }
        }

        /** Asserts that {@code actual}, which may be {@code null}, is the model's record of key {@code key}. */
        private void assertMatches(String step, IdempotencyRecord actual, int key) {
            StoreModel.ModelRecord expected = model.record(key).orElse(null);
            if (expected == null) {
                assertThat(actual).as("%s: record of key %d", step, key).isNull();
                return;
            }

            assertThat(actual).as("%s: record of key %d", step, key).isNotNull();
            assertThat(actual.key()).as("%s: key", step).isEqualTo(key(key));
            assertThat(actual.status()).as("%s: status", step).isEqualTo(expected.status());
            assertThat(actual.fencingToken()).as("%s: fencing token", step).isEqualTo(expected.fencingToken());
            assertThat(actual.fingerprint()).as("%s: fingerprint", step).isEqualTo(expected.fingerprint());
            assertThat(actual.owner()).as("%s: owner", step).isEqualTo(expected.owner());
            assertThat(actual.result()).as("%s: result", step).isEqualTo(expected.result());
            assertThat(actual.leaseExpiresAt()).as("%s: leaseExpiresAt", step).isEqualTo(expected.leaseExpiresAt());
        }

        private ClaimRequest request(ModelOperation.Claim claim) {
            ownerNumber++;
            String owner = "model-owner-" + ownerNumber;
            return new ClaimRequest(key(claim.key()), claim.fingerprint(), leaseMillis(), leaseMillis(), owner);
        }

        private CompleteRequest request(ModelOperation.Complete complete) {
            long token = model.token(complete.key(), complete.token());
            return new CompleteRequest(key(complete.key()), token, complete.result().clone(), leaseMillis());
        }

        private String key(int index) {
            return keyPrefix + "key-" + index;
        }

        private long leaseMillis() {
            return options.longLease().toMillis();
        }
    }

    private static <T> T assertKind(String step, Object result, Class<T> kind) {
        assertThat(result).as("%s: result kind", step).isInstanceOf(kind);
        return kind.cast(result);
    }
}
