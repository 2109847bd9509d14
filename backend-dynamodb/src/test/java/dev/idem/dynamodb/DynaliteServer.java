package dev.idem.dynamodb;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A dynalite process in memory on a free loopback port, started from the pinned install in
 * {@code backend-dynamodb/dynalite}. When {@code node_modules} is missing, the first start runs
 * {@code npm ci} there, so a clean checkout needs only Node.js and npm.
 */
final class DynaliteServer implements AutoCloseable {

    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final String LISTENING = "dynalite listening on ";

    private final Process process;
    private final URI endpoint;

    private DynaliteServer(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /**
     * Starts a server, installing dynalite first when needed.
     *
     * @throws IllegalStateException when Node.js or npm is missing, the install fails, or the
     *                               server does not report its port in time; the message says which
     */
    static DynaliteServer start() {
        Path directory = directory();
        installIfMissing(directory);

        Path log = logFile(directory);
        ProcessBuilder builder = new ProcessBuilder("node", "start.js")
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("Could not run 'node start.js' in " + directory + " to start dynalite: "
                    + e.getMessage() + ". Install Node.js 20 or later, or set IDEM_TEST_DYNAMODB_ENDPOINT to a running"
                    + " DynamoDB-compatible server.", e);
        }

        DynaliteServer server = new DynaliteServer(process, awaitEndpoint(process, log));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "dynalite-stop"));
        return server;
    }

    /** The server's address, such as {@code http://127.0.0.1:41235}. */
    URI endpoint() {
        return endpoint;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Stops the server at once, as a crash would, and waits until the process is gone. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    private static Path directory() {
        // Surefire runs tests in the module's folder; an IDE may run them from the repository root.
        for (Path candidate : List.of(Path.of("dynalite"), Path.of("backend-dynamodb", "dynalite"))) {
            if (Files.isRegularFile(candidate.resolve("start.js"))) {
                return candidate.toAbsolutePath();
            }
        }
        throw new IllegalStateException("Cannot find dynalite/start.js from " + Path.of("").toAbsolutePath()
                + "; run the tests from the backend-dynamodb folder or the repository root");
    }

    private static synchronized void installIfMissing(Path directory) {
        if (Files.isDirectory(directory.resolve("node_modules").resolve("dynalite"))) {
            return;
        }

        // The in-memory server needs no native LevelDB build, so install scripts are skipped.
        ProcessBuilder builder = new ProcessBuilder("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund")
                .directory(directory.toFile())
                .redirectErrorStream(true);
        try {
            Process npm = builder.start();
            CompletableFuture<List<String>> output = readLines(npm);
            if (!npm.waitFor(INSTALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                npm.destroyForcibly();
                throw new IllegalStateException("'npm ci' in " + directory + " did not finish within " + INSTALL_TIMEOUT
                        + "; check access to the npm registry");
            }
            if (npm.exitValue() != 0) {
                throw new IllegalStateException("'npm ci' in " + directory + " failed with exit code " + npm.exitValue()
                        + ":\n" + String.join("\n", output.get(10, TimeUnit.SECONDS)));
            }
        } catch (IOException e) {
            throw new IllegalStateException("Could not run 'npm ci' in " + directory + " to install dynalite: "
                    + e.getMessage() + ". Install Node.js 20 or later with npm, or set IDEM_TEST_DYNAMODB_ENDPOINT to a"
                    + " running DynamoDB-compatible server.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while installing dynalite", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not read the output of 'npm ci' in " + directory, e);
        }
    }

    /** Returns a new file under the module's target folder for the server's output, kept for diagnosis. */
    private static Path logFile(Path directory) {
        Path folder = directory.getParent().resolve("target").resolve("dynalite");
        try {
            Files.createDirectories(folder);
            return Files.createTempFile(folder, "dynalite-", ".log");
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create a log file for dynalite in " + folder + ": " + e.getMessage(), e);
        }
    }

    /** Waits until the server's output names its address, which it prints once it accepts connections. */
    private static URI awaitEndpoint(Process process, Path log) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> lines = readLog(log);
            for (String line : lines) {
                if (line.startsWith(LISTENING)) {
                    return URI.create(line.substring(LISTENING.length()).trim());
                }
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("dynalite exited with code " + process.exitValue()
                        + " before it listened:\n" + String.join("\n", lines));
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                throw new IllegalStateException("Interrupted while starting dynalite", e);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("dynalite did not report its address within " + START_TIMEOUT + "; its output"
                + " is in " + log);
    }

    private static List<String> readLog(Path log) {
        try {
            return Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of("(cannot read " + log + ": " + e.getMessage() + ")");
        }
    }

    private static CompletableFuture<List<String>> readLines(Process process) {
        CompletableFuture<List<String>> result = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            List<String> lines = new ArrayList<>();
            try (BufferedReader output = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = output.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("(output cut: " + e.getMessage() + ")");
            }
            result.complete(lines);
        }, "npm-output");
        reader.setDaemon(true);
        reader.start();
        return result;
    }
}
