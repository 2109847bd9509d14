package dev.idem.redis;

import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A redis-server process that a test starts for itself on a free loopback port, without
 * persistence ({@code --save "" --appendonly no}), so that it may kill, restart or reconfigure
 * it. The binary is {@code IDEM_TEST_REDIS_SERVER}, by default {@code redis-server} on the PATH.
 * A shutdown hook stops the process if a test run ends without calling {@link #close()}.
 */
final class RedisServerProcess implements AutoCloseable {

    static final String SERVER_VARIABLE = "IDEM_TEST_REDIS_SERVER";

    private static final long START_TIMEOUT_MILLIS = 10_000;

    private final int port;
    private final Path directory;
    private final List<String> arguments;
    private final Thread shutdownHook;
    private Process process;

    private RedisServerProcess(int port, Path directory, List<String> arguments) {
        this.port = port;
        this.directory = directory;
        this.arguments = arguments;
        this.shutdownHook = new Thread(this::stopQuietly, "redis-server-" + port + "-shutdown");
    }

    /** Starts a server on a free port with the given extra redis-server arguments. */
    static RedisServerProcess start(String... extraArguments) {
        Path directory = createDirectory();
        int port = freePort();
        List<String> arguments = new ArrayList<>(List.of(
                "--port", String.valueOf(port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "no",
                "--dir", directory.toString(),
                "--logfile", directory.resolve("redis.log").toString()));
        arguments.addAll(List.of(extraArguments));
        return launchNew(port, directory, arguments);
    }

    /** Starts a Sentinel on a free port that monitors {@code master} under the name {@code masterName}. */
    static RedisServerProcess startSentinel(HostAndPort master, String masterName) {
        Path directory = createDirectory();
        int port = freePort();
        Path config = directory.resolve("sentinel.conf");
        try {
            // Sentinel rewrites its configuration file, so it must be a file and not command-line options.
            Files.writeString(config, "port " + port + "\n"
                    + "bind 127.0.0.1\n"
                    + "dir " + directory + "\n"
                    + "logfile " + directory.resolve("redis.log") + "\n"
                    + "sentinel monitor " + masterName + " " + master.getHost() + " " + master.getPort() + " 1\n");
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to write " + config, e);
        }
        return launchNew(port, directory, List.of(config.toString(), "--sentinel"));
    }

    private static RedisServerProcess launchNew(int port, Path directory, List<String> arguments) {
        RedisServerProcess server = new RedisServerProcess(port, directory, arguments);
        Runtime.getRuntime().addShutdownHook(server.shutdownHook);
        server.launch();
        return server;
    }

    private static Path createDirectory() {
        try {
            return Files.createTempDirectory("idem-redis-");
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to create a directory for redis-server", e);
        }
    }

    int port() {
        return port;
    }

    HostAndPort address() {
        return new HostAndPort("127.0.0.1", port);
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    Path directory() {
        return directory;
    }

    /** Opens a client to this server; the caller closes it. */
    RedisClient client() {
        return RedisClient.create(address());
    }

    /** Stops the server at once, as a crash would, and starts it again on the same port with no data. */
    void restart() {
        stop();
        launch();
    }

    /** Stops the server at once; {@link #launch()} again brings it back on the same port. */
    void stop() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("redis-server on port " + port + " did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping redis-server on port " + port, e);
        }
        process = null;
    }

    @Override
    public void close() {
        stop();
        deleteDirectory();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down and runs the hook itself.
        }
    }

    /** Starts the process and waits until it replies to PING. */
    void launch() {
        String binary = System.getenv().getOrDefault(SERVER_VARIABLE, "redis-server");
        List<String> command = new ArrayList<>();
        command.add(binary);
        command.addAll(arguments);

        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("stdout.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("Failed to start " + binary + ". Install redis-server, or set "
                    + SERVER_VARIABLE + " to the path of a redis-server binary.", e);
        }
        awaitPing();
    }

    private void awaitPing() {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        RuntimeException last = null;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server on port " + port + " exited with code "
                        + process.exitValue() + "; see " + directory.resolve("redis.log"));
            }
            try (Connection connection = new Connection(address())) {
                connection.executeCommand(redis.clients.jedis.Protocol.Command.PING);
                return;
            } catch (RuntimeException e) {
                last = e;
            }
            sleep(50);
        }
        throw new IllegalStateException("redis-server on port " + port + " did not answer PING within "
                + START_TIMEOUT_MILLIS + " ms; see " + directory.resolve("redis.log"), last);
    }

    private void stopQuietly() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    private void deleteDirectory() {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary directory does no harm to later runs.
        }
    }

    /**
     * Returns a loopback port that is free, together with the port 10000 above it, which Redis
     * Cluster uses for its bus.
     */
    static int freePort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20_000, 40_000);
            if (isFree(port) && isFree(port + 10_000)) {
                return port;
            }
        }
        throw new IllegalStateException("Found no free loopback port pair in 100 attempts");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return socket.isBound();
        } catch (IOException e) {
            return false;
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }
}
