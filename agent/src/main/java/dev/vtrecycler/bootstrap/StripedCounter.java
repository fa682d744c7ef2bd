package dev.vtrecycler.bootstrap;

/**
 * A counter for hot paths that must not allocate, park, lock or load classes: the virtual-thread
 * hooks and the recycler's put/get paths. Like {@link java.util.concurrent.atomic.LongAdder} it
 * spreads updates over cells, but the cells are allocated once, up front, so an update never
 * allocates (LongAdder grows its cell table on contention, on the very path we must keep quiet).
 *
 * <p>One cell per {@link CarrierStripes} row: on a carrier of the default scheduler an increment is
 * a load and a release store into the carrier's own cell (no atomic read-modify-write: see
 * {@link CarrierStripes} for why that is safe); anywhere else it is an atomic add on a shared
 * stripe. Cells sit {@value CarrierStripes#PAD} longs apart so no two rows share a cache line.
 *
 * <p>{@link #sum()} is not an atomic snapshot: increments that race with it may or may not be
 * counted. That is the same contract as LongAdder and is what a metrics scrape needs.
 */
public final class StripedCounter {
    private static final int PAD = CarrierStripes.PAD;
    private final long[] cells = new long[CarrierStripes.ROWS * PAD];

    public void increment() {
        add(1);
    }

    public void add(long delta) {
        int row = CarrierStripes.row();
        CarrierStripes.add(cells, row, row * PAD, delta);
    }

    public long sum() {
        long sum = 0;
        for (int row = 0; row < CarrierStripes.ROWS; row++) {
            sum += CarrierStripes.read(cells, row * PAD);
        }
        return sum;
    }
}
