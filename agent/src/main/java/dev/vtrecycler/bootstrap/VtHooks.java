package dev.vtrecycler.bootstrap;

/**
 * What the advice woven into {@code java.lang.VirtualThread} calls. Loaded from the boot class
 * path, so code in {@code java.base} can link to it.
 *
 * <p>Every method here runs on a creation, start, end or termination path of every virtual thread
 * in the JVM: it must not allocate, park, lock, log or trigger class loading. Everything it touches
 * ({@link StripedCounter}, {@link DurationHistogram}, {@link CarrierStripes}, {@link System#nanoTime()})
 * is initialized by {@link #preload()} before the advice is installed.
 *
 * <p>What a virtual thread costs here, the floor the project measures against an empty agent:
 * four counter updates on the current carrier's own cells (no atomic read-modify-write, see
 * {@link CarrierStripes}), and two clock reads for one thread in {@value #TIMED_ONE_IN} only. The
 * clock is what used to cost most: two {@code System.nanoTime()} calls per thread were about three
 * quarters of the hooks' time. The ended count is not kept twice: it is the histogram's count.
 */
public final class VtHooks {
    public static final StripedCounter CREATED = new StripedCounter();
    public static final StripedCounter TERMINATED = new StripedCounter();
    public static final StripedCounter STARTED = new StripedCounter();
    public static final StripedCounter ADVICE_ERRORS = new StripedCounter();
    /** Every ended thread, exactly; durations measured for one thread in {@value #TIMED_ONE_IN} (see {@link #started()}). */
    public static final DurationHistogram DURATION = new DurationHistogram();

    /** One virtual thread in this many (by thread id) has its run timed; a power of two. */
    public static final int TIMED_ONE_IN = 64;
    /** What {@link #started()} returns for a thread it does not time: no clock reading is this value in practice. */
    static final long UNTIMED = Long.MIN_VALUE;

    /** Constructor exit, on the creating thread. */
    public static void created() {
        CREATED.increment();
    }

    /**
     * {@code run(Runnable)} enter, on the virtual thread itself; returns the start time of a timed
     * thread, else {@link #UNTIMED}. Thread ids are handed out one by one, so testing their low bits
     * times every 64th thread created in the JVM, whatever the thread does: the choice cannot
     * correlate with how long a thread runs. Until the first timed thread has ended, every thread is
     * timed, so the estimate in {@link #ended} always has a measurement to go on.
     */
    public static long started() {
        STARTED.increment();
        if ((Thread.currentThread().threadId() & (TIMED_ONE_IN - 1)) == 0 || !DURATION.hasMeasured()) {
            return System.nanoTime();
        }
        return UNTIMED;
    }

    /** {@code run(Runnable)} exit (normal or throwing), on the virtual thread. */
    public static void ended(long startNanos) {
        if (startNanos != UNTIMED) {
            DURATION.record(System.nanoTime() - startNanos);
        } else {
            DURATION.recordLikeLastMeasured();
        }
    }

    /** {@code afterDone}/{@code afterTerminate} enter, on the carrier after the last unmount. */
    public static void terminated(Thread thread) {
        TERMINATED.increment();
        dev.vtrecycler.bootstrap.wakeup.Timeouts.threadEnded(thread); // its pended timeouts let go (issue 19)
    }

    /**
     * Byte Buddy's advice exception handler: the advice suppressed {@code t} instead of throwing it
     * into the host. Only counted: printing here could lock or load classes on a carrier.
     */
    public static void adviceError(Throwable t) {
        ADVICE_ERRORS.increment();
    }

    /** Threads whose run ended: the histogram's count (every ended thread is counted there). */
    public static long ended() {
        return DURATION.count();
    }

    /** Started and not yet ended: what {@code vtrecycler_virtual_threads_live} shows. */
    public static long live() {
        // Ended is read first, with acquire loads that see everything before each end: a thread's
        // start happens-before its end, so the started sum read next includes the start of every
        // end already counted. The result can be too large by threads that start and end between
        // the reads, never negative.
        long ended = ended();
        return Math.max(0, STARTED.sum() - ended);
    }

    /**
     * Touches every class and path the hooks use, so no hook ever triggers class loading, and looks
     * up the carrier internals; returns why counters cannot use carrier cells (they then count on
     * shared atomic stripes, exact but slower), or null when they do. Call it after the agent has
     * opened {@code java.lang} to the bootstrap runtime and before any advice is installed.
     */
    public static String preload() {
        String problem = CarrierStripes.init();
        StripedCounter warm = new StripedCounter();
        warm.increment();
        warm.add(1);
        warm.sum();
        DurationHistogram histogram = new DurationHistogram();
        histogram.hasMeasured();
        histogram.recordLikeLastMeasured();
        histogram.record(System.nanoTime());
        histogram.count();
        Thread.currentThread().threadId();
        dev.vtrecycler.bootstrap.wakeup.Timeouts.threadEnded(Thread.currentThread()); // loads it; nothing to do yet
        return problem;
    }

    private VtHooks() {}
}
