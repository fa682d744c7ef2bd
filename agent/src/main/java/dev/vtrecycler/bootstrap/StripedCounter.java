package dev.vtrecycler.bootstrap;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A counter for hot paths that must not allocate, park, lock or load classes: the virtual-thread
 * hooks and the recycler's put/get paths. Like {@link java.util.concurrent.atomic.LongAdder} it
 * spreads updates over cells, but the cells are allocated once, up front, so an increment never
 * allocates (LongAdder grows its cell table on contention, on the very path we must keep quiet).
 *
 * <p>The stripe is chosen from the current thread's id. On a mount or termination path the current
 * thread is a carrier (one per core) or a virtual thread; either way ids spread well enough.
 * Cells sit {@value #PAD} longs apart so two stripes never share a cache line.
 *
 * <p>{@link #sum()} is not an atomic snapshot: increments that race with it may or may not be
 * counted. That is the same contract as LongAdder and is what a metrics scrape needs.
 */
public final class StripedCounter {
    private static final int PAD = 16; // 128 bytes: two cache lines, also defeats adjacent-line prefetch
    /** Stripes per striped structure (also {@link DurationHistogram}'s): a power of two, at least 2 x cores, at most 64. */
    static final int STRIPES = stripesFor(Runtime.getRuntime().availableProcessors());

    private final AtomicLongArray cells = new AtomicLongArray(STRIPES * PAD);

    private static int stripesFor(int cpus) {
        int n = Integer.highestOneBit(Math.max(1, cpus) * 2 - 1) * 2; // next power of two >= 2*cpus
        return Math.min(n, 64);
    }

    /** The current thread's stripe, 0 to {@code STRIPES - 1}. */
    static int stripe() {
        long id = Thread.currentThread().threadId();
        return (int) ((id ^ (id >>> 7)) & (STRIPES - 1));
    }

    private static int index() {
        return stripe() * PAD;
    }

    public void increment() {
        cells.getAndIncrement(index());
    }

    public void add(long delta) {
        cells.getAndAdd(index(), delta);
    }

    public long sum() {
        long sum = 0;
        for (int i = 0; i < STRIPES; i++) {
            sum += cells.get(i * PAD);
        }
        return sum;
    }
}
