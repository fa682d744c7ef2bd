package dev.vtrecycler.demo.report;

import dev.vtrecycler.demo.cli.CommandFailure;
import dev.vtrecycler.demo.cli.Option;
import dev.vtrecycler.demo.cli.ParsedOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The {@code --html} and {@code --svg-dir} options a measuring command shares, and writing what they
 * ask for. Created when the command starts, so the report can say how busy the machine was at the
 * start and at the end of the run: time figures on a shared machine mean little without that.
 */
public final class ReportFiles {
    public static final List<Option> OPTIONS = List.of(
            Option.text("html", "file", "also write a self-contained HTML report (tables, SVG charts) to this file"),
            Option.text("svg-dir", "dir", "also write each chart of that report as an SVG file into this directory"));

    private final Path html;
    private final Path svgDir;
    private final double loadAtStart;

    private ReportFiles(Path html, Path svgDir, double loadAtStart) {
        this.html = html;
        this.svgDir = svgDir;
        this.loadAtStart = loadAtStart;
    }

    public static ReportFiles from(ParsedOptions options) {
        return new ReportFiles(path(options.text("html")), path(options.text("svg-dir")), loadAverage());
    }

    private static Path path(String text) {
        return text == null ? null : Paths.get(text);
    }

    /**
     * Builds the report (given the machine's conditions, "load average 1.7 at start, 2.3 at end") and
     * writes the files asked for; nothing when neither option was given. Prints where each went.
     */
    public void write(Function<String, Report> build) {
        if (html == null && svgDir == null) {
            return;
        }
        Report report = build.apply(conditions(loadAtStart, loadAverage()));
        try {
            if (html != null) {
                createParent(html);
                Files.writeString(html, report.page().render(), StandardCharsets.UTF_8);
                System.err.println("report: " + html.toAbsolutePath());
            }
            if (svgDir != null) {
                Files.createDirectories(svgDir);
                for (Chart chart : report.charts()) {
                    Path file = svgDir.resolve(chart.id() + ".svg");
                    Files.writeString(file, ChartSvg.render(chart), StandardCharsets.UTF_8);
                    System.err.println("chart: " + file.toAbsolutePath());
                }
            }
        } catch (IOException e) {
            throw new CommandFailure("cannot write the report: " + e);
        }
    }

    static String conditions(double start, double end) {
        if (start < 0 || end < 0) {
            return "load average not available on this system";
        }
        return String.format(Locale.ROOT, "load average %.1f at start, %.1f at end", start, end);
    }

    /** The 1-minute load average, or a negative number where the system does not say. */
    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static void createParent(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }
}
