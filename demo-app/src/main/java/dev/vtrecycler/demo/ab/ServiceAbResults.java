package dev.vtrecycler.demo.ab;

import dev.vtrecycler.demo.measure.Stats;
import dev.vtrecycler.demo.serve.ServerKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * Everything a {@code service-ab} invocation measured, for the text report ({@link ServiceReport})
 * and any other renderer: the plan, the servers and configurations in their report order (the first
 * configuration is the baseline), one {@link ServerRun} per server JVM, and what failed.
 */
public record ServiceAbResults(ServiceAb.Plan plan, List<ServerKind> servers, List<ServiceConfig> configs,
                               List<ServerRun> runs, List<String> failures) {

    public ServiceAbResults {
        servers = List.copyOf(servers);
        configs = List.copyOf(configs);
        runs = List.copyOf(runs);
        failures = List.copyOf(failures);
    }

    /** One server's steps per (configuration, load), one entry per round that measured it, in round order. */
    public Map<ServiceAb.Key, List<StepResult>> steps(ServerKind server) {
        Map<ServiceAb.Key, List<StepResult>> steps = new LinkedHashMap<>();
        for (ServerRun run : runs(server)) {
            for (Load load : plan.loads()) {
                StepResult step = run.steps().get(load);
                if (step != null) {
                    steps.computeIfAbsent(new ServiceAb.Key(run.config(), load), k -> new ArrayList<>()).add(step);
                }
            }
        }
        return steps;
    }

    public List<ServerRun> runs(ServerKind server) {
        return runs.stream().filter(r -> r.server() == server).toList();
    }

    public List<ServerRun> runs(ServerKind server, ServiceConfig config) {
        return runs.stream().filter(r -> r.server() == server && r.config() == config).toList();
    }

    /**
     * Per round in which both measured this load: {@code figure(config) / figure(baseline)}, in round
     * order. Pairing by round cancels what drifts between rounds (the machine's other work), which is
     * why the report's ratios are medians of these rather than ratios of means.
     */
    public List<Double> perRoundRatios(ServerKind server, ServiceConfig config, ServiceConfig baseline, Load load,
                                       ToDoubleFunction<StepResult> figure) {
        Map<Integer, StepResult> base = new LinkedHashMap<>();
        for (ServerRun run : runs(server, baseline)) {
            base.put(run.round(), run.steps().get(load));
        }
        List<Double> ratios = new ArrayList<>();
        for (ServerRun run : runs(server, config)) {
            StepResult measured = run.steps().get(load);
            StepResult against = base.get(run.round());
            if (measured != null && against != null && figure.applyAsDouble(against) > 0) {
                ratios.add(figure.applyAsDouble(measured) / figure.applyAsDouble(against));
            }
        }
        return ratios;
    }

    /** The median of {@link #perRoundRatios}; NaN when no round measured both. */
    public double medianRatio(ServerKind server, ServiceConfig config, ServiceConfig baseline, Load load,
                              ToDoubleFunction<StepResult> figure) {
        List<Double> ratios = perRoundRatios(server, config, baseline, load, figure);
        return ratios.isEmpty() ? Double.NaN : Stats.median(ratios.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Failed requests of one server and configuration at one load, summed over the rounds. */
    public long failedRequests(ServerKind server, ServiceConfig config, Load load) {
        return runs(server, config).stream().map(r -> r.steps().get(load)).filter(Objects::nonNull)
                .mapToLong(StepResult::errors).sum();
    }

    /** The recycler series any run of this server and configuration exported, sorted by name. */
    public List<String> recyclerSeries(ServerKind server, ServiceConfig config) {
        TreeSet<String> names = new TreeSet<>();
        runs(server, config).forEach(r -> names.addAll(r.recyclerMetrics().keySet()));
        return List.copyOf(names);
    }
}
