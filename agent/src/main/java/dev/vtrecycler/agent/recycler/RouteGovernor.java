package dev.vtrecycler.agent.recycler;

import dev.vtrecycler.agent.Log;
import dev.vtrecycler.bootstrap.routing.RouteCostHook;
import dev.vtrecycler.bootstrap.routing.RouteSwitch;

import java.lang.management.ManagementFactory;
import java.util.concurrent.locks.LockSupport;

/**
 * Recycling must never make a service slower than not recycling ({@code fallback=auto}). Whether
 * it does depends on the route: on the JDK's {@code HttpServer} a pooled thread's extra freeze and
 * thaw cost more than the thread allocation they save; on Tomcat they cost less. So this platform
 * daemon thread measures, per route kind ({@link RouteSwitch}), the routed tasks per epoch and the
 * process CPU and bytes allocated per routed task with recycling and with fresh threads
 * ({@link RouteTrials} says how), and sets each route to the faster path, or where both are as fast
 * the cheaper one, and recycles on a tie only where that saves enough bytes, probing the other path
 * now and then to switch back when the workload changes.
 *
 * <p>Costs: one {@code getProcessCpuTime} and one {@code getTotalThreadAllocatedBytes} call (100-200 ns)
 * and a few striped-counter sums per epoch (a quarter second by default), on its own thread; nothing per task beyond {@link RouteSwitch#recycles}. Tuning
 * properties for tests and experiments (not configuration): {@code vtrecycler.governor.epoch-ms},
 * {@code vtrecycler.governor.warmup-epochs}, and {@code vtrecycler.governor.trace=true}, a line on
 * stderr per probe (its ratios and the decision after it).
 */
public final class RouteGovernor {
    /**
     * A quarter second: short enough that a fresh JVM settles a losing route within seconds (warm-up
     * 3 s, then a switch needs three probes of three epochs each), long enough that an epoch at a
     * few thousand requests per second holds hundreds of tasks and several young GCs average out.
     */
    static final long EPOCH_MS = 250;
    /**
     * Routes that start on fresh threads and go to recycled ones only when the probes measure a
     * win: Spring {@code @Async}. Its probes read recycled and fresh as equal (speed 0.92-1.17 by
     * probe, medians 0.96-1.00), while whole runs with the route recycled served 0.86x of
     * {@code mode=observe} at 1.16x its CPU per request (six pinned rounds run after run, demo work,
     * 48 MB; 0.88x interleaved with empty requests): the cost is not in the epoch that swaps the
     * path, so a one-epoch probe cannot find it, and a tie must not send the route back to it.
     */
    static final boolean[] FRESH_ON_TIE = freshOnTie(RouteSwitch.SPRING);
    private final RouteTrials trials;
    private final long epochNanos;
    private final com.sun.management.OperatingSystemMXBean os;
    /** Null where the JVM cannot count allocated bytes: the governor then decides without them. */
    private final com.sun.management.ThreadMXBean threads;
    private final long[] lastTasks = new long[RouteSwitch.COUNT];
    private long lastCpu;
    private long lastBytes;

    private RouteGovernor(RouteTrials trials, long epochNanos, com.sun.management.OperatingSystemMXBean os) {
        this.trials = trials;
        this.epochNanos = epochNanos;
        this.os = os;
        this.threads = ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                && t.isThreadAllocatedMemorySupported() ? t : null;
    }

    /** Starts the governor thread; null (with one line) when process CPU time cannot be read. */
    public static RouteGovernor start() {
        if (!(ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os)
                || os.getProcessCpuTime() < 0) {
            Log.line("fallback=auto unavailable (this JVM does not report process CPU time): "
                    + "every route keeps recycling");
            return null;
        }
        RouteTrials.Settings d = RouteTrials.Settings.defaults();
        RouteTrials.Settings settings = new RouteTrials.Settings(
                Integer.getInteger("vtrecycler.governor.warmup-epochs", d.warmupEpochs()),
                d.minTasks(), d.minShare(), d.margin(), d.firstProbeInterval(), d.maxProbeInterval());
        long epochMs = Math.max(10, Long.getLong("vtrecycler.governor.epoch-ms", EPOCH_MS));
        RouteTrials trials = new RouteTrials(RouteSwitch.COUNT, settings, FRESH_ON_TIE);
        setPaths(trials::recycles); // the starting paths, before the first epoch
        if (Boolean.getBoolean("vtrecycler.governor.trace")) {
            trials.traceTo(line -> Log.line("governor: " + line), RouteSwitch.NAMES);
        }
        RouteGovernor governor = new RouteGovernor(trials, epochMs * 1_000_000, os);
        Thread t = new Thread(governor::run, "vtrecycler-route-governor");
        t.setDaemon(true);
        t.start();
        return governor;
    }

