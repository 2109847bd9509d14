package dev.idem.redis;

import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClusterClient;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A Redis Cluster of three masters and no replicas that a test starts for itself on free
 * loopback ports with {@code redis-cli --cluster create}. The redis-cli binary is
 * {@code IDEM_TEST_REDIS_CLI}, by default {@code redis-cli} on the PATH.
 */
final class RedisClusterProcess implements AutoCloseable {

    static final String CLI_VARIABLE = "IDEM_TEST_REDIS_CLI";

    private static final int MASTERS = 3;
    private static final long READY_TIMEOUT_MILLIS = 30_000;

    private final List<RedisServerProcess> nodes;

    private RedisClusterProcess(List<RedisServerProcess> nodes) {
        this.nodes = nodes;
    }

    /** Starts three cluster-enabled servers, joins them into one Cluster and waits until it reports ok. */
    static RedisClusterProcess start() {
        List<RedisServerProcess> nodes = new ArrayList<>();
        RedisClusterProcess cluster = new RedisClusterProcess(nodes);
        try {
            for (int i = 0; i < MASTERS; i++) {
                nodes.add(RedisServerProcess.start(
                        "--cluster-enabled", "yes",
                        "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", "5000"));
            }
            cluster.create();
            cluster.awaitReady();
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** Returns the addresses of the masters. */
    Set<HostAndPort> nodes() {
        Set<HostAndPort> addresses = new LinkedHashSet<>();
        for (RedisServerProcess node : nodes) {
            addresses.add(node.address());
        }
        return addresses;
    }

    /** Returns the masters as comma-separated {@code host:port} pairs. */
    String nodeList() {
        List<String> addresses = new ArrayList<>();
        for (HostAndPort node : nodes()) {
            addresses.add(node.toString());
        }
        return String.join(",", addresses);
    }

    /** Opens a Cluster client; the caller closes it. */
    RedisClusterClient client() {
        return RedisClusterClient.create(nodes());
    }

    /** Asks a node which slot a key hashes to, with CLUSTER KEYSLOT, so the server and not Jedis decides. */
    long keySlot(String key) {
        try (Connection connection = new Connection(nodes.get(0).address())) {
            return (Long) connection.executeCommand(new CommandArguments(Protocol.Command.CLUSTER)
                    .add("KEYSLOT").add(key.getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** Empties the script cache of every node, as an operator's SCRIPT FLUSH or a restart would. */
    void flushScripts() {
        for (HostAndPort node : nodes()) {
            try (Connection connection = new Connection(node)) {
                connection.executeCommand(new CommandArguments(Protocol.Command.SCRIPT).add("FLUSH"));
            }
        }
    }

    @Override
    public void close() {
        for (RedisServerProcess node : nodes) {
            node.close();
        }
    }

    private void create() {
        String binary = System.getenv().getOrDefault(CLI_VARIABLE, "redis-cli");
        List<String> command = new ArrayList<>(List.of(binary, "--cluster", "create"));
        for (HostAndPort node : nodes()) {
            command.add(node.toString());
        }
        command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));

        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("Failed to start " + binary + ". Install redis-cli, or set "
                    + CLI_VARIABLE + " to the path of a redis-cli binary.", e);
        }
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(READY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("redis-cli --cluster create failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Failed to read the output of redis-cli --cluster create", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating the Cluster", e);
        }
    }

    /** Waits until every node reports cluster_state:ok, so that every slot is served. */
    private void awaitReady() {
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            if (allNodesOk()) {
                return;
            }
            RedisServerProcess.sleep(100);
        }
        throw new IllegalStateException("The Cluster on " + nodeList() + " did not reach cluster_state:ok within "
                + READY_TIMEOUT_MILLIS + " ms");
    }

    private boolean allNodesOk() {
        for (HostAndPort node : nodes()) {
            try (Connection connection = new Connection(node)) {
                Object info = connection.executeCommand(new CommandArguments(Protocol.Command.CLUSTER)
                        .add("INFO"));
                String text = new String((byte[]) info, StandardCharsets.UTF_8);
                if (!text.contains("cluster_state:ok")) {
                    return false;
                }
            }
        }
        return true;
    }
}
