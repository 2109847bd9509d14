package dev.idem.bench.cli;

import dev.idem.bench.Backend;
import dev.idem.bench.BackendConnection;
import dev.idem.jdbc.JdbcIdempotencyStore;
import picocli.CommandLine.Option;

/** The options that pick and reach a backend, shared by every subcommand. */
final class BackendOptions {

    @Option(names = "--backend", paramLabel = "NAME",
            description = "memory, redis, postgresql, mariadb, h2 or dynamodb. Default: taken from --url,"
                    + " or memory (the embedded in-process store) when no URL is given.")
    String backend;

    @Option(names = "--url", paramLabel = "URL",
            description = "The server: redis://host:6379, jdbc:postgresql://host:5432/db?user=u,"
                    + " jdbc:mariadb://host:3306/db?user=u, jdbc:h2:... or a DynamoDB endpoint such as"
                    + " http://127.0.0.1:8000. Default for redis: "
                    + BackendConnection.DEFAULT_REDIS_URL + "; for h2: a private in-memory database; for dynamodb:"
                    + " the region's endpoint, with the SDK's region and credentials.")
    String url;

    @Option(names = "--table", paramLabel = "NAME",
            description = "The SQL or DynamoDB table of the records. Default: " + JdbcIdempotencyStore.DEFAULT_TABLE
                    + ", the library's own default; for idem bench: " + BenchCommand.DEFAULT_TABLE + ".")
    String table;

    /** Returns the backend that {@code --backend} names, or that the URL's scheme implies. */
    Backend resolveBackend() {
        if (backend != null) {
            return Backend.parse(backend);
        }
        return url == null ? Backend.MEMORY : Backend.fromUrl(url);
    }

    /** Opens the backend with a pool of {@code poolSize} connections, on the application's table by default. */
    BackendConnection open(int poolSize) {
        return open(poolSize, JdbcIdempotencyStore.DEFAULT_TABLE);
    }

    /** Opens the backend with a pool of {@code poolSize} connections, on {@code defaultTable} unless --table is given. */
    BackendConnection open(int poolSize, String defaultTable) {
        return BackendConnection.open(resolveBackend(), url, table != null ? table : defaultTable, poolSize);
    }

    /**
     * Rejects the in-memory store for a command that reads existing records, because that store
     * lives inside one process and this command would see a new, empty one.
     */
    void requireSharedBackend(String command) {
        if (resolveBackend() == Backend.MEMORY) {
            throw new IllegalArgumentException("idem " + command + " needs --url (or --backend) to reach the"
                    + " application's records: the in-memory store lives inside one process, so this command would"
                    + " only see a new, empty one. For example --url jdbc:postgresql://127.0.0.1:5432/app?user=app");
        }
    }
}