    private static boolean[] freshOnTie(int... routes) {
        boolean[] fresh = new boolean[RouteSwitch.COUNT];
        for (int r : routes) {
            fresh[r] = true;
        }
        return fresh;
    }

    private static void setPaths(java.util.function.IntPredicate recycles) {
        for (int r = 0; r < RouteSwitch.COUNT; r++) {
            RouteSwitch.set(r, recycles.test(r));
        }
    }

    private void run() {
        lastCpu = os.getProcessCpuTime();
        lastBytes = allocatedBytes();
        snapshotTasks(new long[RouteSwitch.COUNT]);
        long next = System.nanoTime() + epochNanos;
        for (;;) {
            long wait;
            while ((wait = next - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            next += epochNanos;
            try {
                epoch();
            } catch (Throwable t) {
                // Never let a metrics-side failure leave a route stuck on a probe's path.
                setPaths(r -> !FRESH_ON_TIE[r]);
                Log.line("route governor stopped (" + t + "); every route back on its starting path"
                        + " (recycled; Spring @Async fresh)");
                return;
            }
        }
    }

    private void epoch() {
        if (RouteCostHook.armed()) {
            applyTestCosts();
        }
        long cpu = os.getProcessCpuTime();
        long bytes = allocatedBytes();
        long[] tasks = new long[RouteSwitch.COUNT];
        snapshotTasks(tasks);
        synchronized (this) {
            trials.epochEnded(cpu - lastCpu,
                    bytes < 0 || lastBytes < 0 ? RouteTrials.BYTES_UNMEASURED : bytes - lastBytes, tasks);
            setPaths(trials::recycles);
        }
        lastCpu = cpu;
        lastBytes = bytes;
    }

    /** Bytes allocated by every thread so far, or -1 where not counted (or turned off by a management client). */
    private long allocatedBytes() {
        return threads == null || !threads.isThreadAllocatedMemoryEnabled() ? -1 : threads.getTotalThreadAllocatedBytes();
    }

    /** Fills {@code delta} with each route's tasks since the last snapshot. */
    private void snapshotTasks(long[] delta) {
        for (int r = 0; r < RouteSwitch.COUNT; r++) {
            long now = RouteSwitch.recycledTasks(r) + RouteSwitch.freshTasks(r);
            delta[r] = now - lastTasks[r];
            lastTasks[r] = now;
        }
    }

    /** {@code vtrecycler.test.route-cost=recycled=NANOS,fresh=NANOS}, re-read every epoch. */
    private static void applyTestCosts() {
        long recycled = 0;
        long fresh = 0;
        String spec = System.getProperty("vtrecycler.test.route-cost", "");
        for (String part : spec.split(",")) {
            String[] kv = part.split("=", 2);
            if (kv.length == 2 && kv[0].trim().equals("recycled")) {
                recycled = Long.parseLong(kv[1].trim());
            } else if (kv.length == 2 && kv[0].trim().equals("fresh")) {
                fresh = Long.parseLong(kv[1].trim());
            }
        }
        RouteCostHook.set(recycled, fresh);
    }

    synchronized boolean recycleDecided(int route) {
        return trials.recycleDecided(route);
    }

    synchronized double costRatio(int route) {
        return trials.costRatio(route);
    }

    synchronized double speedRatio(int route) {
        return trials.speedRatio(route);
    }

    synchronized double bytesRatio(int route) {
        return trials.bytesRatio(route);
    }

    synchronized long switches(int route) {
        return trials.switches(route);
    }

    synchronized long probes(int route) {
        return trials.probes(route);
    }
}
