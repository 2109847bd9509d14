package dev.idem.bench.cli;

import dev.idem.Idem;
import dev.idem.InFlightException;
import dev.idem.bench.CapacityMeter;
import dev.idem.bench.CountingStore;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Drives {@link Idem#execute} from several threads for a fixed time and measures what the
 * callers see. Each operation either takes a key no operation of this run has used (the action
 * runs) or, with the duplicate ratio's probability, repeats a key an earlier operation used (a
 * replay). Each level and each warmup draws from a key space of its own, with a random prefix,
 * so that no level inherits another's records and runs never see each other's.
 */
final class LoadGenerator {

    private static final long NANOS_PER_MICRO = 1_000;

    private final Idem idem;
    private final CountingStore store;
    private final CapacityMeter capacity;
    private final Settings settings;
    private final PrintStream progress;
    private final byte[] result;

    /**
     * The load of each level.
     *
     * @param duration       measured time per level
     * @param warmup         unmeasured time per level before it, for JIT compilation and pool start-up
     * @param keySpace       the most distinct keys one level creates; after that every operation is a duplicate
     * @param duplicateRatio the share of operations, from 0 to 1, that repeat a key already used
     * @param resultSize     bytes of the result the action returns and the store keeps
     * @param writePrice     price of a million write request units, or {@code null}
     * @param readPrice      price of a million read request units, or {@code null}
     */
    record Settings(Duration duration, Duration warmup, long keySpace, double duplicateRatio, int resultSize,
                    Double writePrice, Double readPrice) {
    }

    /** Creates a generator; {@code capacity} is the DynamoDB meter, or {@code null} for other backends. */
    LoadGenerator(Idem idem, CountingStore store, CapacityMeter capacity, Settings settings, PrintStream progress) {
        this.idem = idem;
        this.store = store;
        this.capacity = capacity;
        this.settings = settings;
        this.progress = progress;
        this.result = new byte[settings.resultSize()];
        ThreadLocalRandom.current().nextBytes(result);
    }

    /** Runs one level: the warmup, then the measured time, printing a progress line each second. */
    LevelResult run(int threads, int poolSize) throws InterruptedException {
        if (!settings.warmup().isZero()) {
            progress.printf(Locale.ROOT, "threads=%d  warming up for %s%n", threads, Durations.format(settings.warmup()));
            drive(threads, settings.warmup(), new Recorder(3), new Counters(), false);
        }
        store.reset();
        if (capacity != null) {
            capacity.reset();
        }

        Recorder recorder = new Recorder(3);
        Counters counters = new Counters();
        long started = System.nanoTime();
        Histogram total = drive(threads, settings.duration(), recorder, counters, true);
        double seconds = (System.nanoTime() - started) / 1e9;

        long operations = total.getTotalCount();
        return new LevelResult(threads, seconds, operations,
                counters.executed.sum(), counters.replayed.sum(), counters.inFlight.sum(), counters.errors.sum(),
                micros(total.getValueAtPercentile(50)), micros(total.getValueAtPercentile(90)),
                micros(total.getValueAtPercentile(99)), micros(total.getValueAtPercentile(99.9)),
                micros(total.getMaxValue()),
                perOperation(store.calls(), operations), perOperation(store.roundTrips(), operations),
                poolSize, unitsPerOp(true, operations), unitsPerOp(false, operations), costPerMillion(operations),
                counters.firstError.get());
    }

    private Double unitsPerOp(boolean writes, long operations) {
        if (capacity == null || operations == 0) {
            return null;
        }
        return (writes ? capacity.writeUnits() : capacity.readUnits()) / operations;
    }

    private Double costPerMillion(long operations) {
        Double writes = unitsPerOp(true, operations);
        Double reads = unitsPerOp(false, operations);
        if (writes == null || (settings.writePrice() == null && settings.readPrice() == null)) {
            return null;
        }
        // Units per operation times a million operations, priced per million units: the millions cancel.
        double writeCost = settings.writePrice() == null ? 0 : writes * settings.writePrice();
        double readCost = settings.readPrice() == null ? 0 : reads * settings.readPrice();
        return writeCost + readCost;
    }

