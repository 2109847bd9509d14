package dev.idem.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A dynalite server in memory on a free loopback port, started from the repository's pinned
 * install in {@code backend-dynamodb/dynalite} for the benchmarks and their tests. The server
 * exits when this JVM closes its standard input, so it never outlives the run.
 */
public final class LocalDynalite implements AutoCloseable {

    private static final String LISTENING = "dynalite listening on ";
    private static final long INSTALL_TIMEOUT_SECONDS = 300;

    private final Process process;
    private final String endpoint;

    private LocalDynalite(Process process, String endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /**
     * Starts a server, running {@code npm ci} first when dynalite is not installed yet.
     *
     * @throws IllegalStateException when the folder, Node.js or npm is missing, or the server does not start
     */
    public static LocalDynalite start() throws IOException, InterruptedException {
        Path directory = directory();
        if (!Files.isDirectory(directory.resolve("node_modules").resolve("dynalite"))) {
            Process npm = new ProcessBuilder("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund")
                    .directory(directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!npm.waitFor(INSTALL_TIMEOUT_SECONDS, TimeUnit.SECONDS) || npm.exitValue() != 0) {
                npm.destroyForcibly();
                throw new IllegalStateException("'npm ci' in " + directory + " failed or timed out; install Node.js"
                        + " and npm, or set IDEM_BENCH_DYNAMODB_URL to a running DynamoDB-compatible server");
            }
        }

        Process process = new ProcessBuilder("node", "start.js").directory(directory.toFile())
                .redirectErrorStream(true).start();
        // The first line names the port; the server prints nothing else that the benchmarks need.
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = output.readLine();
        if (line == null || !line.startsWith(LISTENING)) {
            process.destroyForcibly();
            throw new IllegalStateException("dynalite in " + directory + " did not start; its first output line was: "
                    + line);
        }
        LocalDynalite server = new LocalDynalite(process, line.substring(LISTENING.length()).trim());
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "dynalite-stop"));
        return server;
    }

    /** Returns the server's URL, such as {@code http://127.0.0.1:41235}. */
    public String endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        process.destroy();
    }

    private static Path directory() {
        // Tests run in the benchmarks folder, the jar usually from the repository root.
        for (Path candidate : List.of(Path.of("backend-dynamodb", "dynalite"), Path.of("..", "backend-dynamodb", "dynalite"))) {
            if (Files.isRegularFile(candidate.resolve("start.js"))) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("Cannot find backend-dynamodb/dynalite/start.js from " + Path.of("").toAbsolutePath()
                + "; run from the repository root, or set IDEM_BENCH_DYNAMODB_URL to a running DynamoDB-compatible server");
    }
}
