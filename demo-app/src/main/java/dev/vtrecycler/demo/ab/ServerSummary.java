package dev.vtrecycler.demo.ab;

import dev.vtrecycler.demo.compare.CompareReport;
import dev.vtrecycler.demo.measure.Stats;
import dev.vtrecycler.demo.serve.ServerKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The part of a server's report that pairs runs by round ({@link ServiceAbResults#perRoundRatios}):
 * requests/s against the baseline and against mode=observe, CPU per request against mode=observe
 * (with and without the JIT compilers' time),
 * bytes per request against the baseline, each the median per-round ratio followed by every
 * round's; failed requests; the load average each configuration ran under; and the recycler
 * series the agent exported at the end of each run.
 */
final class ServerSummary {
    private final ServiceAbResults results;
    private final ServerKind server;
    private final List<ServiceConfig> configs;
    private final ServiceConfig baseline;

    ServerSummary(ServiceAbResults results, ServerKind server) {
        this.results = results;
        this.server = server;
        this.configs = results.configs();
        this.baseline = configs.get(0);
    }

    String render() {
        StringBuilder text = new StringBuilder();
        List<ServiceConfig> againstBaseline = configs.subList(1, configs.size());
        List<ServiceConfig> againstObserve = configs.stream()
                .filter(c -> c != ServiceConfig.OBSERVE && c != ServiceConfig.NO_AGENT).toList();
        boolean observe = configs.contains(ServiceConfig.OBSERVE) && baseline != ServiceConfig.OBSERVE;
        if (!againstBaseline.isEmpty()) {
            text.append(ratios("requests/s vs " + baseline.label(), baseline, againstBaseline,
                    StepResult::achievedPerSecond)).append('\n');
        }
        if (observe && !againstObserve.isEmpty()) {
            text.append(ratios("requests/s vs mode=observe", ServiceConfig.OBSERVE, againstObserve,
                    StepResult::achievedPerSecond)).append('\n');
            text.append(ratios("server CPU per request vs mode=observe", ServiceConfig.OBSERVE, againstObserve,
                    StepResult::cpuPerThousand)).append('\n');
            text.append(ratios("server CPU per request without the JIT's vs mode=observe", ServiceConfig.OBSERVE,
                    againstObserve, StepResult::cpuPerThousandWithoutJit)).append('\n');
        }
        if (!againstBaseline.isEmpty()) {
            text.append(ratios("bytes per request vs " + baseline.label(), baseline, againstBaseline,
                    StepResult::bytesPerRequest)).append('\n');
        }
        text.append(failed()).append('\n');
        text.append(loadAverages()).append('\n');
        text.append(recyclerSeries());
        return text.toString();
    }

    /** A row per load, a column per configuration: "0.912x (0.89 0.95 0.91)", the median first. */
    String ratios(String title, ServiceConfig against, List<ServiceConfig> columns, ToDoubleFunction<StepResult> figure) {
        List<String[]> rows = new ArrayList<>();
        rows.add(header(title + ", median per-round ratio (rounds)", columns));
        for (Load load : results.plan().loads()) {
            String[] row = new String[columns.size() + 1];
            row[0] = load.describe();
            for (int c = 0; c < columns.size(); c++) {
                List<Double> ratios = results.perRoundRatios(server, columns.get(c), against, load, figure);
                row[c + 1] = ratios.isEmpty() ? "n/a" : String.format(Locale.ROOT, "%.3fx (%s)",
                        Stats.median(ratios.stream().mapToDouble(Double::doubleValue).toArray()),
                        ratios.stream().map(r -> String.format(Locale.ROOT, "%.2f", r)).collect(Collectors.joining(" ")));
            }
            rows.add(row);
        }
        return CompareReport.columns(rows);
    }

    String failed() {
        List<String[]> rows = new ArrayList<>();
        rows.add(header("failed requests, all rounds", configs));
        for (Load load : results.plan().loads()) {
            String[] row = new String[configs.size() + 1];
            row[0] = load.describe();
            for (int c = 0; c < configs.size(); c++) {
                row[c + 1] = Long.toString(results.failedRequests(server, configs.get(c), load));
            }
            rows.add(row);
        }
        return CompareReport.columns(rows);
    }

    /** The title, then a column per configuration. */
    private static String[] header(String title, List<ServiceConfig> columns) {
        String[] header = new String[columns.size() + 1];
        header[0] = title;
        for (int c = 0; c < columns.size(); c++) {
            header[c + 1] = columns.get(c).label();
        }
        return header;
    }

    /** A row per configuration: the mean of its runs' mean load averages, the highest sample, each run's mean. */
    String loadAverages() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"load average (1 min) during the runs", "mean", "max", "rounds"});
        for (ServiceConfig config : configs) {
            List<LoadAverage> known = results.runs(server, config).stream().map(ServerRun::loadAverage)
                    .filter(LoadAverage::known).toList();
            if (known.isEmpty()) {
                rows.add(new String[] {config.label(), "n/a", "n/a", ""});
                continue;
            }
            rows.add(new String[] {config.label(),
                    String.format(Locale.ROOT, "%.2f", known.stream().mapToDouble(LoadAverage::mean).average().orElseThrow()),
                    String.format(Locale.ROOT, "%.2f", known.stream().mapToDouble(LoadAverage::max).max().orElseThrow()),
                    known.stream().map(l -> String.format(Locale.ROOT, "%.2f", l.mean())).collect(Collectors.joining(" "))});
        }
        return CompareReport.columns(rows);
    }

    /**
     * Every recycler series any run exported, per configuration: the median over the runs and each
     * run's value (totals since the server started, warm-up included; a gauge is its value at the end).
     */
    String recyclerSeries() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"recycler series at the end of each run", "series", "median", "rounds"});
        for (ServiceConfig config : configs) {
            if (!config.hasAgent()) {
                continue;
            }
            List<ServerRun> runs = results.runs(server, config);
            for (String series : results.recyclerSeries(server, config)) {
                double[] values = runs.stream().map(r -> r.recyclerMetrics().get(series))
                        .filter(v -> v != null).mapToDouble(Double::doubleValue).toArray();
                rows.add(new String[] {config.label(), series, value(Stats.median(values)),
                        java.util.Arrays.stream(values).mapToObj(ServerSummary::value).collect(Collectors.joining(" "))});
            }
        }
        if (rows.size() == 1) {
            return "recycler series: none exported (vtrecycler_tasks_total comes with mode=recycle;"
                    + " vtrecycler_route_* with an agent that decides per route)\n";
        }
        return CompareReport.columns(rows);
    }

    /** Whole numbers as they are ("171,682"), others with three significant digits. */
    static String value(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.format(Locale.ROOT, "%,.0f", v)
                : String.format(Locale.ROOT, "%.3g", v);
    }
}
