package dev.idem.bench.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Writes the results of {@code idem bench} as a text table, CSV or JSON. */
final class ReportWriter {

    /** The CSV header; the JSON fields have the same names. */
    static final List<String> COLUMNS = List.of(
            "backend", "threads", "seconds", "operations", "throughput_ops_per_s",
            "p50_us", "p90_us", "p99_us", "p999_us", "max_us",
            "store_calls_per_op", "round_trips_per_op", "executed", "replayed", "in_flight", "errors", "pool_size",
            "write_units_per_op", "read_units_per_op", "cost_per_million_ops");

    private ReportWriter() {
    }

    /** Prints the human-readable table, one row per concurrency level. */
    static void printTable(PrintStream out, List<LevelResult> results) {
        out.printf(Locale.ROOT, "%7s %12s %9s %9s %9s %9s %9s %8s %11s %9s %9s %9s %7s%n",
                "threads", "ops/s", "p50 us", "p90 us", "p99 us", "p99.9 us", "max us",
                "calls/op", "round trips", "executed", "replayed", "in-flight", "errors");
        for (LevelResult r : results) {
            out.printf(Locale.ROOT, "%7d %,12.0f %9.1f %9.1f %9.1f %9.1f %9.1f %8.2f %11.2f %9d %9d %9d %7d%n",
                    r.threads(), r.throughput(), r.p50Micros(), r.p90Micros(), r.p99Micros(), r.p999Micros(),
                    r.maxMicros(), r.storeCallsPerOp(), r.roundTripsPerOp(), r.executed(), r.replayed(),
                    r.inFlight(), r.errors());
        }
        for (LevelResult r : results) {
            if (r.writeUnitsPerOp() != null) {
                out.printf(Locale.ROOT, "threads=%d: consumed capacity %.3f write units and %.3f read units per"
                        + " operation%s%n", r.threads(), r.writeUnitsPerOp(), r.readUnitsPerOp(),
                        r.costPerMillionOps() == null ? ""
                                : String.format(Locale.ROOT, ", estimated cost %.4f per million operations",
                                        r.costPerMillionOps()));
            }
        }
        for (LevelResult r : results) {
            if (r.firstError() != null) {
                out.printf("first error at %d threads: %s%n", r.threads(), r.firstError());
            }
        }
    }

    /** Writes CSV when the file name ends in {@code .csv}, JSON when it ends in {@code .json}. */
    static void write(Path file, String backend, List<LevelResult> results) throws IOException {
        String text = formatOf(file).equals("csv") ? csv(backend, results) : json(backend, results);
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /** Returns "csv" or "json" from the file name, or throws when the name ends in neither. */
    static String formatOf(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return "csv";
        }
        if (name.endsWith(".json")) {
            return "json";
        }
        throw new IllegalArgumentException("Cannot tell the format of --output " + file
                + ": give a file name that ends in .csv or .json");
    }

    static String csv(String backend, List<LevelResult> results) {
        StringBuilder csv = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        for (LevelResult r : results) {
            List<String> values = values(backend, r);
            csv.append(String.join(",", values)).append('\n');
        }
        return csv.toString();
    }

    static String json(String backend, List<LevelResult> results) {
        StringBuilder json = new StringBuilder("{\n  \"backend\": \"").append(backend).append("\",\n  \"levels\": [\n");
        for (int i = 0; i < results.size(); i++) {
            List<String> values = values(backend, results.get(i));
            json.append("    {");
            // The backend column is the top-level field, so each level starts at the second column.
            for (int column = 1; column < COLUMNS.size(); column++) {
                String value = values.get(column).isEmpty() ? "null" : values.get(column);
                json.append('"').append(COLUMNS.get(column)).append("\": ").append(value);
                json.append(column + 1 < COLUMNS.size() ? ", " : "");
            }
            String error = results.get(i).firstError();
            if (error != null) {
                json.append(", \"first_error\": \"").append(escapeJson(error)).append('"');
            }
            json.append(i + 1 < results.size() ? "},\n" : "}\n");
        }
        return json.append("  ]\n}\n").toString();
    }

    private static List<String> values(String backend, LevelResult r) {
        return List.of(backend, String.valueOf(r.threads()), number(r.seconds()), String.valueOf(r.operations()),
                number(r.throughput()), number(r.p50Micros()), number(r.p90Micros()), number(r.p99Micros()),
                number(r.p999Micros()), number(r.maxMicros()), number(r.storeCallsPerOp()),
                number(r.roundTripsPerOp()), String.valueOf(r.executed()), String.valueOf(r.replayed()),
                String.valueOf(r.inFlight()), String.valueOf(r.errors()), String.valueOf(r.poolSize()),
                optional(r.writeUnitsPerOp()), optional(r.readUnitsPerOp()), optional(r.costPerMillionOps()));
    }

    /** Prints a missing figure as an empty CSV cell; {@link #json} turns it into {@code null}. */
    private static String optional(Double value) {
        return value == null ? "" : String.format(Locale.ROOT, "%.4f", value);
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    private static String escapeJson(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> escaped.append("\\\"");
                case '\\' -> escaped.append("\\\\");
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                case '\t' -> escaped.append("\\t");
                default -> {
                    if (c < 0x20) {
                        escaped.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        escaped.append(c);
                    }
                }
            }
        }
        return escaped.toString();
    }
}
