package dev.idem.bench.cli;

import dev.idem.bench.BackendConnection;
import dev.idem.dynamodb.DynamoDbIdempotencyStore;
import dev.idem.jdbc.JdbcIdempotencyStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** Prints or applies the table definition a backend needs. */
@Command(name = "schema", description = "Prints the SQL DDL of the records table, or creates the table"
        + " (SQL or DynamoDB, with TTL) with --apply.")
final class SchemaCommand implements Callable<Integer> {

    @Mixin
    BackendOptions backend;

    @Option(names = "--apply", description = "Create the table (and its index, or its TTL on DynamoDB) when it is missing.")
    boolean apply;

    @Override
    public Integer call() {
        try (BackendConnection connection = backend.open(1)) {
            if (apply) {
                System.out.println(connection.createTableIfMissing());
            } else if (connection.store() instanceof JdbcIdempotencyStore sql) {
                System.out.println(sql.schemaDdl());
            } else if (connection.store() instanceof DynamoDbIdempotencyStore dynamo) {
                System.out.println("DynamoDB table " + dynamo.tableName() + ": partition key "
                        + dynamo.layout().partitionKey() + " (string), TTL on the number attribute " + dynamo.layout().ttl()
                        + ". Run with --apply to create it.");
            } else {
                System.out.println("The " + connection.backend() + " backend needs no schema.");
            }
            return 0;
        }
    }
}
