package dev.idem.bench.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Checks that the {@code idem} command fails at once, with exit code 1 and a message that names
 * the value and the fix, for input that cannot work, instead of running a benchmark of errors.
 */
class CommandFailureTest {

    @TempDir
    Path directory;

    @Test
    void unreachableRedisFailsBeforeRun() {
        Output output = run("bench", "--url", "redis://127.0.0.1:1", "--threads", "1", "--duration", "1s",
                "--warmup", "0s");

        assertThat(output.exitCode()).isEqualTo(IdemCli.FAILED);
        assertThat(output.stderr()).contains("Cannot use Redis at redis://127.0.0.1:1", "Check the host, port");
        assertThat(output.stdout()).doesNotContain("ops/s");
    }

    @Test
    void missingRedisDatabaseFailsBeforeRun() {
        String url = System.getenv().getOrDefault("IDEM_TEST_REDIS_URL", "redis://127.0.0.1:6379") + "/99";

        Output output = run("bench", "--url", url, "--threads", "1", "--duration", "1s", "--warmup", "0s");

        assertThat(output.exitCode()).isEqualTo(IdemCli.FAILED);
        assertThat(output.stderr()).contains("DB index is out of range");
    }

    @Test
    void silentServerTimesOut() throws IOException {
        // A server that accepts connections and never replies, as a wrong port can do.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // The test closed the server socket.
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String url = "jdbc:postgresql://127.0.0.1:" + silent.getLocalPort() + "/test?user=postgres";

            Output output = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> run("inspect", "--url", url, "k1"));

            assertThat(output.exitCode()).isEqualTo(IdemCli.FAILED);
            assertThat(output.stderr()).contains("Check the URL and credentials");
        }
    }

    @Test
    void outputNameCheckedBeforeRun() {
        Output output = run("bench", "--duration", "1s", "--warmup", "0s", "--threads", "1",
                "--output", directory.resolve("results.txt").toString());

        assertThat(output.exitCode()).isEqualTo(IdemCli.FAILED);
        assertThat(output.stderr()).contains("results.txt", ".csv or .json");
        assertThat(output.stdout()).doesNotContain("ops/s");
    }

    @Test
    void chartMustBeSvg() {
        Output output = run("bench", "--duration", "1s", "--warmup", "0s", "--threads", "1",
                "--chart", directory.resolve("chart.png").toString());

        assertThat(output.exitCode()).isEqualTo(IdemCli.FAILED);
        assertThat(output.stderr()).contains("chart.png", "must end in .svg");
    }

    @Test
    void outputDirectoryMustExist() {
        Path missing = directory.resolve("missing").resolve("results.csv");

        Output output = run("bench", "--duration", "1s", "--warmup", "0s", "--threads", "1",
                "--output", missing.toString());

        assertThat(output.exitCode()).isEqualTo(IdemCli.FAILED);
        assertThat(output.stderr()).contains("does not exist", missing.getParent().toString());
    }

    @Test
    void inspectNeedsServer() {
        Output output = run("inspect", "k1");

        assertThat(output.exitCode()).isEqualTo(IdemCli.FAILED);
        assertThat(output.stderr()).contains("idem inspect needs --url");
    }

    @Test
    void purgeNeedsServer() {
        Output output = run("purge");

        assertThat(output.exitCode()).isEqualTo(IdemCli.FAILED);
        assertThat(output.stderr()).contains("idem purge needs --url");
    }

    @Test
    void mysqlUrlGetsMariaDbHint() {
        Output output = run("inspect", "--url", "jdbc:mysql://127.0.0.1:3306/test?user=root", "k1");

        assertThat(output.exitCode()).isEqualTo(IdemCli.FAILED);
        assertThat(output.stderr()).contains("jdbc:mariadb://127.0.0.1:3306/test?user=root");
    }

    @Test
    void missingTableNamesSchemaCommand() {
        String url = System.getenv().getOrDefault("IDEM_TEST_POSTGRES_URL",
                "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

        Output output = run("inspect", "--url", url, "--table", "idem_no_such_table", "k1");

        assertThat(output.exitCode()).isEqualTo(IdemCli.FAILED);
        assertThat(output.stderr()).contains("idem_no_such_table", "idem schema --apply");
    }

    private record Output(int exitCode, String stdout, String stderr) {
    }

    /** Runs the command with both output streams captured. */
    private static Output run(String... args) {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int exitCode;
        try {
            exitCode = IdemCli.run(args);
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
        return new Output(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
