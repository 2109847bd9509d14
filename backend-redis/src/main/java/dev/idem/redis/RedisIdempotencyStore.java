package dev.idem.redis;

import dev.idem.BackendException;
import dev.idem.spi.ClaimRequest;
import dev.idem.spi.ClaimResult;
import dev.idem.spi.CompleteRequest;
import dev.idem.spi.CompleteResult;
import dev.idem.spi.ExtendResult;
import dev.idem.spi.IdempotencyRecord;
import dev.idem.spi.IdempotencyStore;
import dev.idem.spi.StoreCapabilities;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * An idempotency store on Redis or Valkey through Jedis' {@link UnifiedJedis}, so one class
 * serves a standalone server ({@code RedisClient}), Sentinel ({@code RedisSentinelClient}) and
 * Cluster ({@code RedisClusterClient}).
 *
 * <h2>Record layout</h2>
 *
 * Each key has two Redis keys that share one hash tag, and so one Cluster slot:
 * <ul>
 *   <li>{@code <prefix>{<tag>}}, a hash with the fields {@code status} ({@code IN_PROGRESS} or
 *       {@code COMPLETED}), {@code token}, {@code lease}, {@code exp}, {@code created} and
 *       {@code completed} (epoch milliseconds on the server's clock, {@code 0} when not set),
 *       {@code fp} (the fingerprint, absent when the caller sent none), {@code result} (the
 *       encoded result bytes, COMPLETED only) and {@code owner} (absent when not given). The key
 *       expires at {@code exp} through {@code PEXPIREAT}, so no record is ever left without expiry.</li>
 *   <li>{@code <prefix>{<tag>}:token}, a string with the last fencing token of the key. It outlives
 *       the record by the token retention (24 hours by default), so a claim after a release or
 *       after expiry gets a higher token than any earlier holder.</li>
 * </ul>
 * The prefix is {@code idem:} by default. The tag is the key itself, with {@code %}, <code>{</code>
 * and <code>}</code> written as {@code %25}, {@code %7B} and {@code %7D}, so an operator reads the
 * record of key {@code orders:42} with {@code redis-cli HGETALL 'idem:{orders:42}'}. A new counter
 * starts at the server's clock in microseconds rather than at 1, so that tokens stay unique even
 * when the counter itself was lost to a restart without persistence or a failover; tokens are
 * therefore large numbers, below 2<sup>53</sup> until the year 2255.
 *
 * <h2>Operations</h2>
 *
 * Every operation is one Lua script, sent with EVALSHA: one atomic step and one round trip on
 * the happy path. Each script reads the server's clock with {@code TIME}, checks the type of both
 * keys before it writes anything, and sets the record's expiry in the same step. Claim creates
 * the record, takes over an expired lease whose fingerprint matches, or returns the existing
 * record; complete, extend and release check the fencing token. {@link #claimAll} and
 * {@link #completeAll} pipeline their calls, one round trip per server.
 *
 * <p>A value at a record key that is not an Idem record (another type, or a hash without Idem's
 * fields) raises {@link dev.idem.CorruptRecordException} and is left as it is. Connection
 * failures and timeouts raise {@link BackendException} with the Jedis exception as the cause.
 *
 * <p>Warning: Redis acknowledges a write before it reaches disk or replicas. A restart without
 * persistence, or a failover to a replica that lagged, loses records, so a duplicate may then run
 * its action again. See the module's README for persistence and {@code maxmemory-policy} settings.
 */
public final class RedisIdempotencyStore implements IdempotencyStore {

    private static final Logger LOG = LoggerFactory.getLogger(RedisIdempotencyStore.class);

    /**
     * The maximum key length, in UTF-8 bytes. Redis allows keys of 512 MB, but each record stores
     * its key twice (record and counter) and every call sends it. The core hashes longer keys to
     * the namespace plus 64 hex characters, which fits well within this limit.
     */
    static final int MAX_KEY_BYTES = 1024;

    /** Redis' default {@code proto-max-bulk-len}, the largest string a client may send. */
    static final int MAX_RESULT_BYTES_LIMIT = 512 * 1024 * 1024;

    private final UnifiedJedis jedis;
    private final boolean ownsClient;
    private final RedisKeys keys;
    private final RedisScripts scripts;
    private final RedisReplies replies;
    private final int maxResultBytes;
    private final byte[] tokenRetentionMillis;

    private RedisIdempotencyStore(Builder builder, UnifiedJedis jedis, boolean ownsClient) {
        this.jedis = jedis;
        this.ownsClient = ownsClient;
        this.keys = new RedisKeys(builder.keyPrefix);
        this.scripts = new RedisScripts(jedis);
        this.replies = new RedisReplies(keys);
        this.maxResultBytes = builder.maxResultBytes;
        this.tokenRetentionMillis = number(builder.tokenRetention.toMillis());
    }

    /**
     * Starts a store on a client that the application owns, such as a {@code RedisClient},
     * {@code RedisSentinelClient} or {@code RedisClusterClient}. The store never closes it.
     */
    public static Builder builder(UnifiedJedis client) {
        return new Builder(Objects.requireNonNull(client, "client"));
    }

    /** Starts a store that builds and owns its client from {@link Builder#url} or {@link Builder#clusterNodes(String)}. */
    public static Builder builder() {
        return new Builder(null);
    }

    @Override
    public ClaimResult claim(ClaimRequest request) {
        String key = request.key();
        Object reply = execute("claim", key, () -> scripts.run(RedisScripts.Script.CLAIM, claimCall(request)));
        return replies.claim(key, reply);
    }

    @Override
    public CompleteResult complete(CompleteRequest request) {
        String key = request.key();
        Object reply = execute("complete", key, () -> scripts.run(RedisScripts.Script.COMPLETE, completeCall(request)));
        return replies.complete(key, reply);
    }

    @Override
    public boolean release(String key, long fencingToken) {
        RedisScripts.Call call = call(key, number(fencingToken));
        Object reply = execute("release", key, () -> scripts.run(RedisScripts.Script.RELEASE, call));
        return replies.release(key, reply);
    }

    @Override
    public ExtendResult extend(String key, long fencingToken, long leaseMillis) {
        RedisScripts.Call call = call(key, number(fencingToken), number(leaseMillis), tokenRetentionMillis);
        Object reply = execute("extend", key, () -> scripts.run(RedisScripts.Script.EXTEND, call));
        return replies.extend(key, reply);
    }

    @Override
    public Optional<IdempotencyRecord> get(String key) {
        RedisScripts.Call call = call(key);
        Object reply = execute("get", key, () -> scripts.run(RedisScripts.Script.GET, call));
        return Optional.ofNullable(replies.get(key, reply));
    }

    /**
     * Claims many keys in one pipeline: one round trip per server. Redis runs the calls of one
     * server in request order, and every call on a key goes to the key's server, so a key that
     * appears twice is claimed once and the second request gets the first one's claim back as
     * {@code InProgress}.
     *
     * <p>Warning: when Redis rejects one call of the batch (out of memory, for example), the
     * whole method throws {@link BackendException} although other calls may have taken effect;
     * claim the keys again to see their state.
     */
    @Override
    public List<ClaimResult> claimAll(List<ClaimRequest> requests) {
        if (requests.isEmpty()) {
            return List.of();
        }

        List<RedisScripts.Call> calls = new ArrayList<>(requests.size());
        for (ClaimRequest request : requests) {
            calls.add(claimCall(request));
        }
        List<Object> batch = execute("claimAll", requests.get(0).key(), () -> scripts.runAll(RedisScripts.Script.CLAIM, calls));

        List<ClaimResult> results = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            String key = requests.get(i).key();
            results.add(replies.claim(key, checked("claimAll", key, batch.get(i))));
        }
        return results;
    }

    /** Completes many claims in one pipeline, one round trip per server, and returns the results in request order. */
    @Override
    public List<CompleteResult> completeAll(List<CompleteRequest> requests) {
        if (requests.isEmpty()) {
            return List.of();
        }

        List<RedisScripts.Call> calls = new ArrayList<>(requests.size());
        for (CompleteRequest request : requests) {
            calls.add(completeCall(request));
        }
        List<Object> batch = execute("completeAll", requests.get(0).key(), () -> scripts.runAll(RedisScripts.Script.COMPLETE, calls));

        List<CompleteResult> results = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            String key = requests.get(i).key();
            results.add(replies.complete(key, checked("completeAll", key, batch.get(i))));
        }
        return results;
    }

    @Override
    public StoreCapabilities capabilities() {
        return new StoreCapabilities(RedisReplies.BACKEND, MAX_KEY_BYTES, maxResultBytes, true, true);
    }

    /** Returns the prefix in front of every Redis key this store writes. */
    public String keyPrefix() {
        return keys.prefix();
    }

    /** Returns the Redis key of the hash that stores the record of {@code key}, for inspection with {@code redis-cli}. */
    public String recordKey(String key) {
        return keys.recordKey(key);
    }

    /** Returns the Redis key of the string that stores the last fencing token of {@code key}. */
    public String counterKey(String key) {
        return keys.counterKey(key);
    }

    /** Closes the client when the store built it. A client given to {@link #builder(UnifiedJedis)} stays open. */
    @Override
    public void close() {
        if (ownsClient) {
            LOG.debug("redis: closing the client that the store built");
            jedis.close();
        }
    }

    private RedisScripts.Call claimCall(ClaimRequest request) {
        return call(request.key(),
                number(request.leaseMillis()),
                number(request.retentionMillis()),
                optional(request.fingerprint()),
                optional(request.owner()),
                tokenRetentionMillis);
    }

    private RedisScripts.Call completeCall(CompleteRequest request) {
        return call(request.key(),
                number(request.fencingToken()),
                request.result(),
                number(request.retentionMillis()),
                tokenRetentionMillis);
    }

    private RedisScripts.Call call(String key, byte[]... arguments) {
        List<byte[]> redisKeys = List.of(keys.recordKeyBytes(key), keys.counterKeyBytes(key));
        return new RedisScripts.Call(redisKeys, List.of(arguments));
    }

    /** Runs a Redis call and turns Jedis' exceptions into {@link BackendException}. */
    private static <T> T execute(String operation, String key, Supplier<T> action) {
        try {
            return action.get();
        } catch (JedisException e) {
            throw backendFailure(operation, key, e);
        }
    }

    /** Returns a batch reply, or throws the error that Redis returned for that call, naming its key. */
    private static Object checked(String operation, String key, Object reply) {
        if (reply instanceof JedisException e) {
            throw backendFailure(operation, key, e);
        }
        return reply;
    }

    private static BackendException backendFailure(String operation, String key, JedisException e) {
        if (e instanceof JedisConnectionException) {
            String problem = hasCause(e, SocketTimeoutException.class)
                    ? "timed out waiting for Redis"
                    : "the connection to Redis failed";
            String advice = operation.equals("get")
                    ? " Check that Redis is reachable at the configured address, then read the key again."
                    : " Whether the write took effect is unknown; claim the key again to see its state.";
            return new BackendException(RedisReplies.BACKEND, operation, key, problem + " (" + e.getMessage() + ")."
                    + advice, e);
        }
        return new BackendException(RedisReplies.BACKEND, operation, key, "Redis returned an error: "
                + e.getMessage(), e);
    }

    private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] number(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }

    /** Encodes an optional string for the scripts: empty when absent, otherwise {@code =} and the value. */
    private static byte[] optional(String value) {
        return value == null ? new byte[0] : ("=" + value).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Builds a {@link RedisIdempotencyStore}. Either give the store a client with
     * {@link RedisIdempotencyStore#builder(UnifiedJedis)}, or let it build one from
     * {@link #url(String)} or {@link #clusterNodes(String)}.
     */
    public static final class Builder {

        private final UnifiedJedis client;
        private String url;
        private Set<HostAndPort> clusterNodes;
        private String user;
        private String password;
        private boolean tls;
        private SslOptions sslOptions;
        private Duration timeout = Duration.ofSeconds(2);
        private String keyPrefix = RedisKeys.DEFAULT_PREFIX;
        private int maxResultBytes = 16 * 1024 * 1024;
        private Duration tokenRetention = Duration.ofHours(24);

        private Builder(UnifiedJedis client) {
            this.client = client;
        }

        /**
         * Sets the server to connect to: {@code redis://[user:password@]host:port[/database]}, or
         * {@code rediss://} for TLS. The store builds a pooled client and closes it on {@link #close()}.
         */
        public Builder url(String url) {
            RedisClients.parseUrl(Objects.requireNonNull(url, "url"));
            this.url = url;
            return this;
        }

        /** Sets Cluster seed nodes as comma-separated {@code host:port} pairs, so the store builds and owns a Cluster client. */
        public Builder clusterNodes(String nodes) {
            this.clusterNodes = RedisClients.parseNodes(Objects.requireNonNull(nodes, "nodes"));
            return this;
        }

        /** Sets Cluster seed nodes, so the store builds and owns a Cluster client. */
        public Builder clusterNodes(Collection<HostAndPort> nodes) {
            this.clusterNodes = RedisClients.copyNodes(Objects.requireNonNull(nodes, "nodes"));
            return this;
        }

        /** Sets the ACL user for Cluster nodes. With {@link #url(String)}, put the user in the URL instead. */
        public Builder user(String user) {
            this.user = user;
            return this;
        }

        /** Sets the password for Cluster nodes. With {@link #url(String)}, put the password in the URL instead. */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /** Sets whether to use TLS with Cluster nodes. With {@link #url(String)}, use the {@code rediss://} scheme instead. */
        public Builder tls(boolean tls) {
            this.tls = tls;
            return this;
        }

        /**
         * Sets the TLS options for a {@code rediss://} URL or for Cluster nodes with {@link #tls(boolean)}:
         * a trust store for a certificate signed by a private CA, a key store for client
         * certificates, or the verify mode. Without it, Jedis' defaults apply: the JVM's trust store,
         * and the certificate must match the host name.
         */
        public Builder sslOptions(SslOptions sslOptions) {
            this.sslOptions = Objects.requireNonNull(sslOptions, "sslOptions");
            return this;
        }

        /** Sets the connect and read timeout of a client the store builds, 2 seconds by default. */
        public Builder timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, got " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** Sets the prefix of every Redis key, {@code idem:} by default. It must not contain braces. */
        public Builder keyPrefix(String keyPrefix) {
            new RedisKeys(keyPrefix);
            this.keyPrefix = keyPrefix;
            return this;
        }

        /** Sets the maximum encoded result that the store reports in its capabilities, 16 MiB by default and at most 512 MiB. */
        public Builder maxResultBytes(int maxResultBytes) {
            if (maxResultBytes <= 0 || maxResultBytes > MAX_RESULT_BYTES_LIMIT) {
                throw new IllegalArgumentException("maxResultBytes must be between 1 and " + MAX_RESULT_BYTES_LIMIT
                        + " (Redis' default proto-max-bulk-len), got " + maxResultBytes);
            }
            this.maxResultBytes = maxResultBytes;
            return this;
        }

        /**
         * Sets how long a key's fencing-token counter outlives its record, 24 hours by default.
         * Within this time a new claim after release or expiry continues the old count. After it,
         * the counter restarts from the server's clock, which stays above earlier tokens unless the
         * clock moved backwards.
         */
        public Builder tokenRetention(Duration tokenRetention) {
            if (tokenRetention.isNegative()) {
                throw new IllegalArgumentException("tokenRetention must be zero or positive, got " + tokenRetention);
            }
            this.tokenRetention = tokenRetention;
            return this;
        }

        /**
         * Builds the store.
         *
         * @throws IllegalStateException when the connection settings are missing or contradict each other
         * @throws BackendException      when a Cluster client cannot read the slot map from any seed node
         */
        public RedisIdempotencyStore build() {
            if (client != null) {
                if (url != null || clusterNodes != null || sslOptions != null) {
                    throw new IllegalStateException("This builder was given a client, so url, clusterNodes and"
                            + " sslOptions must not be set. Configure the client instead.");
                }
                return log(new RedisIdempotencyStore(this, client, false), "a client owned by the application");
            }

            if ((url == null) == (clusterNodes == null)) {
                throw new IllegalStateException("Set exactly one of url(...) and clusterNodes(...), or pass a"
                        + " client to RedisIdempotencyStore.builder(client).");
            }
            if (url != null) {
                if (user != null || password != null || tls) {
                    throw new IllegalStateException("user, password and tls apply to clusterNodes only. With url,"
                            + " put them in the URL: rediss://user:password@host:port");
                }
                if (sslOptions != null && !url.startsWith("rediss://")) {
                    throw new IllegalStateException("sslOptions apply to TLS connections only. Use a rediss:// URL.");
                }
                UnifiedJedis standalone = RedisClients.standalone(url, timeout, sslOptions);
                return log(new RedisIdempotencyStore(this, standalone, true), RedisClients.redact(url));
            }
            if (sslOptions != null && !tls) {
                throw new IllegalStateException("sslOptions apply to TLS connections only. Call tls(true) as well.");
            }
            UnifiedJedis cluster = RedisClients.cluster(clusterNodes, user, password, tls, sslOptions, timeout);
            return log(new RedisIdempotencyStore(this, cluster, true), "Cluster " + clusterNodes);
        }

        private static RedisIdempotencyStore log(RedisIdempotencyStore store, String target) {
            LOG.info("redis: store ready on {} with key prefix '{}'", target, store.keyPrefix());
            return store;
        }
    }
}
