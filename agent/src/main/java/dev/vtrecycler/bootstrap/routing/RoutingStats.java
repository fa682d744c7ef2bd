package dev.vtrecycler.bootstrap.routing;

import dev.vtrecycler.bootstrap.StripedCounter;

/**
 * Counters for routing, read by the agent's metrics binder. Process-wide, like the routing itself.
 * Reads are racy-but-safe sums (see {@link StripedCounter#sum()}).
 */
public final class RoutingStats {
    private static final StripedCounter CALL_SITES = new StripedCounter();
    private static final StripedCounter EXECUTORS = new StripedCounter();
    private static final StripedCounter ROUTED_STARTS = new StripedCounter();

    private RoutingStats() {}

    /** Call sites rewritten so far (a gauge: a class rewritten again is not counted twice by the agent). */
    public static long routedCallSites() {
        return CALL_SITES.sum();
    }

    /** Recycling executors created in place of the JDK's thread-per-task executor (monotonic). */
    public static long executorsCreated() {
        return EXECUTORS.sum();
    }

    /** Tasks that rewritten call sites handed to the recycler (monotonic). */
    public static long routedStarts() {
        return ROUTED_STARTS.sum();
    }

    /** Called by the agent's class transformer; delta may be negative when a class is rewritten with fewer sites. */
    public static void callSitesRewritten(long delta) {
        CALL_SITES.add(delta);
    }

    static void executorCreated() {
        EXECUTORS.increment();
    }

    static void startRouted() {
        ROUTED_STARTS.increment();
    }
}
