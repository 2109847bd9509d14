package dev.idem.bench.cli;

import dev.idem.Idem;
import dev.idem.bench.Backend;
import dev.idem.bench.BackendConnection;
import dev.idem.bench.CountingStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Measures what one backend sustains: for each concurrency level, the throughput and latency of
 * {@link Idem#execute} with a trivial action over the real store.
 */
@Command(name = "bench", description = {
        "Measures throughput and latency of Idem.execute on a backend at several concurrency levels.",
        "Progress goes to stderr once a second; the results table goes to stdout."})
final class BenchCommand implements Callable<Integer> {

    /** Default table of a benchmark's records, kept apart from the library's default table. */
    static final String DEFAULT_TABLE = "idem_bench";

    @Mixin
    BackendOptions backend;

    @Option(names = "--threads", paramLabel = "N[,N...]", split = ",", defaultValue = "1,8,32",
            description = "Concurrency levels to measure, one after another. Default: ${DEFAULT-VALUE}.")
    List<Integer> threads;

    @Option(names = "--duration", paramLabel = "TIME", defaultValue = "10s", converter = Durations.class,
            description = "Measured time per level, such as 10s or 2m. Default: ${DEFAULT-VALUE}.")
    Duration duration;

    @Option(names = "--warmup", paramLabel = "TIME", defaultValue = "3s", converter = Durations.class,
            description = "Unmeasured time before each level, for JIT compilation and connection set-up."
                    + " Default: ${DEFAULT-VALUE}.")
    Duration warmup;

    @Option(names = "--keys", paramLabel = "N", defaultValue = "1000000",
            description = "Key space: the most distinct keys each level creates; once they are used up every"
                    + " operation repeats one. Default: ${DEFAULT-VALUE}.")
    long keys;

    @Option(names = "--duplicate-ratio", paramLabel = "R", defaultValue = "0.1",
            description = "Share of operations, from 0 to 1, that repeat a key already used and so replay"
                    + " its stored result. Default: ${DEFAULT-VALUE}.")
    double duplicateRatio;

    @Option(names = "--result-size", paramLabel = "BYTES", defaultValue = "64",
            description = "Size of the result each action returns and the store keeps. Default: ${DEFAULT-VALUE}.")
    int resultSize;

    @Option(names = "--retention", paramLabel = "TIME", defaultValue = "10m", converter = Durations.class,
            description = "How long the run's records live. Redis deletes them after it, and their fencing-token"
                    + " counters a minute later; SQL rows stay until 'idem purge'. Default: ${DEFAULT-VALUE}.")
    Duration retention;

    @Option(names = "--pool-size", paramLabel = "N",
            description = "Connections in the Redis or JDBC pool. Default: the largest --threads level.")
    Integer poolSize;

    @Option(names = "--output", paramLabel = "FILE",
            description = "Also write the results to FILE, as CSV (.csv) or JSON (.json).")
    Path output;

    @Option(names = "--chart", paramLabel = "FILE",
            description = "Also draw throughput and p99 against concurrency into FILE, an SVG image (.svg).")
    Path chart;

    @Option(names = "--price-per-million-writes", paramLabel = "PRICE",
            description = "DynamoDB: the price of a million write request units, to estimate the cost of a"
                    + " million operations from the consumed capacity.")
    Double pricePerMillionWrites;

    @Option(names = "--price-per-million-reads", paramLabel = "PRICE",
            description = "DynamoDB: the price of a million read request units; reads are counted only"
                    + " when this is given.")
    Double pricePerMillionReads;

    @Option(names = "--namespace", paramLabel = "NAME", defaultValue = "idem-bench",
            description = "The namespace of the run's keys. Default: ${DEFAULT-VALUE}.")
    String namespace;

    @Override
    public Integer call() throws InterruptedException, IOException {
        validate();
        int pool = poolSize != null ? poolSize : threads.stream().mapToInt(Integer::intValue).max().orElse(1);

        try (BackendConnection connection = backend.open(pool, DEFAULT_TABLE)) {
            if (connection.backend().isSql() || connection.backend() == Backend.DYNAMODB) {
                System.err.println(connection.createTableIfMissing());
            }
            CountingStore store = new CountingStore(connection.store(), connection.backend());
            Idem idem = Idem.builder(store).namespace(namespace).retention(retention).build();

            String settings = describeSettings(connection);
            System.out.println("idem bench: " + (connection.backend() == Backend.MEMORY
                    ? "memory (in process)" : connection.backend() + " at " + connection.url()));
            System.out.println(settings);
            System.out.println(describeRecords(connection));
            LoadGenerator generator = new LoadGenerator(idem, store, connection.capacity(),
                    new LoadGenerator.Settings(duration, warmup, keys, duplicateRatio, resultSize,
                            pricePerMillionWrites, pricePerMillionReads), System.err);

            List<LevelResult> results = new ArrayList<>();
            for (int level : threads) {
                results.add(generator.run(level, connection.poolSize()));
            }

            System.out.println();
            ReportWriter.printTable(System.out, results);
            printBackendNotes(connection);
            printKeySpaceNote(results);
            writeFiles(connection.backend(), settings, results);
            return checkErrors(results);
        }
    }

    /** Prints where the run writes its records and how long they stay, because they outlive the run. */
    private String describeRecords(BackendConnection connection) {
        String retained = "they expire after " + Durations.format(retention);
        return switch (connection.backend()) {
            case MEMORY -> "records: in this process only";
            case REDIS -> "records: keys in namespace " + namespace + "; " + retained
                    + ", and their token counters a minute later";
            case DYNAMODB -> "records: " + connection.describeTable() + " (created when missing); " + retained
                    + ", and DynamoDB's TTL deletes them later";
            default -> "records: " + connection.describeTable() + " (created when missing); " + retained
                    + ", and the rows stay until 'idem purge'";
        };
    }

    /** Warns when a level ran out of new keys, because its later operations were all replays. */
    private void printKeySpaceNote(List<LevelResult> results) {
        for (LevelResult result : results) {
            if (result.executed() >= keys) {
                System.out.printf(Locale.ROOT, "key space: the %d-thread level used up all %,d keys, so its later"
                        + " operations replayed completed records. Raise --keys to measure first claims.%n",
                        result.threads(), keys);
            }
        }
    }

    /**
     * Returns the exit code: failed when every operation of a level failed, since its figures
     * then measure errors, not the store. A run with some errors still succeeds, with a warning.
     */
    private static int checkErrors(List<LevelResult> results) {
        for (LevelResult result : results) {
            if (result.operations() > 0 && result.errors() == result.operations()) {
                System.err.println("idem bench failed: every operation at " + result.threads() + " threads failed,"
                        + " so the figures above measure errors, not the store. First error: " + result.firstError());
                return IdemCli.FAILED;
            }
        }
        long errors = results.stream().mapToLong(LevelResult::errors).sum();
        if (errors > 0) {
            System.err.println("warning: " + errors + " operations failed; see the first error of each level above.");
        }
        return 0;
    }

    private void validate() {
        if (threads.isEmpty() || threads.stream().anyMatch(level -> level < 1)) {
            throw new IllegalArgumentException("--threads must list levels of at least 1, got " + threads);
        }
        if (duration.isZero()) {
            throw new IllegalArgumentException("--duration must be positive, got " + Durations.format(duration));
        }
        if (keys < 1) {
            throw new IllegalArgumentException("--keys must be at least 1, got " + keys);
        }
        if (duplicateRatio < 0 || duplicateRatio > 1) {
            throw new IllegalArgumentException("--duplicate-ratio must be between 0 and 1, got " + duplicateRatio);
        }
        if (resultSize < 0) {
            throw new IllegalArgumentException("--result-size must be zero or positive, got " + resultSize);
        }
        if (retention.isZero()) {
            throw new IllegalArgumentException("--retention must be positive, got " + Durations.format(retention));
        }
        if ((pricePerMillionWrites != null && pricePerMillionWrites < 0)
                || (pricePerMillionReads != null && pricePerMillionReads < 0)) {
            throw new IllegalArgumentException("--price-per-million-writes and --price-per-million-reads must be"
                    + " zero or positive");
        }
        if (poolSize != null && poolSize < 1) {
            throw new IllegalArgumentException("--pool-size must be at least 1, got " + poolSize);
        }
        // The files are written after the run, so their names are checked before it starts.
        if (output != null) {
            ReportWriter.formatOf(output);
            requireDirectory("--output", output);
        }
        if (chart != null) {
            if (!chart.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".svg")) {
                throw new IllegalArgumentException("--chart writes an SVG image, so its file name must end in .svg,"
                        + " got " + chart);
            }
            requireDirectory("--chart", chart);
        }
    }

    private static void requireDirectory(String option, Path file) {
        Path directory = file.toAbsolutePath().getParent();
        if (directory != null && !Files.isDirectory(directory)) {
            throw new IllegalArgumentException(option + " " + file + ": the directory " + directory
                    + " does not exist; create it first or choose another path.");
        }
    }

    private String describeSettings(BackendConnection connection) {
        return String.format(Locale.ROOT,
                "duration %s, warmup %s, key space %,d, duplicate ratio %.2f, result %d bytes, pool %s,"
                        + " %d cores",
                Durations.format(duration), Durations.format(warmup), keys, duplicateRatio, resultSize,
                connection.poolSize() == 0 ? "none"
                        : connection.poolSize() + (connection.poolSize() == 1 ? " connection" : " connections"),
                Runtime.getRuntime().availableProcessors());
    }

    private static void printBackendNotes(BackendConnection connection) {
        Backend backend = connection.backend();
        System.out.println();
        System.out.println("calls/op: store calls per operation, counted by a decorator around the store.");
        System.out.println("round trips: derived from calls/op with the " + backend + " store's documented cost"
                + " per call (claim " + backend.roundTripsPerAcquiringClaim() + ", duplicate "
                + backend.roundTripsPerDuplicateClaim() + ", complete " + backend.roundTripsPerComplete() + ").");
        if (backend.isSql()) {
            System.out.println("connection pool: " + connection.poolSize() + " connections (HikariCP).");
        }
        if (backend == Backend.DYNAMODB) {
            System.out.println("connection pool: " + connection.poolSize() + " HTTP connections (Apache client).");
            System.out.println("consumed capacity: read from ReturnConsumedCapacity on successful requests. A claim"
                    + " refused by its condition (a duplicate) returns no capacity, so it is missing here although"
                    + " DynamoDB bills it as a write; a local emulator may report no capacity at all.");
            System.out.println("round trips on an emulator: dynalite does not return the item of a refused claim,"
                    + " so there each duplicate costs a second request (a GetItem) that the count above leaves out.");
        } else {
            System.out.println("consumed capacity: not available, the " + backend + " backend has no request units.");
        }
        if (backend == Backend.MEMORY) {
            System.out.println("The in-memory store is neither durable nor shared: these figures are the"
                    + " core's own cost, not a server's capacity.");
        }
    }

    private void writeFiles(Backend backendUsed, String settings, List<LevelResult> results) throws IOException {
        if (output != null) {
            ReportWriter.write(output, backendUsed.cliName(), results);
            System.out.println("Wrote " + output);
        }
        if (chart != null) {
            String subtitle = settings.substring(0, settings.indexOf(", pool"));
            Files.writeString(chart, SvgChart.render(backendUsed.cliName(), subtitle, results), StandardCharsets.UTF_8);
            System.out.println("Wrote " + chart);
        }
    }
}
