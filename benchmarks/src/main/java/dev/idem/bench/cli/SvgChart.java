package dev.idem.bench.cli;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Draws throughput and p99 latency against concurrency as one self-contained SVG file: two line
 * charts side by side, with the concurrency levels spaced evenly on the x axis because they are
 * usually powers of two or eight apart.
 */
final class SvgChart {

    private static final int WIDTH = 1050;
    private static final int HEIGHT = 440;
    private static final int PANEL_WIDTH = 420;
    private static final int PANEL_HEIGHT = 280;
    private static final int TOP = 100;
    private static final int LEFT = 90;
    private static final int GAP = 90;
    private static final int GRID_LINES = 5;

    private SvgChart() {
    }

    /** Renders the chart; {@code subtitle} names the settings, such as duration and duplicate ratio. */
    static String render(String backend, String subtitle, List<LevelResult> results) {
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                        + " font-family=\"DejaVu Sans, Arial, sans-serif\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        text(svg, WIDTH / 2.0, 30, 20, "middle", "idem bench: " + backend);
        text(svg, WIDTH / 2.0, 54, 13, "middle", subtitle);

        panel(svg, LEFT, "Throughput (operations/s)", "#1f77b4", results, LevelResult::throughput);
        panel(svg, LEFT + PANEL_WIDTH + GAP, "p99 latency (microseconds)", "#d62728", results, LevelResult::p99Micros);
        return svg.append("</svg>\n").toString();
    }

    private static void panel(StringBuilder svg, int left, String title, String color, List<LevelResult> results,
                              ToDoubleFunction<LevelResult> metric) {
        int bottom = TOP + PANEL_HEIGHT;
        double max = 0;
        for (LevelResult result : results) {
            max = Math.max(max, metric.applyAsDouble(result));
        }
        double axisMax = niceCeiling(max);

        text(svg, left + PANEL_WIDTH / 2.0, TOP - 10, 14, "middle", title);

        // Horizontal grid lines with their values on the y axis.
        for (int i = 0; i <= GRID_LINES; i++) {
            double value = axisMax * i / GRID_LINES;
            double y = bottom - PANEL_HEIGHT * (double) i / GRID_LINES;
            svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#dddddd\"/>%n",
                    left, y, left + PANEL_WIDTH, y));
            text(svg, left - 8, y + 4, 11, "end", formatValue(value));
        }
        svg.append(String.format(Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#444444\"/>%n",
                left, TOP, PANEL_WIDTH, PANEL_HEIGHT));

        // One point per level, evenly spaced, joined by a line and labelled with its value.
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < results.size(); i++) {
            LevelResult result = results.get(i);
            double x = xOf(left, i, results.size());
            double value = metric.applyAsDouble(result);
            double y = bottom - (axisMax == 0 ? 0 : PANEL_HEIGHT * value / axisMax);
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            svg.append(String.format(Locale.ROOT,
                    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"/>%n", x, y, color));
            text(svg, x, y - 9, 11, "middle", formatValue(value));
            text(svg, x, bottom + 18, 12, "middle", String.valueOf(result.threads()));
        }
        svg.append(String.format(Locale.ROOT,
                "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n",
                points.toString().trim(), color));
        text(svg, left + PANEL_WIDTH / 2.0, bottom + 40, 12, "middle", "concurrent threads");
    }

    private static double xOf(int left, int index, int count) {
        if (count == 1) {
            return left + PANEL_WIDTH / 2.0;
        }
        double margin = 40;
        return left + margin + (PANEL_WIDTH - 2 * margin) * index / (count - 1);
    }

    /** Rounds up to 1, 2, 2.5 or 5 times a power of ten, so that grid lines fall on round values. */
    static double niceCeiling(double value) {
        if (value <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (value <= step * magnitude) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String formatValue(double value) {
        if (value == 0) {
            return "0";
        }
        if (value >= 1_000_000) {
            return String.format(Locale.ROOT, "%.2fM", value / 1_000_000);
        }
        if (value >= 10_000) {
            return String.format(Locale.ROOT, "%.0fk", value / 1_000);
        }
        if (value >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static void text(StringBuilder svg, double x, double y, int size, String anchor, String content) {
        svg.append(String.format(Locale.ROOT,
                "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" text-anchor=\"%s\" fill=\"#222222\">%s</text>%n",
                x, y, size, anchor, escapeXml(content)));
    }

    private static String escapeXml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
