package dev.vtrecycler.bootstrap.routing;

/**
 * Test hook for the route governor: makes one path of every routed task cost extra CPU, so a test
 * can force a route to lose (recycled hand-offs slow) and to win again (fresh starts slow) and watch
 * the governor switch. Armed only when the JVM starts with the system property
 * {@code vtrecycler.test.route-cost} (a {@code vtrecycler.<dotted>} property: not configuration);
 * otherwise {@link #ARMED} is a constant false and the JIT removes the call.
 *
 * <p>The costs are busy-spins on the submitting thread: CPU time, which is exactly what the
 * governor measures. The governor copies the property's current value here once per epoch, so a
 * test changes the costs at run time with {@code System.setProperty}.
 */
public final class RouteCostHook {
    static final boolean ARMED = System.getProperty("vtrecycler.test.route-cost") != null;
    private static volatile long recycledNanos;
    private static volatile long freshNanos;

    private RouteCostHook() {}

    public static boolean armed() {
        return ARMED;
    }

    /** Sets the extra cost per task of each path (nanoseconds of busy-spin). */
    public static void set(long recycled, long fresh) {
        recycledNanos = recycled;
        freshNanos = fresh;
    }

    static void burn(boolean recycled) {
        long nanos = recycled ? recycledNanos : freshNanos;
        if (nanos > 0) {
            long end = System.nanoTime() + nanos;
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
        }
    }
}
