package dev.vtrecycler.agent;

import dev.vtrecycler.agent.config.AgentConfig;
import dev.vtrecycler.agent.metrics.AgentMeterRegistry;
import java.lang.instrument.Instrumentation;

/** mode=recycle: the recycler, its metrics and routing (wired as those parts land). */
final class RecyclingSetup {
    static void install(Instrumentation inst, AgentConfig config, AgentMeterRegistry meters) {
        // wired in the next commits: Recycler.install, RecyclerMetrics, RoutingInstaller
    }

    private RecyclingSetup() {}
}
