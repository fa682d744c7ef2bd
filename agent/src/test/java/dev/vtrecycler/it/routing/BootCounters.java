package dev.vtrecycler.it.routing;

import java.lang.reflect.Method;

/**
 * Reads the agent's counters in a forked JVM from the boot loader's copies of the bootstrap classes,
 * reflectively: what {@code vtrecycler_tasks_total} and the routing meters are computed from. By
 * reflection so the forked program never loads a second copy through its own class path.
 */
public final class BootCounters {
    private BootCounters() {}

    private static Object call(String className, String method, Object target) {
        try {
            Class<?> c = Class.forName(className, true, null);
            Method m = c.getMethod(method);
            return m.invoke(target);
        } catch (ClassNotFoundException e) {
            return null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(className + "." + method, e);
        }
    }

    public static boolean recyclerInstalled() {
        return call("dev.vtrecycler.bootstrap.recycler.Recycler", "get", null) != null;
    }

    private static long stat(String name) {
        Object recycler = call("dev.vtrecycler.bootstrap.recycler.Recycler", "get", null);
        if (recycler == null) {
            return 0;
        }
        Object stats = call("dev.vtrecycler.bootstrap.recycler.Recycler", "stats", recycler);
        return (long) call("dev.vtrecycler.bootstrap.recycler.RecyclerStats", name, stats);
    }

    /** All tasks the recycler ran (vtrecycler_tasks_total summed over source). */
    public static long recyclerTasks() {
        return stat("tasksFromLocal") + stat("tasksFromGlobal") + stat("tasksFromNew");
    }

    /** Tasks that ran on a recycled thread (source local or global). */
    public static long reusedTasks() {
        return stat("tasksFromLocal") + stat("tasksFromGlobal");
    }

    private static long routing(String name) {
        Object v = call("dev.vtrecycler.bootstrap.routing.RoutingStats", name, null);
        return v == null ? 0 : (long) v;
    }

    public static long routedStarts() {
        return routing("routedStarts");
    }

    public static long routedCallSites() {
        return routing("routedCallSites");
    }

    /** vtrecycler_routed_call_sites{kind} for kind index 0 direct, 1 reflective, 2 local. */
    public static long routedCallSites(int kind) {
        try {
            Class<?> c = Class.forName("dev.vtrecycler.bootstrap.routing.RoutingStats", true, null);
            return (long) c.getMethod("routedCallSites", int.class).invoke(null, kind);
        } catch (ClassNotFoundException e) {
            return 0;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("routedCallSites(" + kind + ")", e);
        }
    }

    public static long executorsCreated() {
        return routing("executorsCreated");
    }

    public static String summary() {
        return "tasks=" + recyclerTasks() + " reused=" + reusedTasks() + " routedStarts=" + routedStarts()
                + " routedCallSites=" + routedCallSites() + " executors=" + executorsCreated();
    }
}
