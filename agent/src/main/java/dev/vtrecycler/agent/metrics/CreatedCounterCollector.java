package dev.vtrecycler.agent.metrics;

import dev.vtrecycler.bootstrap.StripedCounter;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

/**
 * Exposes {@code vtrecycler_virtual_threads_created_total}.
 *
 * <p>Why not a Micrometer counter: Micrometer's Prometheus naming strips a trailing
 * {@code _created} (an OpenMetrics reserved suffix), which would publish
 * {@code vtrecycler_virtual_threads_total}. The Prometheus model accepts the family name
 * as given, so this one counter is registered on the Prometheus registry directly.
 */
final class CreatedCounterCollector implements Collector {
    static final String NAME = "vtrecycler_virtual_threads_created";
    private final StripedCounter created;

    CreatedCounterCollector(StripedCounter created) {
        this.created = created;
    }

    @Override
    public MetricSnapshot collect() {
        return CounterSnapshot.builder()
                .name(NAME)
                .help("Virtual threads created in this JVM (constructor of java.lang.VirtualThread)")
                .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(created.sum()).build())
                .build();
    }
}
