package dev.vtrecycler.demo.ab;

import dev.vtrecycler.demo.compare.CompareReport;
import dev.vtrecycler.demo.measure.Stats;
import dev.vtrecycler.demo.measure.Units;
import dev.vtrecycler.demo.serve.ServerKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The A/B's tables, benchstat style: one table per metric, a row per load, a column per
 * configuration ("mean ± spread" over the rounds, {@link Stats}); every column after the first says
 * how it differs from the first (no agent), "~" when the difference is within either side's
 * spread, "?" when there is no ratio (the baseline failed, or was 0). Then a verdict line per configuration. Layout helpers and the noise rule are
 * {@code compare}'s ({@link CompareReport}).
 */
public final class ServiceReport {
    static final String FAILED = "failed";

    /** One table: its title, how to read a step's figure, how to print it. */
    public enum Metric {
        ACHIEVED("achieved rate", StepResult::achievedPerSecond, v -> Units.number(v) + "/s"),
        P50("p50 latency", StepResult::p50, Units::duration),
        P99("p99 latency", StepResult::p99, Units::duration),
        P999("p99.9 latency", StepResult::p999, Units::duration),
        CPU("server CPU per 1,000 requests", StepResult::cpuPerThousand, Units::duration),
        CPU_WITHOUT_JIT("server CPU per 1,000 requests, JIT compilers excluded", StepResult::cpuPerThousandWithoutJit,
                Units::duration),
        ALLOC("server bytes allocated per request", StepResult::bytesPerRequest, Units::bytes),
        GC_COUNT("server GCs per step", StepResult::gcCount, Units::number),
        GC_TIME("server GC time per step", StepResult::gcNanos, Units::duration),
        JIT_TIME("server JIT compile time per step", StepResult::jitNanos, Units::duration);

        final String title;
        final ToDoubleFunction<StepResult> figure;
        final Function<Double, String> unit;

        Metric(String title, ToDoubleFunction<StepResult> figure, Function<Double, String> unit) {
            this.title = title;
            this.figure = figure;
            this.unit = unit;
        }

        public String title() {
            return title;
        }

        public String format(double value) {
            return unit.apply(value);
        }
    }

    private final Map<ServiceAb.Key, List<StepResult>> results;
    private final List<Load> loads;
    private final List<ServiceConfig> configs;
    /** The per-round summary after the tables; null when built from bare step results. */
    private final ServerSummary summary;

    public ServiceReport(Map<ServiceAb.Key, List<StepResult>> results, List<Load> loads, List<ServiceConfig> configs) {
        this(results, loads, configs, null);
    }

    /** One server's report out of a whole run: the tables, the verdicts, then the per-round summary. */
    public ServiceReport(ServiceAbResults all, ServerKind server) {
        this(all.steps(server), all.plan().loads(), all.configs(), new ServerSummary(all, server));
    }

    private ServiceReport(Map<ServiceAb.Key, List<StepResult>> results, List<Load> loads, List<ServiceConfig> configs,
                          ServerSummary summary) {
        this.results = results;
        this.loads = loads;
        this.configs = configs;
        this.summary = summary;
    }

    public String render() {
        StringBuilder text = new StringBuilder();
        for (Metric metric : Metric.values()) {
            text.append(table(metric)).append('\n');
        }
        for (ServiceConfig config : configs.subList(1, configs.size())) {
            text.append(verdict(config)).append('\n');
        }
        if (summary != null) {
            text.append('\n').append(summary.render());
        }
        return text.toString();
    }

    String table(Metric metric) {
        List<String[]> rows = new ArrayList<>();
        String[] header = new String[configs.size() + 1];
        header[0] = metric.title;
        for (int c = 0; c < configs.size(); c++) {
            header[c + 1] = configs.get(c).label();
        }
        rows.add(header);
        for (Load load : loads) {
            String[] row = new String[configs.size() + 1];
            row[0] = load.describe();
            for (int c = 0; c < configs.size(); c++) {
                row[c + 1] = cell(metric, load, configs.get(c), c == 0 ? null : configs.get(0));
            }
            rows.add(row);
        }
        return CompareReport.columns(rows);
    }

    /** "2.41ms ± 3%", and against the baseline "2.50ms ± 2% +4%" or "... ~". */
    private String cell(Metric metric, Load load, ServiceConfig config, ServiceConfig baseline) {
        Stats stats = stats(metric, config, load);
        if (stats == null) {
            return FAILED;
        }
        String text = metric.unit.apply(stats.mean()) + " " + CompareReport.spread(stats.spreadPercent());
        if (baseline == null) {
            return text;
        }
        CompareReport.Change change = change(metric, config, baseline, load);
        // "?": no ratio to give (the baseline failed, or it was 0 where this is not, e.g. no GC at all)
        return text + " " + (change == null ? "?" : change.withinNoise() ? "~" : Units.change(change.ratio()));
    }

    /**
     * "verdict mode=observe vs no agent (500/s / 1000/s / 2000/s / max): p99 +3% / ~ / +10% / +2%;
     * server CPU/1k req ...; alloc/req ...; achieved at max -4%".
     */
    String verdict(ServiceConfig config) {
        ServiceConfig baseline = configs.get(0);
        List<String> names = loads.stream().map(l -> l.isMax() ? "max" : l.describe()).toList();
        List<String> parts = new ArrayList<>();
        parts.add("p99 " + changes(Metric.P99, config, baseline, loads));
        parts.add("server CPU/1k req " + changes(Metric.CPU, config, baseline, loads));
        parts.add("alloc/req " + changes(Metric.ALLOC, config, baseline, loads));
        List<Load> max = loads.stream().filter(Load::isMax).toList();
        if (!max.isEmpty()) {
            parts.add("achieved at max " + changes(Metric.ACHIEVED, config, baseline, max));
        }
        return "verdict " + config.label() + " vs " + baseline.label() + " (" + String.join(" / ", names) + "): "
                + String.join("; ", parts);
    }

    private String changes(Metric metric, ServiceConfig config, ServiceConfig baseline, List<Load> which) {
        List<String> out = new ArrayList<>();
        for (Load load : which) {
            CompareReport.Change change = change(metric, config, baseline, load);
            out.add(change == null ? "n/a" : change.withinNoise() ? "~" : Units.change(change.ratio()));
        }
        return String.join(" / ", out);
    }

    private CompareReport.Change change(Metric metric, ServiceConfig config, ServiceConfig baseline, Load load) {
        Stats measured = stats(metric, config, load);
        Stats base = stats(metric, baseline, load);
        if (measured == null || base == null) {
            return null;
        }
        if (base.mean() == 0) {
            return measured.mean() == 0 ? new CompareReport.Change(1, true) : null; // e.g. no GC on either side
        }
        return CompareReport.Change.of(measured, base);
    }

    /** Mean and spread over the rounds of one cell, or null when no round measured it. */
    public Stats stats(Metric metric, ServiceConfig config, Load load) {
        List<StepResult> rounds = results.get(new ServiceAb.Key(config, load));
        if (rounds == null || rounds.isEmpty()) {
            return null;
        }
        return Stats.of(rounds.stream().mapToDouble(metric.figure).toArray());
    }
}
