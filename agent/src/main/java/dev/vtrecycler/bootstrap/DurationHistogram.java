package dev.vtrecycler.bootstrap;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A fixed-bucket histogram of durations that records without allocating, parking or locking, for
 * the virtual-thread end hook. Buckets are not cumulative here; the metrics side accumulates them
 * at scrape time (Prometheus {@code le} buckets).
 *
 * <p>Each stripe holds one cell per bucket plus a sum cell; a reader may see a count whose sum
 * has not landed yet (or the reverse). Prometheus tolerates that skew: it is the same
 * non-atomic-snapshot contract as {@link StripedCounter}.
 */
public final class DurationHistogram {
    /** Upper bounds in seconds, chosen for virtual threads: a request's worth to a pooled thread's lifetime. */
    public static final double[] BOUNDS_SECONDS = {
        0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 1800
    };

    private static final long[] BOUNDS_NANOS = toNanos(BOUNDS_SECONDS);
    private static final int SLOTS = BOUNDS_SECONDS.length + 2; // buckets, +Inf, sum
    private static final int SUM = SLOTS - 1;
    private static final int STRIDE = (SLOTS + 7) & ~7; // whole cache lines per stripe
    private static final int STRIPES = StripedCounter.STRIPES;

    private final AtomicLongArray cells = new AtomicLongArray(STRIPES * STRIDE);

    private static long[] toNanos(double[] seconds) {
        long[] nanos = new long[seconds.length];
        for (int i = 0; i < seconds.length; i++) {
            nanos[i] = (long) (seconds[i] * 1e9);
        }
        return nanos;
    }

    public void record(long nanos) {
        int bucket = 0;
        while (bucket < BOUNDS_NANOS.length && nanos > BOUNDS_NANOS[bucket]) {
            bucket++;
        }
        int base = StripedCounter.stripe() * STRIDE;
        cells.getAndIncrement(base + bucket);
        cells.getAndAdd(base + SUM, Math.max(0, nanos));
    }

    /** Counts per bucket (index {@code BOUNDS_SECONDS.length} is +Inf), not cumulative. */
    public long[] bucketCounts() {
        long[] counts = new long[BOUNDS_SECONDS.length + 1];
        for (int s = 0; s < STRIPES; s++) {
            for (int b = 0; b < counts.length; b++) {
                counts[b] += cells.get(s * STRIDE + b);
            }
        }
        return counts;
    }

    public long sumNanos() {
        long sum = 0;
        for (int s = 0; s < STRIPES; s++) {
            sum += cells.get(s * STRIDE + SUM);
        }
        return sum;
    }
}
