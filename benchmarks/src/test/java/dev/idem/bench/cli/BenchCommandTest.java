package dev.idem.bench.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs {@code idem bench} briefly on the embedded in-memory store and checks what it writes. */
class BenchCommandTest {

    /** Columns that only DynamoDB fills; the in-memory store leaves them empty. */
    private static final List<String> OPTIONAL_COLUMNS =
            List.of("write_units_per_op", "read_units_per_op", "cost_per_million_ops");

    @TempDir
    static Path directory;

    static int exitCode;
    static String stdout;
    static List<String> csv;
    static String json;
    static Document svg;

    @BeforeAll
    static void runBench() throws Exception {
        Path csvFile = directory.resolve("memory.csv");
        Path jsonFile = directory.resolve("memory.json");
        Path svgFile = directory.resolve("memory.svg");

        stdout = captureStdout(() -> exitCode = IdemCli.run("bench", "--duration", "1s", "--warmup", "0s",
                "--threads", "1,2", "--keys", "1000", "--output", csvFile.toString(), "--chart", svgFile.toString()));
        IdemCli.run("bench", "--duration", "1s", "--warmup", "0s", "--threads", "1", "--output", jsonFile.toString());

        csv = Files.readAllLines(csvFile);
        json = Files.readString(jsonFile);
        svg = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svgFile.toFile());
    }

    @Test
    void exitsWithZero() {
        assertThat(exitCode).isZero();
    }

    @Test
    void tableHasEveryColumn() {
        assertThat(stdout).contains("threads", "ops/s", "p50 us", "p90 us", "p99 us", "p99.9 us", "max us",
                "calls/op", "round trips", "errors");
    }

    @Test
    void csvHeaderListsColumns() {
        assertThat(csv.get(0).split(",")).containsExactlyElementsOf(ReportWriter.COLUMNS);
    }

    @Test
    void csvHasOneRowPerLevel() {
        assertThat(csv).hasSize(3);
    }

    @Test
    void csvRowsParse() {
        for (String row : csv.subList(1, csv.size())) {
            String[] cells = row.split(",", -1);
            assertThat(cells).hasSize(ReportWriter.COLUMNS.size());
            assertThat(cells[0]).isEqualTo("memory");
            for (int i = 1; i < cells.length; i++) {
                String column = ReportWriter.COLUMNS.get(i);
                if (OPTIONAL_COLUMNS.contains(column)) {
                    assertThat(cells[i]).as(column).isEmpty();
                } else {
                    assertThat(Double.parseDouble(cells[i])).as(column).isGreaterThanOrEqualTo(0);
                }
            }
        }
    }

    @Test
    void csvThreadsFollowTheLevels() {
        assertThat(csv.get(1)).startsWith("memory,1,");
        assertThat(csv.get(2)).startsWith("memory,2,");
    }

    @Test
    void runsOperations() {
        long operations = Long.parseLong(csv.get(1).split(",")[ReportWriter.COLUMNS.indexOf("operations")]);
        assertThat(operations).isPositive();
    }

    @Test
    void reportsNoErrors() {
        assertThat(csv.get(1).split(",")[ReportWriter.COLUMNS.indexOf("errors")]).isEqualTo("0");
    }

    @Test
    void jsonNamesBackend() {
        assertThat(json).contains("\"backend\": \"memory\"");
    }

    @Test
    void jsonHasLatencyFields() {
        assertThat(json).contains("\"p99_us\": ", "\"p999_us\": ", "\"throughput_ops_per_s\": ");
    }

    @Test
    void jsonWritesMissingUnitsAsNull() {
        assertThat(json).contains("\"write_units_per_op\": null");
    }

    @Test
    void svgRootIsSvg() {
        assertThat(svg.getDocumentElement().getTagName()).isEqualTo("svg");
    }

    @Test
    void svgDrawsBothSeries() {
        assertThat(svg.getElementsByTagName("polyline").getLength()).isEqualTo(2);
    }

    @Test
    void invalidRatioFails() {
        assertThat(IdemCli.run("bench", "--duplicate-ratio", "2")).isEqualTo(IdemCli.FAILED);
    }

    @Test
    void unknownBackendFails() {
        assertThat(IdemCli.run("bench", "--backend", "oracle")).isEqualTo(IdemCli.FAILED);
    }

    static String captureStdout(Runnable action) {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setOut(original);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
