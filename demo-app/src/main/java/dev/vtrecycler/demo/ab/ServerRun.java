package dev.vtrecycler.demo.ab;

import dev.vtrecycler.demo.serve.ServerKind;
import java.util.Map;

/**
 * One server JVM of the A/B: which server and configuration, in which round, what each load step
 * measured (in the plan's order; a step that failed is missing), the machine's load average over the
 * run, and the recycler's series scraped from the agent's endpoint at the end ({@link MetricsScrape};
 * empty without the agent or when the endpoint could not be read).
 */
public record ServerRun(ServerKind server, ServiceConfig config, int round, Map<Load, StepResult> steps,
                        LoadAverage loadAverage, Map<String, Double> recyclerMetrics) {

    public ServerRun {
        steps = Map.copyOf(steps);
        recyclerMetrics = Map.copyOf(recyclerMetrics);
    }
}
