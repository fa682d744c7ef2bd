package dev.vtrecycler.bootstrap.context;

import dev.vtrecycler.bootstrap.BootLog;
import dev.vtrecycler.bootstrap.VtHooks;

/**
 * Carries an APM agent's trace context from the thread that submits a task to the recycling executor
 * into the recycled thread that runs it, exactly where that agent's instrumentation of the JDK's
 * executor would. With no such agent every method is a no-op returning null, and nothing changes.
 *
 * <p>Detection is lazy because agents come in any order: ours may run before the APM agent's premain,
 * or either may be attached later. Until an agent is found, {@link #capture} probes only when asked
 * to: once at the first call (an agent whose premain ran after ours), and again after a class of an
 * APM agent was loaded ({@link #requestProbe}, from the agent's class-load watcher). So without an
 * agent a submission pays two volatile reads, no clock read (System.nanoTime is a system call on
 * some virtual machines: 100-500 ns measured on the build machine) and no failed class lookup. Once
 * found, the bridge is kept for good (an agent cannot be detached).
 *
 * <p>Never throws into the host: a failure inside an agent's context API is suppressed and counted in
 * {@code vtrecycler_advice_errors_total}, and the task runs without context, as it would have before.
 */
public final class TaskContext {
    private static volatile ContextBridge bridge;
    /**
     * Set by {@link #requestProbe}, cleared by the probe before it looks. Benign race: a request that
     * lands while a probe runs either comes before the clear (the probe then sees what caused it) or
     * after (it sets the flag again and the next capture probes once more).
     */
    private static volatile boolean probeRequested = true;

    private TaskContext() {}

    /** On the submitting thread: the context to carry into {@code task} (the user's own object), or null. */
    public static Object capture(Object task) {
        ContextBridge b = bridge;
        if (b == null && (!probeRequested || (b = probe()) == null)) {
            return null;
        }
        try {
            return b.capture(task);
        } catch (Throwable t) {
            VtHooks.adviceError(t);
            return null;
        }
    }

    /** On the thread running the task, right before it: makes {@code captured} current; null if nothing was. */
    public static Object enter(Object captured) {
        ContextBridge b = bridge;
        if (captured == null || b == null) {
            return null;
        }
        try {
            return b.enter(captured);
        } catch (Throwable t) {
            VtHooks.adviceError(t);
            return null;
        }
    }

    /** Right after the task, on the same thread: closes what {@link #enter} returned. */
    public static void exit(Object scope) {
        ContextBridge b = bridge;
        if (scope == null || b == null) {
            return;
        }
        try {
            b.exit(scope);
        } catch (Throwable t) {
            VtHooks.adviceError(t);
        }
    }

    /** The agent whose context recycled tasks carry, or null. */
    public static String carrying() {
        ContextBridge b = bridge;
        return b == null ? null : b.agent();
    }

    /**
     * At the agent's startup: probes now, and names on stderr every known APM agent present and what
     * happens to its trace context. An OpenTelemetry agent whose premain runs after ours is found by
     * the first submission instead ({@link #capture}), which prints its line then.
     */
    public static void detectAtStartup() {
        detect();
        for (ApmAgents.Known agent : ApmAgents.present()) {
            if (agent != ApmAgents.OPENTELEMETRY) {
                BootLog.warn(agent.displayName() + " detected: " + agent.detail());
            } else if (bridge == null) {
                BootLog.warn(agent.displayName() + " detected, its executors instrumentation is off:"
                        + " recycled tasks carry no trace context, as the JDK's executor would not");
            }
        }
    }

    /** A class of an APM agent was loaded: the next submission looks for a bridge again. Sets a flag only. */
    public static void requestProbe() {
        if (bridge == null) {
            probeRequested = true;
        }
    }

    private static ContextBridge probe() {
        probeRequested = false;
        return detect();
    }

    private static synchronized ContextBridge detect() {
        if (bridge != null) {
            return bridge;
        }
        try {
            ContextBridge found = OpenTelemetryBridge.find();
            if (found != null) {
                bridge = found;
                BootLog.warn(found.agent() + " detected: " + ApmAgents.OPENTELEMETRY.detail());
            }
            return found;
        } catch (Throwable t) {
            VtHooks.adviceError(t);
            return null;
        }
    }
}
