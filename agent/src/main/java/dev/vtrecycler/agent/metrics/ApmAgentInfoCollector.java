package dev.vtrecycler.agent.metrics;

import dev.vtrecycler.bootstrap.context.ApmAgents;
import dev.vtrecycler.bootstrap.context.TaskContext;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

/**
 * {@code vtrecycler_apm_agent_info{agent, trace_context}}: one series per known APM agent present,
 * saying whether recycled tasks keep its trace context: {@code carried}, {@code partial} (some
 * submission styles lose it), {@code untested}, or {@code off} (the OpenTelemetry agent with its
 * executors instrumentation switched off, so the JDK's executor carries none either). Computed at each scrape, because an APM agent may start after ours or be
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
        for (ApmAgents.Known agent : ApmAgents.present()) {
            String traceContext = agent != ApmAgents.OPENTELEMETRY || TaskContext.carrying() != null
                    ? agent.traceContext() : "off";
            info.dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder()
                    .labels(Labels.of("agent", agent.label(), "trace_context", traceContext))
                    .build());
        }
        return info.build();
    }
}
