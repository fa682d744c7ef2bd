package dev.vtrecycler.bootstrap.routing;

import dev.vtrecycler.bootstrap.StripedCounter;

/**
 * Counters for routing, read by the agent's metrics binder. Process-wide, like the routing itself.
 * Reads are racy-but-safe sums (see {@link StripedCounter#sum()}).
 */
public final class RoutingStats {
    /** Rewritten call sites by kind, indexed by {@link #DIRECT}, {@link #REFLECTIVE}, {@link #LOCAL}. */
    private static final StripedCounter[] CALL_SITES = {new StripedCounter(), new StripedCounter(), new StripedCounter()};

    /** A discarded start or an adjacent {@code newThread(r).start()}/{@code unstarted(r).start()} chain. */
    public static final int DIRECT = 0;
    /** A discarded {@code Method.invoke} that routes when the Method is a virtual-thread start. */
    public static final int REFLECTIVE = 1;
    /** {@code Thread t = newThread(r)/unstarted(r); t.start();} with {@code t} never read again. */
    public static final int LOCAL = 2;
    /** Label values of {@code vtrecycler_routed_call_sites{kind}}, by index. */
    public static final String[] KIND_NAMES = {"direct", "reflective", "local"};
    private static final StripedCounter EXECUTORS = new StripedCounter();
    private static final StripedCounter ROUTED_STARTS = new StripedCounter();

    private RoutingStats() {}

    /**
     * Call sites rewritten in classes whose loader is alive, all kinds (a gauge: a class rewritten
     * again is not counted twice, and the agent subtracts the sites of collected class loaders).
     */
    public static long routedCallSites() {
        return CALL_SITES[DIRECT].sum() + CALL_SITES[REFLECTIVE].sum() + CALL_SITES[LOCAL].sum();
    }

    /** As {@link #routedCallSites()} for one kind ({@link #DIRECT}, {@link #REFLECTIVE}, {@link #LOCAL}). */
    public static long routedCallSites(int kind) {
        return CALL_SITES[kind].sum();
    }

    /** Recycling executors created in place of the JDK's thread-per-task executor (monotonic). */
    public static long executorsCreated() {
        return EXECUTORS.sum();
    }

    /** Tasks that rewritten call sites handed to the recycler (monotonic). */
    public static long routedStarts() {
        return ROUTED_STARTS.sum();
    }

    /**
     * Called by the agent's class transformer for one kind; delta is negative when a class is rewritten
     * with fewer sites or its class loader was collected.
     */
    public static void callSitesRewritten(int kind, long delta) {
        CALL_SITES[kind].add(delta);
    }

    static void executorCreated() {
        EXECUTORS.increment();
    }

    static void startRouted() {
        ROUTED_STARTS.increment();
    }
}
