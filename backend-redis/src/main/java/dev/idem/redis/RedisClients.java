package dev.idem.redis;

import dev.idem.BackendException;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.JedisURIHelper;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/** Builds the Jedis clients that a store owns, from a URL or from Cluster node addresses. */
final class RedisClients {

    private RedisClients() {
    }

    /**
     * Builds a pooled standalone client from a {@code redis://} or {@code rediss://} URL. A
     * {@code rediss://} URL uses {@code sslOptions}, or Jedis' defaults when it is {@code null}.
     */
    static UnifiedJedis standalone(String url, Duration timeout, SslOptions sslOptions) {
        URI uri = parseUrl(url);
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .user(JedisURIHelper.getUser(uri))
                .password(JedisURIHelper.getPassword(uri))
                .database(JedisURIHelper.getDBIndex(uri));
        if (JedisURIHelper.isRedisSSLScheme(uri)) {
            config.sslOptions(tlsOptions(sslOptions));
        }
        return RedisClient.builder()
                .hostAndPort(JedisURIHelper.getHostAndPort(uri))
                .clientConfig(withTimeout(config, timeout))
                .build();
    }

    /**
     * Builds a Cluster client from seed node addresses. The client reads the slot map from the
     * first node that replies, so the seeds need not list every node.
     */
    static UnifiedJedis cluster(Set<HostAndPort> nodes, String user, String password, boolean tls,
                                SslOptions sslOptions, Duration timeout) {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .user(user)
                .password(password);
        if (tls) {
            config.sslOptions(tlsOptions(sslOptions));
        }
        try {
            return RedisClusterClient.builder()
                    .nodes(nodes)
                    .clientConfig(withTimeout(config, timeout))
                    .build();
        } catch (JedisException e) {
            throw new BackendException(RedisReplies.BACKEND, "connect", null, "could not read the slot map"
                    + " from any of the Cluster nodes " + nodes + ": " + e.getMessage()
                    + ". Check the addresses and that the nodes run with cluster-enabled yes.", e);
        }
    }

    /** Parses comma-separated {@code host:port} pairs, such as {@code 10.0.0.1:7000,10.0.0.2:7000}. */
    static Set<HostAndPort> parseNodes(String nodes) {
        Set<HostAndPort> parsed = new LinkedHashSet<>();
        for (String node : nodes.split(",")) {
            String trimmed = node.trim();
            if (!trimmed.isEmpty()) {
                parsed.add(parseNode(trimmed));
            }
        }
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException("Invalid Cluster node list '" + nodes
                    + "': expected comma-separated host:port pairs, such as 10.0.0.1:7000,10.0.0.2:7000");
        }
        return parsed;
    }

    static Set<HostAndPort> copyNodes(Collection<HostAndPort> nodes) {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("Cluster node list is empty: give at least one host:port");
        }
        return new LinkedHashSet<>(nodes);
    }

    /** Checks a URL and returns it as a URI. An error message shows the URL without its password. */
    static URI parseUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Invalid Redis URL '" + redact(url) + "': " + e.getReason()
                    + ". Expected redis://[user:password@]host:port[/database] or rediss:// for TLS.", e);
        }
        if (!JedisURIHelper.isValid(uri) || uri.getHost() == null
                || !(JedisURIHelper.isRedisScheme(uri) || JedisURIHelper.isRedisSSLScheme(uri))) {
            throw new IllegalArgumentException("Invalid Redis URL '" + redact(url)
                    + "': expected redis://[user:password@]host:port[/database] or rediss:// for TLS.");
        }
        return uri;
    }

    /** Returns the URL with its password replaced, for messages and logs. */
    static String redact(String url) {
        int scheme = url.indexOf("://");
        int at = url.lastIndexOf('@');
        if (scheme < 0 || at < scheme) {
            return url;
        }
        String userInfo = url.substring(scheme + 3, at);
        int colon = userInfo.indexOf(':');
        String user = colon < 0 ? "" : userInfo.substring(0, colon);
        return url.substring(0, scheme + 3) + user + ":***" + url.substring(at);
    }

    private static HostAndPort parseNode(String node) {
        int colon = node.lastIndexOf(':');
        if (colon <= 0 || colon == node.length() - 1) {
            throw new IllegalArgumentException("Invalid Cluster node '" + node + "': expected host:port, such as 10.0.0.1:7000");
        }
        String host = node.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(node.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid Cluster node '" + node + "': the port is not a number", e);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("Invalid Cluster node '" + node + "': the port must be 1 to 65535");
        }
        return new HostAndPort(host, port);
    }

    /**
     * Returns the given TLS options, or Jedis' defaults: the JVM's trust store, with the server's
     * certificate checked against the host name (verify mode FULL in Jedis 8.0).
     */
    private static SslOptions tlsOptions(SslOptions sslOptions) {
        return sslOptions != null ? sslOptions : SslOptions.defaults();
    }

    private static JedisClientConfig withTimeout(DefaultJedisClientConfig.Builder config, Duration timeout) {
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        return config.connectionTimeoutMillis(millis).socketTimeoutMillis(millis).build();
    }
}
