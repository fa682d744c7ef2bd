package dev.vtrecycler.agent.metrics;

import dev.vtrecycler.bootstrap.VtHooks;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The agent's one Micrometer registry, Prometheus-backed, with the JVM binders (Micrometer's own
 * names), the JDK virtual-thread meters and ours. Other parts add their binders with {@link #bind}.
 */
public final class AgentMeterRegistry {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    /**
     * {@code wakeups}: {@code reuse}, {@code execute-only} or {@code jdk}; {@code timers}: {@code reuse} or
     * {@code jdk}; what is in force (not what was asked for).
     * {@code jfr}: the JFR meters, pinned events at or above {@code pinnedThreshold}, {@code pinnedSites} sites labelled.
     */
    public AgentMeterRegistry(String version, String mode, String wakeups, String timers, boolean observesRun, boolean jfr,
                              java.time.Duration pinnedThreshold, int pinnedSites) {
        registry.config().meterFilter(LintCleanProcessorMeters.REPLACED); // before any meter registers
        Gauge.builder("vtrecycler.info", () -> 1)
                .description("vtrecycler is attached; labels say which version, mode, wake-up and timeout tasks and JDK, and whether HotSpot"
                        + " routes virtual-thread mounts through JVMTI (on with any agent unless -XX:-DoJVMTIVirtualThreadTransitions)")
                .tag("version", version)
                .tag("mode", mode)
                .tag("wakeups", wakeups)
                .tag("timers", timers)
                .tag("jdk", Runtime.version().toString())
                .tag("vthread_jvmti_transitions", JvmtiTransitions.state())
                .register(registry);
        new VirtualThreadMeters(observesRun).bindTo(registry);
        registry.getPrometheusRegistry().register(new CreatedCounterCollector(VtHooks.CREATED));
        registry.getPrometheusRegistry().register(new DurationHistogramCollector(VtHooks.DURATION));

        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry); // lives as long as the JVM: its listeners are never closed
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        registry.getPrometheusRegistry().register(new LintCleanProcessorMeters());
        new UptimeMetrics().bindTo(registry);
        new SchedulerMeters().bindTo(registry);
        if (jfr) {
            new JfrVirtualThreadMeters(pinnedThreshold, pinnedSites).bindTo(registry);
        }
    }

    public void bind(MeterBinder binder) {
        binder.bindTo(registry);
    }

    public PrometheusMeterRegistry prometheus() {
        return registry;
    }
}
