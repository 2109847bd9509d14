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

    @Option(names = "--table", paramLabel = "NAME", defaultValue = JdbcIdempotencyStore.DEFAULT_TABLE,
            description = "The SQL or DynamoDB table of the records. Default: ${DEFAULT-VALUE}.")
    String table;

    /** Returns the backend that {@code --backend} names, or that the URL's scheme implies. */
    Backend resolveBackend() {
        if (backend != null) {
            return Backend.parse(backend);
        }
        return url == null ? Backend.MEMORY : Backend.fromUrl(url);
    }

    /** Opens the backend with a pool of {@code poolSize} connections. */
    BackendConnection open(int poolSize) {
        return BackendConnection.open(resolveBackend(), url, table, poolSize);
    }
}
