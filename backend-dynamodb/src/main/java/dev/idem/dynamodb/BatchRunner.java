package dev.idem.dynamodb;

import dev.idem.BackendException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs a batch of operations with bounded concurrency, because DynamoDB has no conditional batch
 * write. Requests for one key run one after another in request order, so that a repeated key
 * sees the earlier request's effect; different keys run concurrently. Results come back in
 * request order.
 *
 * <p>On the async client at most {@code concurrency} keys are in flight at once. On the sync
 * client a pool of at most {@code concurrency} threads, created on first use and shut down by
 * {@link #close()}, sends them; its idle threads end after a minute.
 */
final class BatchRunner implements AutoCloseable {

    private static final AtomicInteger POOL_NUMBER = new AtomicInteger();

    private final StepRunner runner;
    private final int concurrency;
    private ThreadPoolExecutor executor;
    private boolean closed;

    BatchRunner(StepRunner runner, int concurrency) {
        this.runner = runner;
        this.concurrency = concurrency;
    }

    /**
     * Runs {@code operation} for every request and returns the results in request order.
     *
     * @throws BackendException the failure of the earliest failed request, with the others
     *                          suppressed, after every request has finished or failed
     */
    <R, T> List<T> run(String operationName, List<R> requests, Function<R, String> keyOf, Function<R, Step<T>> operation) {
        Object[] results = new Object[requests.size()];
        RuntimeException[] failures = new RuntimeException[requests.size()];
        List<List<Integer>> groups = groupByKey(requests, keyOf);

        if (groups.size() <= 1) {
            for (List<Integer> group : groups) {
                runGroup(group, requests, operation, results, failures);
            }
        } else if (runner.hasAsyncClient()) {
            runAsync(operationName, groups, requests, operation, results, failures);
        } else {
            runOnPool(operationName, groups, requests, operation, results, failures);
        }

        throwFirstFailure(failures);
        List<T> ordered = new ArrayList<>(results.length);
        for (Object result : results) {
            @SuppressWarnings("unchecked")
            T typed = (T) result;
            ordered.add(typed);
        }
        return ordered;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (executor != null) {
            executor.shutdown();
        }
    }

    private static <R> List<List<Integer>> groupByKey(List<R> requests, Function<R, String> keyOf) {
        Map<String, List<Integer>> indexesByKey = new LinkedHashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            indexesByKey.computeIfAbsent(keyOf.apply(requests.get(i)), key -> new ArrayList<>()).add(i);
        }
        return new ArrayList<>(indexesByKey.values());
    }

    /** Runs one key's requests in order on this thread; a failure skips the key's later requests. */
    private <R, T> void runGroup(List<Integer> group, List<R> requests, Function<R, Step<T>> operation,
                                 Object[] results, RuntimeException[] failures) {
        for (int index : group) {
            try {
                results[index] = runner.run(operation.apply(requests.get(index)));
            } catch (RuntimeException e) {
                failures[index] = e;
                return;
            }
        }
    }

    private <R, T> void runOnPool(String operationName, List<List<Integer>> groups, List<R> requests,
                                  Function<R, Step<T>> operation, Object[] results, RuntimeException[] failures) {
        ThreadPoolExecutor pool = executor();
        List<CompletableFuture<Void>> running = new ArrayList<>(groups.size());
        for (List<Integer> group : groups) {
            running.add(CompletableFuture.runAsync(() -> runGroup(group, requests, operation, results, failures), pool));
        }
        await(operationName, running);
    }

    private <R, T> void runAsync(String operationName, List<List<Integer>> groups, List<R> requests,
                                 Function<R, Step<T>> operation, Object[] results, RuntimeException[] failures) {
        Semaphore slots = new Semaphore(concurrency);
        List<CompletableFuture<Void>> running = new ArrayList<>(groups.size());

        for (List<Integer> group : groups) {
            try {
                slots.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                await(operationName, running);
                throw interrupted(operationName, e);
            }
            CompletableFuture<Void> chain = runGroupAsync(group, 0, requests, operation, results, failures);
            running.add(chain.whenComplete((ignored, error) -> slots.release()));
        }
        await(operationName, running);
    }

    /** Runs one key's requests from position {@code from} on, each after the previous one finished. */
    private <R, T> CompletableFuture<Void> runGroupAsync(List<Integer> group, int from, List<R> requests,
                                                         Function<R, Step<T>> operation, Object[] results,
                                                         RuntimeException[] failures) {
        if (from == group.size()) {
            return CompletableFuture.completedFuture(null);
        }
        int index = group.get(from);

        CompletableFuture<T> sent;
        try {
            sent = runner.runAsync(operation.apply(requests.get(index)));
        } catch (RuntimeException e) {
            failures[index] = e;
            return CompletableFuture.completedFuture(null);
        }

        return sent.handle((value, error) -> {
            if (error != null) {
                Throwable cause = StepRunner.unwrap(error);
                failures[index] = cause instanceof RuntimeException runtime ? runtime
                        : new IllegalStateException("The batch request failed", cause);
                return false;
            }
            results[index] = value;
            return true;
        }).thenCompose(succeeded -> succeeded
                ? runGroupAsync(group, from + 1, requests, operation, results, failures)
                : CompletableFuture.completedFuture(null));
    }

    private static void await(String operationName, List<CompletableFuture<Void>> running) {
        try {
            CompletableFuture.allOf(running.toArray(new CompletableFuture<?>[0])).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted(operationName, e);
        } catch (ExecutionException e) {
            // Each group stores its own failures, so an error here is a bug in this class.
            throw new IllegalStateException("A " + operationName + " batch failed outside its requests", e.getCause());
        }
    }

    private static BackendException interrupted(String operationName, InterruptedException e) {
        return new BackendException(DynamoDbIdempotencyStore.BACKEND, operationName, null, "the thread was interrupted"
                + " while the batch ran; requests already sent may have taken effect, so go through claim again", e);
    }

    private static void throwFirstFailure(RuntimeException[] failures) {
        RuntimeException first = null;
        for (RuntimeException failure : Arrays.asList(failures)) {
            if (failure == null) {
                continue;
            }
            if (first == null) {
                first = failure;
            } else if (failure != first) {
                first.addSuppressed(failure);
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private synchronized ThreadPoolExecutor executor() {
        if (closed) {
            throw new IllegalStateException("The DynamoDB store is closed");
        }
        if (executor == null) {
            int poolNumber = POOL_NUMBER.incrementAndGet();
            AtomicInteger threadNumber = new AtomicInteger();
            ThreadFactory threads = task -> {
                Thread thread = new Thread(task, "idem-dynamodb-batch-" + poolNumber + "-" + threadNumber.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            };
            executor = new ThreadPoolExecutor(concurrency, concurrency, 60, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), threads);
            executor.allowCoreThreadTimeOut(true);
        }
        return executor;
    }
}
