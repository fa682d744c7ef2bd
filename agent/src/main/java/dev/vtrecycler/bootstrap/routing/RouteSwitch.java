package dev.vtrecycler.bootstrap.routing;

import dev.vtrecycler.bootstrap.StripedCounter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Per route kind, whether the next routed task goes to the recycler or to a fresh virtual thread,
 * as the agent's route governor decides it ({@code dev.vtrecycler.agent.recycler.RouteGovernor}):
 * recycling pays on some servers and costs on others, and only measuring tells which. Every routed
 * task asks {@link #recycles} exactly once, at the point where the route would hand it to the
 * recycler; a "no" takes the JDK's own path from there (the original call, or a plain thread for the
 * recycling executor), so both answers are always correct and only their cost differs.
 *
 * <p>Hot path: one opaque read and one striped increment (the per-route task count the governor
 * divides CPU time by). Opaque, not plain: a plain read inside a submitter's loop could be hoisted
 * out of it by the JIT, and that submitter would never see a switch. Not volatile: a stale answer
 * for a few tasks after a switch is harmless (both paths are correct), so no fence is needed.
 */
public final class RouteSwitch {
    /** Tasks of recycling executors ({@code Executors.newVirtualThreadPerTaskExecutor()} and the like). */
    public static final int EXECUTOR = 0;
    /** Rewritten discarded starts: {@code Thread.startVirtualThread(r);}, builder and factory starts, local starts. */
    public static final int START = 1;
    /** Rewritten reflective starts ({@code Method.invoke} of a virtual-thread start: Tomcat). */
    public static final int REFLECTIVE = 2;
    /** Spring's {@code SimpleAsyncTaskExecutor} with virtual threads. */
    public static final int SPRING = 3;
    public static final int COUNT = 4;
    /** Label values of the route metrics, by index. */
    public static final String[] NAMES = {"executor", "start", "reflective", "spring"};

    private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);
    /** 1: recycle, 0: fresh threads. Written by the governor only. */
    private static final int[] RECYCLING = {1, 1, 1, 1};
    private static final StripedCounter[] RECYCLED = counters();
    private static final StripedCounter[] FRESH = counters();

    private RouteSwitch() {}

    private static StripedCounter[] counters() {
        StripedCounter[] c = new StripedCounter[COUNT];
        for (int i = 0; i < COUNT; i++) {
            c[i] = new StripedCounter();
        }
        return c;
    }

    /** Asked once per routed task: true sends it to the recycler, false to a fresh virtual thread. */
    public static boolean recycles(int route) {
        boolean recycle = (int) INTS.getOpaque(RECYCLING, route) != 0;
        (recycle ? RECYCLED : FRESH)[route].increment();
        if (RouteCostHook.ARMED) {
            RouteCostHook.burn(recycle);
        }
        return recycle;
    }

    /** The governor's decision for the next tasks of a route (a probe epoch sets the other arm). */
    public static void set(int route, boolean recycle) {
        INTS.setRelease(RECYCLING, route, recycle ? 1 : 0);
    }

    /** What the route's tasks take now (racy read, for metrics and tests). */
    public static boolean current(int route) {
        return (int) INTS.getOpaque(RECYCLING, route) != 0;
    }

    /** Routed tasks of a route that went to the recycler (monotonic). */
    public static long recycledTasks(int route) {
        return RECYCLED[route].sum();
    }

    /** Routed tasks of a route that went to fresh virtual threads (monotonic). */
    public static long freshTasks(int route) {
        return FRESH[route].sum();
    }
}
