package dev.vtrecycler.agent.metrics;

import dev.vtrecycler.bootstrap.DurationHistogram;
import dev.vtrecycler.bootstrap.VtHooks;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * Exposes {@code vtrecycler_virtual_thread_duration_seconds}, a classic histogram.
 *
 * <p>Why not a Micrometer Timer: the samples are recorded by advice on the thread's end path, in
 * boot-loader code that cannot see Micrometer and must not allocate or lock. It records into a
 * {@link DurationHistogram}; this collector turns that into a Prometheus histogram at scrape time,
 * registered directly on the Prometheus registry behind Micrometer's.
 *
 * <p>Durations are sampled (see {@link VtHooks#started()}): two clock reads per thread were most of
 * what observation cost on thread churn. The HELP text says so, so nobody mistakes the sum for exact.
 */
final class DurationHistogramCollector implements Collector {
    static final String NAME = "vtrecycler_virtual_thread_duration_seconds";
    /** Says that durations are sampled (README, Metrics): every thread is counted, one in 64 is timed. */
    static final String HELP = "Time from a virtual thread's start to its end (run(Runnable) enter to exit). "
            + "Every thread is counted; one in " + VtHooks.TIMED_ONE_IN + " (by thread id) is timed and the others are "
            + "counted with the last measured duration, so _count is exact and the buckets and _sum are estimates";
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
                .help(HELP)
                .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts))
                        .sum(histogram.sumNanos() / 1e9)
                        .build())
                .build();
    }
}
