package dev.vtrecycler.demo.report;

import dev.vtrecycler.demo.ab.Load;
import dev.vtrecycler.demo.ab.ServiceAb;
import dev.vtrecycler.demo.ab.ServiceConfig;
import dev.vtrecycler.demo.ab.ServiceReport;
import dev.vtrecycler.demo.ab.StepResult;
import dev.vtrecycler.demo.compare.AgentConfig;
import dev.vtrecycler.demo.compare.Cell;
import dev.vtrecycler.demo.compare.RunResult;
import dev.vtrecycler.demo.compare.Workload;
import dev.vtrecycler.demo.measure.ProcessStats;
import dev.vtrecycler.demo.measure.ResultLine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Results shaped like real runs (the README's compare figures; a service A/B with a saturated step),
 * for the report's tests, so every chart kind is drawn, including a failed cell.
 */
public final class ReportSamples {
    private ReportSamples() {}

    public static final List<Integer> PARALLELISMS = List.of(1, 2);
    public static final List<Workload> WORKLOADS = List.of(Workload.SIEVE, Workload.PING);
    /** The cell that failed: its bars say "failed". */
    public static final Cell FAILED_CELL = new Cell(Workload.PING, 2, AgentConfig.RECYCLE_JDK_WAKEUPS);

    /** Ops at 0.9x, 1x and 1.1x of the given mean: spread 10%. */
    private static RunResult run(double millis, double bytes) {
        List<ResultLine.Measurement> ops = new ArrayList<>();
        double[] factors = {0.9, 1.0, 1.1};
        for (int i = 0; i < factors.length; i++) {
            ops.add(new ResultLine.Measurement(i + 1, (long) (millis * 1e6 * factors[i]), (long) (bytes * factors[i])));
        }
        return new RunResult(ops, new ResultLine.Reuse(400, 60), true, null);
    }

    public static Map<Cell, RunResult> compareResults() {
        Map<Cell, RunResult> results = new LinkedHashMap<>();
        // in AgentConfig order: no agent, observe, recycle, recycle with JDK wake-ups, schedule
        double[][] sieve = {{395, 72.6e6}, {580, 72.6e6}, {571, 501e3}, {628, 72.3e6}, {499, 0.9e6}};
        double[][] ping = {{44.5, 1.30e6}, {31, 1.29e6}, {35.1, 775e3}, {33.0, 829e3}, {30.5, 1.02e6}};
        AgentConfig[] configs = AgentConfig.values();
        for (int parallelism : PARALLELISMS) {
            double speedup = parallelism == 1 ? 1 : 0.6;
            for (int c = 0; c < configs.length; c++) {
                results.put(new Cell(Workload.SIEVE, parallelism, configs[c]), run(sieve[c][0] * speedup, sieve[c][1]));
                results.put(new Cell(Workload.PING, parallelism, configs[c]), run(ping[c][0] * speedup, ping[c][1]));
            }
        }
        results.put(FAILED_CELL, RunResult.skipped("child JVM exited with 1"));
        return results;
    }

    public static final List<Load> LOADS = List.of(Load.rate(2000), Load.rate(5000), Load.max(64));
    public static final List<ServiceConfig> CONFIGS = ServiceConfig.DEFAULT;

    private static StepResult step(double rate, double p50Millis, double p99Millis, double cpuMillisPer1k,
                                   long bytesPerRequest, double f) {
        long completed = (long) (rate * 8);
        ProcessStats server = new ProcessStats((long) (cpuMillisPer1k * 1e6 * completed / 1000 * f),
                (long) (bytesPerRequest * completed * f), 3, 12, 40, completed);
        return new StepResult(rate * f, p50Millis * 1e6 * f, p99Millis * 1e6 * f, 3 * p99Millis * 1e6 * f,
                completed, 0, server);
    }

    public static ServiceReport serviceReport() {
        Map<ServiceAb.Key, List<StepResult>> results = new HashMap<>();
        double[] cost = {1.0, 1.1, 1.2, 1.05};
        for (int c = 0; c < CONFIGS.size(); c++) {
            ServiceConfig config = CONFIGS.get(c);
            long bytes = c >= 2 ? 2200 : 1660;
            results.put(new ServiceAb.Key(config, LOADS.get(0)), List.of(
                    step(2000, 2.4, 4.0 * cost[c], 60 * cost[c], bytes, 0.95), step(2000, 2.4, 4.0 * cost[c], 60 * cost[c], bytes, 1.05)));
            results.put(new ServiceAb.Key(config, LOADS.get(1)), List.of(
                    step(5000, 2.6, 9.0 * cost[c], 58 * cost[c], bytes, 0.9), step(5000, 2.6, 9.0 * cost[c], 58 * cost[c], bytes, 1.1)));
            if (config != ServiceConfig.OBSERVE) { // one failed cell: the chart leaves a gap, the table says "failed"
                results.put(new ServiceAb.Key(config, LOADS.get(2)), List.of(
                        step(15000 / cost[c], 40, 900 * cost[c], 55 * cost[c], bytes, 0.97),
                        step(15000 / cost[c], 40, 900 * cost[c], 55 * cost[c], bytes, 1.03)));
            }
        }
        return new ServiceReport(results, LOADS, CONFIGS);
    }

    public static Report compareReport() {
        return CompareHtml.report(compareResults(), PARALLELISMS, WORKLOADS, "JDK 25 (test), 2 processors.",
                "the text tables <as printed> & more", "load average 1.7 at start, 1.8 at end");
    }

    public static Report serviceAbReport() {
        return ServiceAbHtml.report(serviceReport(), LOADS, CONFIGS, "JDK 25 (test), 2 processors.", "tables",
                "load average 5.5 at start, 10.5 at end");
    }
}
