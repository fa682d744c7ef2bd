package dev.vtrecycler.bootstrap;

/**
 * What the advice woven into {@code java.lang.VirtualThread} calls. Loaded from the boot class
 * path, so code in {@code java.base} can link to it.
 *
 * <p>Every method here runs on a creation, start, end or termination path of every virtual thread
 * in the JVM: it must not allocate, park, lock, log or trigger class loading. Everything it touches
 * ({@link StripedCounter}, {@link DurationHistogram}, {@link System#nanoTime()}) is initialized by
 * {@link #preload()} before the advice is installed.
 */
public final class VtHooks {
    public static final StripedCounter CREATED = new StripedCounter();
    public static final StripedCounter TERMINATED = new StripedCounter();
    public static final StripedCounter STARTED = new StripedCounter();
    public static final StripedCounter ENDED = new StripedCounter();
    public static final StripedCounter ADVICE_ERRORS = new StripedCounter();
    public static final DurationHistogram DURATION = new DurationHistogram();

    /** Constructor exit, on the creating thread. */
    public static void created() {
        CREATED.increment();
    }

    /** {@code run(Runnable)} enter, on the virtual thread itself; returns the start time. */
    public static long started() {
        STARTED.increment();
        return System.nanoTime();
    }

    /** {@code run(Runnable)} exit (normal or throwing), on the virtual thread. */
    public static void ended(long startNanos) {
        ENDED.increment();
        DURATION.record(System.nanoTime() - startNanos);
    }

    /** {@code afterDone}/{@code afterTerminate} enter, on the carrier after the last unmount. */
    public static void terminated() {
        TERMINATED.increment();
    }

    /**
     * Byte Buddy's advice exception handler: the advice suppressed {@code t} instead of throwing it
     * into the host. Only counted: printing here could lock or load classes on a carrier.
     */
    public static void adviceError(Throwable t) {
        ADVICE_ERRORS.increment();
    }

    /** Started and not yet ended: what {@code vtrecycler_virtual_threads_live} shows. */
    public static long live() {
        // ENDED is read first so a thread that starts and ends between the reads can only make the
        // result larger by one, never negative.
        long ended = ENDED.sum();
        return Math.max(0, STARTED.sum() - ended);
    }

    /** Touches every class and path the hooks use, so no hook ever triggers class loading. */
    public static void preload() {
        StripedCounter warm = new StripedCounter();
        warm.increment();
        warm.add(1);
        warm.sum();
        new DurationHistogram().record(System.nanoTime());
        Thread.currentThread().threadId();
    }

    private VtHooks() {}
}
