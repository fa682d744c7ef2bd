package dev.vtrecycler.agent.metrics;

import dev.vtrecycler.bootstrap.DurationHistogram;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * Exposes {@code vtrecycler_virtual_thread_duration_seconds}, a classic histogram.
 *
 * <p>Why not a Micrometer Timer: the samples are recorded by advice on the thread's end path, in
 * boot-class-path code that cannot see Micrometer and must not allocate or lock. It records into a
 * {@link DurationHistogram}; this collector turns that into a Prometheus histogram at scrape time,
 * registered directly on the Prometheus registry behind Micrometer's.
 */
final class DurationHistogramCollector implements Collector {
    static final String NAME = "vtrecycler_virtual_thread_duration_seconds";
    private final DurationHistogram histogram;

    DurationHistogramCollector(DurationHistogram histogram) {
        this.histogram = histogram;
    }

    @Override
    public MetricSnapshot collect() {
        long[] counts = histogram.bucketCounts();
        double[] bounds = new double[counts.length];
        System.arraycopy(DurationHistogram.BOUNDS_SECONDS, 0, bounds, 0, DurationHistogram.BOUNDS_SECONDS.length);
        bounds[counts.length - 1] = Double.POSITIVE_INFINITY;
        return HistogramSnapshot.builder()
                .name(NAME)
                .unit(Unit.SECONDS)
                .help("Time from a virtual thread's start to its end (run(Runnable) enter to exit)")
                .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts))
                        .sum(histogram.sumNanos() / 1e9)
                        .build())
                .build();
    }
}
