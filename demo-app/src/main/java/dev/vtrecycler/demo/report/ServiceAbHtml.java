package dev.vtrecycler.demo.report;

import dev.vtrecycler.demo.ab.Load;
import dev.vtrecycler.demo.ab.ServiceConfig;
import dev.vtrecycler.demo.ab.ServiceReport;
import dev.vtrecycler.demo.ab.ServiceReport.Metric;
import dev.vtrecycler.demo.compare.CompareReport;
import dev.vtrecycler.demo.measure.Stats;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code service-ab}'s HTML report: latency percentiles per request rate as lines (log scale: at
 * saturation the tail grows by orders of magnitude), then throughput and the server's cost per
 * request as bars, a column per configuration; each with its table, then the command's text output.
 */
public final class ServiceAbHtml {
    private ServiceAbHtml() {}

    private static final List<Metric> LATENCY = List.of(Metric.P50, Metric.P99, Metric.P999);

    public static Report report(ServiceReport figures, List<Load> loads, List<ServiceConfig> configs,
                                String header, String text, String conditions) {
        HtmlPage page = new HtmlPage("vtrecycler service-ab: the Jetty service with and without the agent");
        page.note(header.lines().findFirst().orElse("") + " " + CompareHtml.capitalized(conditions) + ".");
        page.note("Each value is the mean over the rounds, ± the largest distance of a round from it (benchstat)."
                + " Fixed rates are open loop; latency counts from the intended send time.");
        String note = "JDK " + Runtime.version().feature() + ", " + Runtime.getRuntime().availableProcessors()
                + " processors, " + conditions + "; whiskers: spread over rounds";
        List<String> series = configs.stream().map(ServiceConfig::label).toList();
        List<Chart> charts = new ArrayList<>();

        List<Chart.Panel> latencyPanels = LATENCY.stream().map(m -> panel(figures, m, loads, configs)).toList();
        charts.add(new Chart("service-ab-latency", "Latency percentiles per request rate", note, "latency",
                Chart.Style.LINES, Chart.Scale.LOG, series, latencyPanels, Metric.P50::format));
        page.heading("Latency");
        for (Metric metric : LATENCY) {
            page.table(table(figures, metric, loads, configs));
        }
        page.chart(charts.get(0));

        for (Metric metric : Metric.values()) {
            if (LATENCY.contains(metric)) {
                continue;
            }
            Chart chart = new Chart("service-ab-" + metric.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                    capitalizedTitle(metric) + " per load", note, metric.title(), Chart.Style.BARS, Chart.Scale.LINEAR,
                    series, List.of(panel(figures, metric, loads, configs)), metric::format);
            charts.add(chart);
            page.heading(capitalizedTitle(metric));
            page.table(table(figures, metric, loads, configs));
            page.chart(chart);
        }
        page.heading("The command's output");
        page.preformatted(header + "\n\n" + text);
        return new Report(page, charts);
    }

    private static String capitalizedTitle(Metric metric) {
        return CompareHtml.capitalized(metric.title());
    }

    private static Chart.Panel panel(ServiceReport figures, Metric metric, List<Load> loads, List<ServiceConfig> configs) {
        List<List<Chart.Value>> values = new ArrayList<>();
        for (ServiceConfig config : configs) {
            values.add(loads.stream().map(load -> value(figures.stats(metric, config, load))).toList());
        }
        return new Chart.Panel(metric.title(), loads.stream().map(Load::describe).toList(), values);
    }

    private static List<String[]> table(ServiceReport figures, Metric metric, List<Load> loads,
                                        List<ServiceConfig> configs) {
        List<String[]> rows = new ArrayList<>();
        String[] header = new String[configs.size() + 1];
        header[0] = metric.title();
        for (int c = 0; c < configs.size(); c++) {
            header[c + 1] = configs.get(c).label();
        }
        rows.add(header);
        for (Load load : loads) {
            String[] row = new String[configs.size() + 1];
            row[0] = load.describe();
            for (int c = 0; c < configs.size(); c++) {
                Stats stats = figures.stats(metric, configs.get(c), load);
                row[c + 1] = stats == null ? "failed"
                        : metric.format(stats.mean()) + " " + CompareReport.spread(stats.spreadPercent());
            }
            rows.add(row);
        }
        return rows;
    }

    private static Chart.Value value(Stats stats) {
        return stats == null ? Chart.Value.MISSING : new Chart.Value(stats.mean(), stats.spreadPercent());
    }
}
