package dev.vtrecycler.agent.metrics;

import io.micrometer.core.instrument.config.MeterFilter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The two meters of Micrometer's {@code ProcessorMetrics} that {@code promtool check metrics} rejects,
 * exported so that the whole scrape passes it:
 *
 * <ul>
 *   <li>{@code system_cpu_count} keeps its name (Micrometer's JVM dashboards, ours included, query
 *       it) and is exported untyped instead of as a gauge: promtool's rule against a {@code _count}
 *       suffix outside histograms and summaries does not apply to untyped metrics, and PromQL treats
 *       an untyped sample exactly as a gauge's.
 *   <li>{@code process_cpu_time_ns_total} has no name promtool accepts: its rule against abbreviated
 *       units ({@code _ns_}) has no exception. It becomes {@code process_cpu_seconds_total}, in
 *       seconds: the name and unit every Prometheus client library (client_java's, Go's, Python's)
 *       exports for the same figure, so queries written for them work here. This is the one
 *       rename; Micrometer added the nanosecond counter in 1.13, its older {@code process_cpu_usage}
 *       gauge stays as it is.
 * </ul>
 */
final class LintCleanProcessorMeters implements MultiCollector {
    /** Set on the registry before any binder registers, so Micrometer's two meters never appear. */
    static final MeterFilter REPLACED = MeterFilter.deny(
            id -> id.getName().equals("system.cpu.count") || id.getName().equals("process.cpu.time"));

    static final String CPU_COUNT = "system_cpu_count";
    static final String PROCESS_CPU = "process_cpu_seconds";

    private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();

    @Override
    public MetricSnapshots collect() {
        MetricSnapshots.Builder snapshots = MetricSnapshots.builder().metricSnapshot(UnknownSnapshot.builder()
                .name(CPU_COUNT)
                .help("The number of processors available to the Java virtual machine")
                .dataPoint(UnknownSnapshot.UnknownDataPointSnapshot.builder()
                        .value(Runtime.getRuntime().availableProcessors()).build())
                .build());
        long cpuNanos = processCpuNanos();
        if (cpuNanos >= 0) { // -1: this JVM cannot tell; no series rather than a wrong one
            snapshots.metricSnapshot(CounterSnapshot.builder()
                    .name(PROCESS_CPU)
                    .help("Total user and system CPU time spent by the Java virtual machine process, in seconds")
                    .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(cpuNanos / 1e9).build())
                    .build());
        }
        return snapshots.build();
    }

    private long processCpuNanos() {
        try {
            return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
        } catch (LinkageError e) {
            return -1; // a runtime image without jdk.management: a scrape must not fail for it
        }
    }
}
