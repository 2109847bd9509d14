package dev.idem.redis;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Runs the store's Lua scripts by SHA-1 with EVALSHA. A script is loaded into a server's script
 * cache the first time that server replies NOSCRIPT (first use, restart, failover or
 * {@code SCRIPT FLUSH}), and the call is then retried once.
 */
final class RedisScripts {

    private static final Logger LOG = LoggerFactory.getLogger(RedisScripts.class);

    /** One Lua script: its body with the shared helpers in front, and the body's SHA-1 in hex. */
    enum Script {
        CLAIM("claim"),
        COMPLETE("complete"),
        EXTEND("extend"),
        RELEASE("release"),
        GET("get");

        private final String name;
        private final byte[] body;
        private final byte[] sha;

        Script(String name) {
            this.name = name;
            this.body = (resource("common") + "\n" + resource(name)).getBytes(StandardCharsets.UTF_8);
            this.sha = sha1Hex(body).getBytes(StandardCharsets.US_ASCII);
        }

        String sha() {
            return new String(sha, StandardCharsets.US_ASCII);
        }
    }

    /** One script call: the record and counter keys, then the arguments. */
    record Call(List<byte[]> keys, List<byte[]> arguments) {
    }

    private final UnifiedJedis jedis;

    RedisScripts(UnifiedJedis jedis) {
        this.jedis = jedis;
    }

    /** Runs one script call, loading the script and retrying once when the server does not have it. */
    Object run(Script script, Call call) {
        try {
            return jedis.evalsha(script.sha, call.keys(), call.arguments());
        } catch (JedisDataException e) {
            if (!isNoScript(e)) {
                throw e;
            }
        }

        LOG.info("redis: script {} ({}) was not in the server's script cache; loading it and retrying",
                script.name, script.sha());
        jedis.scriptLoad(script.body, call.keys().get(0));
        return jedis.evalsha(script.sha, call.keys(), call.arguments());
    }

    /**
     * Runs many calls of one script in a pipeline, one round trip per server, and returns the
     * replies in call order. A call that Redis rejected has its {@link JedisDataException} in
     * place of a reply. Calls that found the script missing are sent again after the script is
     * loaded. They form the tail of each server's share of the batch, because a script stays
     * missing until someone loads it, so calls on one key still run in request order.
     */
    List<Object> runAll(Script script, List<Call> calls) {
        List<Object> replies = runPipeline(script, calls);

        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < replies.size(); i++) {
            if (replies.get(i) instanceof JedisDataException e && isNoScript(e)) {
                missing.add(i);
            }
        }
        if (!missing.isEmpty()) {
            LOG.info("redis: script {} ({}) was not in the script cache of a server for {} of {} calls;"
                    + " loading it and sending those calls again", script.name, script.sha(), missing.size(), calls.size());
            loadEverywhere(script, calls.get(missing.get(0)).keys().get(0));

            List<Call> retries = new ArrayList<>(missing.size());
            for (int index : missing) {
                retries.add(calls.get(index));
            }
            List<Object> retried = runPipeline(script, retries);
            for (int i = 0; i < missing.size(); i++) {
                replies.set(missing.get(i), retried.get(i));
            }
        }
        return replies;
    }

    /** Returns each call's reply, or the {@link JedisDataException} that Redis returned for it. */
    private List<Object> runPipeline(Script script, List<Call> calls) {
        List<Response<Object>> responses = new ArrayList<>(calls.size());
        try (AbstractPipeline pipeline = jedis.pipelined()) {
            for (Call call : calls) {
                responses.add(pipeline.evalsha(script.sha, call.keys(), call.arguments()));
            }
            pipeline.sync();
        }

        List<Object> replies = new ArrayList<>(calls.size());
        for (Response<Object> response : responses) {
            try {
                replies.add(response.get());
            } catch (JedisDataException e) {
                replies.add(e);
            }
        }
        return replies;
    }

    /**
     * Loads a script on every node of a Cluster, because the failed calls of a batch may span all
     * of them, or on the one server of any other client.
     */
    @SuppressWarnings("deprecation") // JedisCluster is deprecated in Jedis 8 but applications still pass it.
    private void loadEverywhere(Script script, byte[] sampleKey) {
        Map<String, ConnectionPool> nodes = null;
        if (jedis instanceof RedisClusterClient cluster) {
            nodes = cluster.getClusterNodes();
        } else if (jedis instanceof JedisCluster cluster) {
            nodes = cluster.getClusterNodes();
        }
        if (nodes == null) {
            jedis.scriptLoad(script.body, sampleKey);
            return;
        }

        for (ConnectionPool pool : nodes.values()) {
            try (Connection connection = pool.getResource()) {
                connection.executeCommand(new CommandArguments(Protocol.Command.SCRIPT)
                        .add(Protocol.Keyword.LOAD).add(script.body));
            }
        }
    }

    private static boolean isNoScript(JedisDataException e) {
        return e instanceof JedisNoScriptException
                || (e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT"));
    }

    private static String resource(String name) {
        String path = "scripts/" + name + ".lua";
        try (InputStream in = RedisScripts.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource dev/idem/redis/" + path + " in the idem-redis jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read dev/idem/redis/" + path, e);
        }
    }

    private static String sha1Hex(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(body));
        } catch (NoSuchAlgorithmException e) {
            // The Java SE specification requires every platform to provide SHA-1 in MessageDigest.
            throw new IllegalStateException("SHA-1 is not available", e);
        }
    }
}
