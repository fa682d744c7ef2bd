package dev.vtrecycler.bootstrap;

/**
 * A fixed-bucket histogram of durations that records without allocating, parking or locking, for
 * the virtual-thread end hook. Buckets are not cumulative here; the metrics side accumulates them
 * at scrape time (Prometheus {@code le} buckets).
 *
 * <p>Two ways to record: {@link #record} a measured duration, or {@link #recordLikeLastMeasured()}
 * for an observation that was not timed: it is counted exactly, with the most recently measured
 * duration (bucket and sum), so {@code _count} stays exact and {@code _sum} and the buckets stay
 * consistent with each other; bucket shares and the sum are then estimates. The last measurement
 * is one cell shared by all carriers, on lines of its own: written once per measurement, read by
 * every other record. A racy read sees some recent measurement, which is all the estimate needs.
 *
 * <p>Each {@link CarrierStripes} row holds one cell per bucket plus a sum cell, updated like
 * {@link StripedCounter}'s cells (plain on the current carrier's row, atomic on a shared stripe).
 * A reader may see a count whose sum has not landed yet (or the reverse); Prometheus tolerates that
 * skew: it is the same non-atomic-snapshot contract as {@link StripedCounter}.
 */
public final class DurationHistogram {
    /** Upper bounds in seconds, chosen for virtual threads: a request's worth to a pooled thread's lifetime. */
    public static final double[] BOUNDS_SECONDS = {
        0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 1800
    };

    private static final long[] BOUNDS_NANOS = toNanos(BOUNDS_SECONDS);
    private static final int SLOTS = BOUNDS_SECONDS.length + 2; // buckets, +Inf, sum
    private static final int SUM = SLOTS - 1;
    /** Whole 128-byte blocks per row, so rows never share a cache line. */
    private static final int STRIDE = (SLOTS + CarrierStripes.PAD - 1) / CarrierStripes.PAD * CarrierStripes.PAD;

    private final long[] cells = new long[CarrierStripes.ROWS * STRIDE];
    /** The last measured duration at index {@code PAD}, -1 before the first; padded both sides. */
    private final long[] lastMeasured = new long[2 * CarrierStripes.PAD];
    private static final int LAST = CarrierStripes.PAD;

    public DurationHistogram() {
        lastMeasured[LAST] = -1;
    }

    private static long[] toNanos(double[] seconds) {
        long[] nanos = new long[seconds.length];
        for (int i = 0; i < seconds.length; i++) {
            nanos[i] = (long) (seconds[i] * 1e9);
        }
        return nanos;
    }

    /** Counts a measured duration, and keeps it for {@link #recordLikeLastMeasured()}. */
    public void record(long nanos) {
        nanos = Math.max(0, nanos);
        CarrierStripes.writeShared(lastMeasured, LAST, nanos);
        count(nanos);
    }

    /** Counts one observation that was not timed, with the last measured duration (0 before any). */
    public void recordLikeLastMeasured() {
        count(Math.max(0, CarrierStripes.readShared(lastMeasured, LAST)));
    }

    /** Whether any duration has been measured yet. */
    public boolean hasMeasured() {
        return CarrierStripes.readShared(lastMeasured, LAST) >= 0;
    }

    private void count(long nanos) {
        int bucket = 0;
        while (bucket < BOUNDS_NANOS.length && nanos > BOUNDS_NANOS[bucket]) {
            bucket++;
        }
        int row = CarrierStripes.row();
        int base = row * STRIDE;
        CarrierStripes.add(cells, row, base + bucket, 1);
        CarrierStripes.add(cells, row, base + SUM, nanos);
    }

    /** Counts per bucket (index {@code BOUNDS_SECONDS.length} is +Inf), not cumulative. */
    public long[] bucketCounts() {
        long[] counts = new long[BOUNDS_SECONDS.length + 1];
        for (int row = 0; row < CarrierStripes.ROWS; row++) {
            for (int b = 0; b < counts.length; b++) {
                counts[b] += CarrierStripes.read(cells, row * STRIDE + b);
            }
        }
        return counts;
    }

    /** Everything recorded, measured or not: the {@code _count}. */
    public long count() {
        long count = 0;
        for (int row = 0; row < CarrierStripes.ROWS; row++) {
            for (int b = 0; b <= BOUNDS_SECONDS.length; b++) {
                count += CarrierStripes.read(cells, row * STRIDE + b);
            }
        }
        return count;
    }

    public long sumNanos() {
        long sum = 0;
        for (int row = 0; row < CarrierStripes.ROWS; row++) {
            sum += CarrierStripes.read(cells, row * STRIDE + SUM);
        }
        return sum;
    }
}