    private Histogram drive(int threads, Duration duration, Recorder recorder, Counters counters, boolean report)
            throws InterruptedException {
        KeySequence keys = new KeySequence(settings.keySpace(), settings.duplicateRatio());
        long deadline = System.nanoTime() + duration.toNanos();
        CountDownLatch done = new CountDownLatch(threads);
        List<Thread> workers = new ArrayList<>(threads);
        for (int i = 0; i < threads; i++) {
            Thread worker = new Thread(() -> {
                try {
                    while (System.nanoTime() < deadline) {
                        long start = System.nanoTime();
                        executeOnce(keys.next(), counters);
                        recorder.recordValue(System.nanoTime() - start);
                    }
                } finally {
                    done.countDown();
                }
            }, "idem-bench-" + i);
            worker.setDaemon(true);
            workers.add(worker);
        }
        workers.forEach(Thread::start);

        // Each second, fold the interval's latencies into the total and print them.
        Histogram total = new Histogram(3);
        long startedNanos = System.nanoTime();
        Histogram interval = null;
        while (!done.await(1, TimeUnit.SECONDS)) {
            interval = recorder.getIntervalHistogram(interval);
            total.add(interval);
            if (report) {
                printProgress(threads, startedNanos, duration, interval, counters);
            }
        }
        total.add(recorder.getIntervalHistogram(interval));
        return total;
    }

    private void executeOnce(String key, Counters counters) {
        try {
            if (idem.execute(key, null, byte[].class, () -> result).isReplay()) {
                counters.replayed.increment();
            } else {
                counters.executed.increment();
            }
        } catch (InFlightException e) {
            counters.inFlight.increment();
        } catch (RuntimeException e) {
            counters.errors.increment();
            counters.firstError.compareAndSet(null, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private void printProgress(int threads, long startedNanos, Duration duration, Histogram interval, Counters counters) {
        double elapsed = (System.nanoTime() - startedNanos) / 1e9;
        double seconds = interval.getEndTimeStamp() > interval.getStartTimeStamp()
                ? (interval.getEndTimeStamp() - interval.getStartTimeStamp()) / 1e3 : 1.0;
        progress.printf(Locale.ROOT, "threads=%d  %4.0f/%d s  %,10.0f ops/s  p99 %,9.1f us  errors %d%n",
                threads, elapsed, duration.toSeconds(), interval.getTotalCount() / seconds,
                micros(interval.getValueAtPercentile(99)), counters.errors.sum());
    }

    private static double micros(long nanos) {
        return (double) nanos / NANOS_PER_MICRO;
    }

    private static double perOperation(long count, long operations) {
        return operations == 0 ? 0 : (double) count / operations;
    }

    /** The keys of one level: new ones in order, and repeats of used ones at the duplicate ratio. */
    private static final class KeySequence {
        private final String prefix = UUID.randomUUID().toString().substring(0, 8) + "-";
        private final AtomicLong issued = new AtomicLong();
        private final long keySpace;
        private final double duplicateRatio;

        KeySequence(long keySpace, double duplicateRatio) {
            this.keySpace = keySpace;
            this.duplicateRatio = duplicateRatio;
        }

        String next() {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            long used = issued.get();
            long index;
            if (used > 0 && random.nextDouble() < duplicateRatio) {
                index = random.nextLong(Math.min(used, keySpace));
            } else {
                index = issued.getAndIncrement();
                if (index >= keySpace) {
                    index = random.nextLong(keySpace);
                }
            }
            return prefix + index;
        }
    }

    private static final class Counters {
        final LongAdder executed = new LongAdder();
        final LongAdder replayed = new LongAdder();
        final LongAdder inFlight = new LongAdder();
        final LongAdder errors = new LongAdder();
        final AtomicReference<String> firstError = new AtomicReference<>();
    }
}
