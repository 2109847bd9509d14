package dev.idem.bench.cli;

import dev.idem.bench.BackendConnection;
import dev.idem.jdbc.JdbcIdempotencyStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** Prints or applies the table definition a backend needs. */
@Command(name = "schema", description = "Prints the SQL DDL of the records table, or creates the table with --apply.")
final class SchemaCommand implements Callable<Integer> {

    @Mixin
    BackendOptions backend;

    @Option(names = "--apply", description = "Create the table and its index when they are missing.")
    boolean apply;

    @Override
    public Integer call() {
        try (BackendConnection connection = backend.open(1)) {
            if (!(connection.store() instanceof JdbcIdempotencyStore sql)) {
                System.out.println("The " + connection.backend() + " backend needs no schema.");
                return 0;
            }
            if (apply) {
                sql.createTableIfMissing();
                System.out.println("Table " + sql.table() + " is ready on " + connection.url() + ".");
            } else {
                System.out.println(sql.schemaDdl());
            }
            return 0;
        }
    }
}
