package dev.vtrecycler.demo.report;

import dev.vtrecycler.demo.compare.AgentConfig;
import dev.vtrecycler.demo.compare.Cell;
import dev.vtrecycler.demo.compare.CompareReport;
import dev.vtrecycler.demo.compare.RunResult;
import dev.vtrecycler.demo.compare.Workload;
import dev.vtrecycler.demo.measure.Stats;
import dev.vtrecycler.demo.measure.Units;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleFunction;
import java.util.function.Function;

/**
 * {@code compare}'s HTML report: for time/op and alloc/op a table (a row per workload and
 * parallelism, a column per configuration, "mean ± spread") and a chart with a panel per workload,
 * then the command's text output as printed. Allocation is drawn on a log scale: with and without
 * recycling it differs by two orders of magnitude.
 */
public final class CompareHtml {
    private CompareHtml() {}

    /** Columns left to right: the baseline first, as in every chart of the report. */
    static final List<AgentConfig> CONFIGS = Arrays.asList(AgentConfig.values());

    private record Metric(String id, String title, String unit, Function<RunResult, Stats> stat,
                          DoubleFunction<String> format, Chart.Scale scale) {}

    private static final List<Metric> METRICS = List.of(
            new Metric("compare-time", "Time per op", "time/op", RunResult::time, Units::duration, Chart.Scale.LINEAR),
            new Metric("compare-alloc", "Allocation per op", "alloc/op", RunResult::alloc, Units::bytes, Chart.Scale.LOG));

    /**
     * @param header     the command's header lines (JDK, processors, what one op is)
     * @param text       the tables and comparison lines the command printed
     * @param conditions how busy the machine was ({@link ReportFiles})
     */
    public static Report report(Map<Cell, RunResult> results, List<Integer> parallelisms, List<Workload> workloads,
                                String header, String text, String conditions) {
        HtmlPage page = new HtmlPage("vtrecycler compare: the seed's workloads with and without the agent");
        page.note(header.lines().findFirst().orElse("") + " " + capitalized(conditions) + ".");
        page.note("Each value is the mean over one JVM's measured ops, ± the largest distance of an op from it"
                + " after dropping outliers (benchstat). -2 rows run with 2 carrier threads.");
        List<Chart> charts = new ArrayList<>();
        for (Metric metric : METRICS) {
            page.heading(metric.title());
            page.table(table(results, parallelisms, workloads, metric));
            Chart chart = chart(results, parallelisms, workloads, metric, note(conditions));
            page.chart(chart);
            charts.add(chart);
        }
        page.heading("The command's output");
        page.preformatted(header + "\n\n" + text);
        return new Report(page, charts);
    }

    private static String note(String conditions) {
        return "JDK " + Runtime.version().feature() + ", " + Runtime.getRuntime().availableProcessors()
                + " processors, " + conditions + "; bars: mean, whiskers: spread";
    }

    private static List<String[]> table(Map<Cell, RunResult> results, List<Integer> parallelisms,
                                        List<Workload> workloads, Metric metric) {
        List<String[]> rows = new ArrayList<>();
        String[] header = new String[CONFIGS.size() + 1];
        header[0] = metric.unit();
        for (int c = 0; c < CONFIGS.size(); c++) {
            header[c + 1] = CONFIGS.get(c).label();
        }
        rows.add(header);
        for (Workload workload : workloads) {
            for (int parallelism : parallelisms) {
                String[] row = new String[CONFIGS.size() + 1];
                row[0] = workload.rowName(parallelism);
                for (int c = 0; c < CONFIGS.size(); c++) {
                    Chart.Value value = value(results, new Cell(workload, parallelism, CONFIGS.get(c)), metric);
                    row[c + 1] = value.present()
                            ? metric.format().apply(value.mean()) + " " + CompareReport.spread(value.spreadPercent())
                            : "failed";
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static Chart chart(Map<Cell, RunResult> results, List<Integer> parallelisms, List<Workload> workloads,
                               Metric metric, String note) {
        List<Chart.Panel> panels = new ArrayList<>();
        for (Workload workload : workloads) {
            List<String> categories = parallelisms.stream().map(workload::rowName).toList();
            List<List<Chart.Value>> values = new ArrayList<>();
            for (AgentConfig config : CONFIGS) {
                values.add(parallelisms.stream()
                        .map(p -> value(results, new Cell(workload, p, config), metric)).toList());
            }
            panels.add(new Chart.Panel(workload.rowName(1), categories, values));
        }
        List<String> series = CONFIGS.stream().map(AgentConfig::label).toList();
        return new Chart(metric.id(), metric.title() + ", by workload and configuration", note, metric.unit(),
                Chart.Style.BARS, metric.scale(), series, panels, metric.format());
    }

    private static Chart.Value value(Map<Cell, RunResult> results, Cell cell, Metric metric) {
        RunResult result = results.get(cell);
        if (result == null || !result.ok()) {
            return Chart.Value.MISSING;
        }
        Stats stats = metric.stat().apply(result);
        return new Chart.Value(stats.mean(), stats.spreadPercent());
    }

    static String capitalized(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
