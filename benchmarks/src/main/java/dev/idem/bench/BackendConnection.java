package dev.idem.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.idem.dynamodb.DynamoDbIdempotencyStore;
import dev.idem.dynamodb.DynamoDbTables;
import dev.idem.jdbc.JdbcIdempotencyStore;
import dev.idem.memory.InMemoryIdempotencyStore;
import dev.idem.redis.RedisIdempotencyStore;
import dev.idem.spi.IdempotencyStore;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A store on one backend together with the client it runs over. The benchmarks send their raw
 * client operations through {@link #redis()} or {@link #dataSource()}, the same connection pool
 * that the store uses, so that both sides pay for the same connections.
 */
public final class BackendConnection implements AutoCloseable {

    /** The Redis URL used when {@code --backend redis} is given without a URL, as redis-cli does. */
    public static final String DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

    /** How long a Redis token counter outlives its record in a benchmark run. */
    static final Duration BENCH_TOKEN_RETENTION = Duration.ofMinutes(1);

    /** A private in-process H2 database, used when {@code --backend h2} is given without a URL. */
    public static final String DEFAULT_H2_URL = "jdbc:h2:mem:idem;DB_CLOSE_DELAY=-1";

    private static final Pattern PASSWORD_IN_URL = Pattern.compile("(?i)(://[^:/@]*:)[^@]*@|(password=)[^&;]*");

    private final Backend backend;
    private final String url;
    private final IdempotencyStore store;
    private final UnifiedJedis redis;
    private final HikariDataSource dataSource;
    private final DynamoDbClient dynamoDb;
    private final CapacityMeter capacity;
    private final int poolSize;

    private BackendConnection(Backend backend, String url, IdempotencyStore store, UnifiedJedis redis,
                              HikariDataSource dataSource, DynamoDbClient dynamoDb, CapacityMeter capacity,
                              int poolSize) {
        this.backend = backend;
        this.url = url;
        this.store = store;
        this.redis = redis;
        this.dataSource = dataSource;
        this.dynamoDb = dynamoDb;
        this.capacity = capacity;
        this.poolSize = poolSize;
    }

    /**
     * Opens a store on {@code backend}.
     *
     * @param url      the server's URL; {@code null} picks the backend's default where it has one
     * @param table    the SQL table, ignored by other backends
     * @param poolSize connections in the Redis or JDBC pool, ignored by the in-memory store
     * @throws IllegalArgumentException when the URL is missing or does not fit the backend
     */
    public static BackendConnection open(Backend backend, String url, String table, int poolSize) {
        Objects.requireNonNull(backend, "backend");
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be at least 1, got " + poolSize);
        }

        return switch (backend) {
            case MEMORY -> new BackendConnection(backend, "in-process", InMemoryIdempotencyStore.create(),
                    null, null, null, null, 0);
            case REDIS -> openRedis(url == null ? DEFAULT_REDIS_URL : url, poolSize);
            case POSTGRESQL, MARIADB, H2 -> openSql(backend, url, table, poolSize);
            case DYNAMODB -> openDynamoDb(url, table, poolSize);
        };
    }

    private static BackendConnection openRedis(String url, int poolSize) {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(poolSize);
        pool.setMaxIdle(poolSize);
        UnifiedJedis client = RedisClient.builder().fromURI(url).poolConfig(pool).build();
        try {
            // A Redis client connects lazily, so a wrong address would otherwise show up as an
            // error on every call of the run instead of one failure at the start.
            client.ping();
            // A benchmark's keys need no fencing safety after the run, so each token counter
            // expires a minute after its record rather than after the store's default 24 hours.
            RedisIdempotencyStore store = RedisIdempotencyStore.builder(client)
                    .tokenRetention(BENCH_TOKEN_RETENTION).build();
            return new BackendConnection(Backend.REDIS, redact(url), store, client, null, null, null, poolSize);
        } catch (JedisException e) {
            client.close();
            throw new IllegalStateException("Cannot use Redis at " + redact(url) + ": " + e.getMessage().replaceAll("\\.$", "")
                    + ". Check the host, port, database number and credentials in --url.", e);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    private static BackendConnection openSql(Backend backend, String url, String table, int poolSize) {
        String jdbcUrl = url;
        if (jdbcUrl == null && backend == Backend.H2) {
            jdbcUrl = DEFAULT_H2_URL;
        }
        if (jdbcUrl == null) {
            throw new IllegalArgumentException("--url is required for " + backend
                    + ", for example jdbc:postgresql://127.0.0.1:5432/app?user=app");
        }
        if (jdbcUrl.toLowerCase(java.util.Locale.ROOT).startsWith("jdbc:mysql:")) {
            throw new IllegalArgumentException("The idem command carries MariaDB Connector/J, which also reaches"
                    + " MySQL but does not accept jdbc:mysql: URLs by default. Write the URL as "
                    + redact("jdbc:mariadb:" + jdbcUrl.substring("jdbc:mysql:".length())) + " instead.");
        }
        if (Backend.fromUrl(jdbcUrl) != backend) {
            throw new IllegalArgumentException("The URL " + redact(jdbcUrl) + " is not a " + backend + " URL.");
        }

        HikariConfig config = new HikariConfig();
        config.setPoolName("idem-bench");
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(poolSize);
        config.setConnectionTimeout(5_000);
        // Without this, the pool opens its first connection inside its constructor, where a server
        // that accepts the connection but never replies blocks the command for good. Now the first
        // use gives up after the connection timeout with a message.
        config.setInitializationFailTimeout(-1);
        HikariDataSource pool = new HikariDataSource(config);
        try {
            JdbcIdempotencyStore store = JdbcIdempotencyStore.builder(pool).table(table).build();
            return new BackendConnection(backend, redact(jdbcUrl), store, null, pool, null, null, poolSize);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /**
     * Opens a DynamoDB client with a capacity meter. Without a URL the SDK picks the region's
     * endpoint, region and credentials as usual. A loopback URL, such as a local dynalite, gets
     * the region us-east-1 and placeholder credentials, because a local server checks neither.
     */
    private static BackendConnection openDynamoDb(String url, String table, int poolSize) {
        CapacityMeter meter = new CapacityMeter();
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(poolSize))
                .overrideConfiguration(ClientOverrideConfiguration.builder().addExecutionInterceptor(meter).build());
        if (url != null) {
            URI endpoint = URI.create(url);
            builder.endpointOverride(endpoint);
            if (isLoopback(endpoint)) {
                builder.region(Region.US_EAST_1).credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
            }
        }
        DynamoDbClient client = builder.build();
        try {
            DynamoDbIdempotencyStore store = DynamoDbIdempotencyStore.builder(client).tableName(table).build();
            return new BackendConnection(Backend.DYNAMODB, url == null ? "the region's endpoint" : url, store,
                    null, null, client, meter, poolSize);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    private static boolean isLoopback(URI endpoint) {
        try {
            return endpoint.getHost() != null && InetAddress.getByName(endpoint.getHost()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * Creates the records table when it is missing: the SQL DDL, or a DynamoDB table with TTL.
     * Redis and the in-memory store need none.
     *
     * @return a sentence that describes what was done
     */
    public String createTableIfMissing() {
        if (store instanceof JdbcIdempotencyStore sql) {
            sql.createTableIfMissing();
            return "Table " + sql.table() + " is ready on " + url + ".";
        }
        if (dynamoDb != null) {
            return DynamoDbTables.createTable(dynamoDb, ((DynamoDbIdempotencyStore) store).tableName()).message();
        }
        return "The " + backend + " backend needs no table.";
    }

    /** Returns the table's name and the URL, or the backend's name where it has no table, for messages. */
    public String describeTable() {
        if (store instanceof JdbcIdempotencyStore sql) {
            return "table " + sql.table() + " at " + url;
        }
        if (store instanceof DynamoDbIdempotencyStore dynamo) {
            return "table " + dynamo.tableName() + " at " + url;
        }
        return backend + " at " + url;
    }

    /** Returns the URL with any password replaced by {@code ***}, for messages and reports. */
    public static String redact(String url) {
        return PASSWORD_IN_URL.matcher(url).replaceAll(match ->
                match.group(1) != null ? java.util.regex.Matcher.quoteReplacement(match.group(1) + "***@")
                        : java.util.regex.Matcher.quoteReplacement(match.group(2) + "***"));
    }

    public Backend backend() {
        return backend;
    }

    /** Returns the URL the store connects to, with any password hidden. */
    public String url() {
        return url;
    }

    public IdempotencyStore store() {
        return store;
    }

    /** Returns the Redis client the store runs over; {@code null} for other backends. */
    public UnifiedJedis redis() {
        return redis;
    }

    /** Returns the JDBC pool the store runs over; {@code null} for other backends. */
    public HikariDataSource dataSource() {
        return dataSource;
    }

    /** Returns the DynamoDB client the store runs over; {@code null} for other backends. */
    public DynamoDbClient dynamoDb() {
        return dynamoDb;
    }

    /** Returns the consumed-capacity meter of the DynamoDB client; {@code null} for other backends. */
    public CapacityMeter capacity() {
        return capacity;
    }

    /** Connections in the Redis, JDBC or HTTP pool; {@code 0} where the store has no pool. */
    public int poolSize() {
        return poolSize;
    }

    @Override
    public void close() {
        store.close();
        if (redis != null) {
            redis.close();
        }
        if (dataSource != null) {
            dataSource.close();
        }
        if (dynamoDb != null) {
            dynamoDb.close();
        }
    }
}
