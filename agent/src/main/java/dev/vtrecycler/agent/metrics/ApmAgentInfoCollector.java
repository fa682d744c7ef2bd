package dev.vtrecycler.agent.metrics;

import dev.vtrecycler.bootstrap.context.ApmAgents;
import dev.vtrecycler.bootstrap.context.TaskContext;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

/**
 * {@code vtrecycler_apm_agent_info{agent, trace_context}}: one series per known APM agent present,
 * saying whether recycled tasks carry its trace context ({@code carried}) or not
 * ({@code not_carried}). Computed at each scrape, because an APM agent may start after ours or be
 * attached later; no series when none is present. Registered on the Prometheus registry directly:
 * the label set is only known at scrape time.
 */
public final class ApmAgentInfoCollector implements Collector {
    static final String NAME = "vtrecycler_apm_agent";

    @Override
    public MetricSnapshot collect() {
        InfoSnapshot.Builder info = InfoSnapshot.builder()
                .name(NAME)
                .help("Known APM agents in this JVM and whether recycled tasks carry their trace context");
        String carried = TaskContext.carrying();
        for (ApmAgents.Known agent : ApmAgents.present()) {
            boolean isCarried = carried != null && carried.startsWith(agent.displayName());
            info.dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder()
                    .labels(Labels.of("agent", agent.label(), "trace_context", isCarried ? "carried" : "not_carried"))
                    .build());
        }
        return info.build();
    }
}
