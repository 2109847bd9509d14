package dev.idem.testkit;

import dev.idem.spi.ClaimRequest;
import dev.idem.spi.ClaimResult;
import dev.idem.spi.CompleteRequest;
import dev.idem.spi.CompleteResult;
import dev.idem.spi.IdempotencyRecord;
import dev.idem.spi.IdempotencyStore;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Races threads that claim, complete and release a few shared keys, and records each broken
 * invariant as a violation instead of throwing, so that one report lists every one of them.
 *
 * <p>Each of the {@value #SLOTS} slots names a key. When a thread finds that slot's key completed,
 * it moves the slot on to a fresh key, so the threads keep racing for the whole run instead of
 * only reading replays once every key has completed.
 */
final class ClaimRace {

    /** Behaviour of the holders in a run. */
    enum Mode {
        /** Leases outlive the run, so every holder's complete or release must succeed. */
        LONG_LEASES,
        /** Short leases, and some holders stall until another thread takes their key over, then complete. */
        STALLED_HOLDERS
    }

    /**
     * Observations of one run.
     *
     * @param violations      every broken invariant, at most {@value #MAX_VIOLATIONS}
     * @param storedResults   per key, the result of the one complete that returned {@code Stored}
     * @param usedKeys        every key that a thread claimed
     * @param acquisitions    claims that returned {@code Acquired}
     * @param takeovers       claims that returned {@code Acquired} with {@code takeover=true}
     * @param releases        successful releases
     * @param rejectedStalls  completes of stalled holders that the store rejected after a takeover
     */
    record Outcome(List<String> violations, Map<String, byte[]> storedResults, Set<String> usedKeys,
                   int acquisitions, int takeovers, int releases, int rejectedStalls) {
    }

    private static final int SLOTS = 4;
    private static final int MAX_VIOLATIONS = 100;
    private static final int MAX_ITERATIONS_PER_THREAD = 1_000_000;

    private final IdempotencyStore store;
    private final ContractOptions options;
    private final String keyPrefix;
    private final long leaseMillis;
    private final long retentionMillis;
    private final Duration runTime;

    private final AtomicIntegerArray generations = new AtomicIntegerArray(SLOTS);
    private final ConcurrentHashMap<String, Long> holders = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> lastTokens = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, byte[]> storedResults = new ConcurrentHashMap<>();
    private final Set<String> usedKeys = ConcurrentHashMap.newKeySet();
    private final Queue<String> violations = new ConcurrentLinkedQueue<>();
    private final AtomicInteger violationCount = new AtomicInteger();
    private final AtomicInteger acquisitions = new AtomicInteger();
    private final AtomicInteger takeovers = new AtomicInteger();
    private final AtomicInteger releases = new AtomicInteger();
    private final AtomicInteger rejectedStalls = new AtomicInteger();

    private final Mode mode;
    private volatile long deadlineNanos;

    ClaimRace(IdempotencyStore store, ContractOptions options, String keyPrefix, Mode mode) {
        this.store = store;
        this.options = options;
        this.keyPrefix = keyPrefix;
        this.mode = mode;
        this.retentionMillis = options.longLease().toMillis();
        if (mode == Mode.LONG_LEASES) {
            this.leaseMillis = options.longLease().toMillis();
            this.runTime = options.fuzzDuration();
        } else {
            this.leaseMillis = options.shortLease().toMillis();
            // Stalls last a lease each, so a slow backend with a raised short lease still gets several.
            Duration fiveLeases = options.shortLease().multipliedBy(5);
            this.runTime = fiveLeases.compareTo(options.fuzzDuration()) > 0 ? fiveLeases : options.fuzzDuration();
        }
    }

    /**
     * Runs {@link ContractOptions#fuzzThreads()} threads until the run time is over, and returns
     * what they observed.
     *
     * @throws AssertionError when a thread threw or the threads did not stop in time
     */
    Outcome run() throws InterruptedException {
        int threads = options.fuzzThreads();
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads,
                runnable -> new Thread(runnable, "idem-claim-race-" + threadNumber.incrementAndGet()));
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> workers = new ArrayList<>();

        try {
            for (int i = 0; i < threads; i++) {
                String owner = "race-owner-" + i;
                workers.add(pool.submit(() -> {
                    start.await();
                    race(owner);
                    return null;
                }));
            }

            deadlineNanos = System.nanoTime() + runTime.toNanos();
            start.countDown();
            awaitWorkers(workers);
        } finally {
            pool.shutdownNow();
        }

        return new Outcome(List.copyOf(violations), Map.copyOf(storedResults), Set.copyOf(usedKeys),
                acquisitions.get(), takeovers.get(), releases.get(), rejectedStalls.get());
    }

    private void awaitWorkers(List<Future<?>> workers) throws InterruptedException {
        // A stalled holder may still wait for a takeover after the run time, for at most the await timeout.
        long limitNanos = System.nanoTime() + runTime.plus(options.awaitTimeout()).plusSeconds(30).toNanos();
        for (Future<?> worker : workers) {
            try {
                worker.get(Math.max(0, limitNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw new AssertionError("A racing thread failed: " + e.getCause(), e.getCause());
            } catch (TimeoutException e) {
                throw new AssertionError("The racing threads did not stop within " + runTime + " plus the await timeout");
            }
        }
    }

    private void race(String owner) {
        ThreadLocalRandom random = ThreadLocalRandom.current();

        for (int i = 0; i < MAX_ITERATIONS_PER_THREAD && System.nanoTime() < deadlineNanos; i++) {
            int slot = random.nextInt(SLOTS);
            int generation = generations.get(slot);
            String key = keyPrefix + "slot" + slot + "-gen" + generation;
            usedKeys.add(key);

            ClaimResult result = store.claim(new ClaimRequest(key, null, leaseMillis, retentionMillis, owner));
            if (result instanceof ClaimResult.Acquired acquired) {
                onAcquired(key, acquired, resultOf(owner, i), random);
            } else if (result instanceof ClaimResult.Completed completed) {
                checkReplay(key, completed.record(), random);
                generations.compareAndSet(slot, generation, generation + 1);
            } else if (mode == Mode.STALLED_HOLDERS) {
                // A duplicate backs off briefly, as a real caller would, so that many threads do not
                // spin on two cores for the whole lease. The pause decides nothing.
                LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
            }
        }
    }

    private void onAcquired(String key, ClaimResult.Acquired acquired, byte[] result, ThreadLocalRandom random) {
        long token = acquired.fencingToken();
        acquisitions.incrementAndGet();
        if (acquired.takeover()) {
            takeovers.incrementAndGet();
        }
        checkTokenIncreases(key, token);

        if (mode == Mode.LONG_LEASES) {
            holdWithLongLease(key, token, result, random);
        } else if (random.nextInt(4) == 0) {
            stallThenComplete(key, token, result);
        } else {
            completeOrRelease(key, token, result, random);
        }
    }

    private void holdWithLongLease(String key, long token, byte[] result, ThreadLocalRandom random) {
        Long otherHolder = holders.putIfAbsent(key, token);
        if (otherHolder != null) {
            violation("two holders of key " + key + ": token " + token + " acquired while token "
                    + otherHolder + " still held a live lease");
            return;
        }

        // The read is the holder's work: it must see its own claim, and it keeps the lease held
        // long enough for a second holder, if the store let one in, to collide in the map.
        IdempotencyRecord seen = store.get(key).orElse(null);
        if (seen == null || seen.fencingToken() != token || seen.isCompleted()) {
            violation("holder of key " + key + " with token " + token + " read another record: " + seen);
        }

        // The holder leaves the map before it lets go, because a new holder may appear right after.
        if (!holders.remove(key, token)) {
            violation("holder entry of key " + key + " with token " + token + " was replaced while held");
        }

        if (random.nextInt(10) == 0) {
            CompleteResult outcome = store.complete(new CompleteRequest(key, token, result, retentionMillis));
            if (outcome instanceof CompleteResult.Stored) {
                recordStored(key, result);
            } else {
                violation("complete of key " + key + " with token " + token
                        + " was rejected although its lease was live: " + outcome);
            }
        } else if (store.release(key, token)) {
            releases.incrementAndGet();
        } else {
            violation("release of key " + key + " with token " + token + " returned false although its lease was live");
        }
    }

    private void completeOrRelease(String key, long token, byte[] result, ThreadLocalRandom random) {
        if (random.nextInt(5) == 0) {
            if (store.release(key, token)) {
                releases.incrementAndGet();
            }
            return;
        }

        CompleteResult outcome = store.complete(new CompleteRequest(key, token, result, retentionMillis));
        if (outcome instanceof CompleteResult.Stored) {
            recordStored(key, result);
        } else if (outcome instanceof CompleteResult.Rejected rejected) {
            // Under load a short lease can end before the holder completes, and then another token must own the key.
            IdempotencyRecord current = rejected.current();
            if (current != null && current.fencingToken() == token) {
                violation("complete of key " + key + " with token " + token
                        + " was rejected while the record still carries that token: " + current);
            }
        }
    }

    private void stallThenComplete(String key, long token, byte[] result) {
        boolean takenOver = awaitTakeover(key, token);

        CompleteResult outcome = store.complete(new CompleteRequest(key, token, result, retentionMillis));
        if (!takenOver) {
            // No thread took the key over before the run ended, so the stalled holder may still complete.
            if (outcome instanceof CompleteResult.Stored) {
                recordStored(key, result);
            }
            return;
        }

        if (outcome instanceof CompleteResult.Stored) {
            violation("stalled holder of key " + key + " with token " + token
                    + " completed after another caller took the key over");
        } else {
            rejectedStalls.incrementAndGet();
        }
    }

    /** Waits until another token owns the key, the record is gone, or the run is over. */
    private boolean awaitTakeover(String key, long token) {
        try {
            Awaitility.await()
                    .pollInSameThread()
                    .pollDelay(Duration.ZERO)
                    .pollInterval(options.pollInterval())
                    .atMost(options.shortLease().plus(options.awaitTimeout()))
                    .until(() -> isTakenOver(key, token) || System.nanoTime() > deadlineNanos);
        } catch (ConditionTimeoutException e) {
            violation("key " + key + " with expired token " + token + " was not taken over within "
                    + options.awaitTimeout() + " although other threads kept claiming it");
            return false;
        }
        return isTakenOver(key, token);
    }

    private boolean isTakenOver(String key, long token) {
        return store.get(key).map(record -> record.fencingToken() != token).orElse(true);
    }

    private void checkReplay(String key, IdempotencyRecord record, ThreadLocalRandom random) {
        byte[] expected = storedResults.get(key);
        if (expected != null && !Arrays.equals(expected, record.result())) {
            violation("replay of key " + key + " returned a result other than the one stored by the successful complete");
        }

        // Now and then a late duplicate completion presents the winning token, which must never store anything.
        if (random.nextInt(4) == 0) {
            byte[] late = "late-completion".getBytes(StandardCharsets.UTF_8);
            CompleteResult outcome = store.complete(
                    new CompleteRequest(key, record.fencingToken(), late, retentionMillis));
            if (outcome instanceof CompleteResult.Stored) {
                violation("a second complete of completed key " + key + " with token "
                        + record.fencingToken() + " was stored");
            }
        }
    }

    private void checkTokenIncreases(String key, long token) {
        lastTokens.compute(key, (k, previous) -> {
            if (previous != null && token <= previous) {
                violation("fencing token of key " + key + " went from " + previous + " to " + token);
            }
            return previous == null ? token : Math.max(previous, token);
        });
    }

    private void recordStored(String key, byte[] result) {
        if (storedResults.putIfAbsent(key, result) != null) {
            violation("a second complete of key " + key + " returned Stored");
        }
    }

    private void violation(String message) {
        if (violationCount.incrementAndGet() <= MAX_VIOLATIONS) {
            violations.add(message);
        }
    }

    private static byte[] resultOf(String owner, int iteration) {
        return (owner + "-result-" + iteration).getBytes(StandardCharsets.UTF_8);
    }
}
