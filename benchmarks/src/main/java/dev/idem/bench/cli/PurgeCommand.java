package dev.idem.bench.cli;

import dev.idem.bench.BackendConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** Deletes expired records where the backend does not expire them by itself. */
@Command(name = "purge", description = "Deletes expired records from an SQL table; Redis expires its records itself.")
final class PurgeCommand implements Callable<Integer> {

    @Mixin
    BackendOptions backend;

    @Option(names = "--limit", paramLabel = "ROWS", defaultValue = "1000000",
            description = "The maximum number of rows to delete in this run. Default: ${DEFAULT-VALUE}.")
    int limit;

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new IllegalArgumentException("--limit must be at least 1, got " + limit);
        }
        backend.requireSharedBackend("purge");

        try (BackendConnection connection = backend.open(1)) {
            if (connection.store().capabilities().nativeExpiry()) {
                System.out.println("The " + connection.backend() + " backend deletes expired records by itself.");
                return 0;
            }

            // The store deletes in committed batches of its purge batch size until it finds no more rows or reaches the limit.
            int deleted = connection.store().purgeExpired(limit);
            System.out.println("Deleted " + deleted + " expired records from " + connection.describeTable() + ".");
            return 0;
        }
    }
}
