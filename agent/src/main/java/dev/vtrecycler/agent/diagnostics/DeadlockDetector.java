package dev.vtrecycler.agent.diagnostics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.AbstractOwnableSynchronizer;
import java.util.concurrent.locks.LockSupport;

/**
 * Deadlocks that include virtual threads, which {@code ThreadMXBean.findDeadlockedThreads} skips on
 * purpose. Every period a platform daemon thread builds the wait-for graph from what the JDK
 * exposes and reports the cycles that are still there one period later (a cycle seen once may be
 * an artefact of reading threads one after another; a deadlock does not go away).
 *
 * <p>Edges, and where they come from:
 * <ul>
 *   <li>a thread {@code WAITING} (untimed) in {@code LockSupport.park} whose blocker is an
 *       {@link AbstractOwnableSynchronizer} ({@code ReentrantLock}, the write lock of
 *       {@code ReentrantReadWriteLock}, any AQS that records its exclusive owner): to that owner;</li>
 *   <li>a thread {@code BLOCKED} on a monitor: to the monitor's owner, from {@code ThreadInfo} for a
 *       platform thread whose owner it names, else from the JDK's JSON thread dump
 *       ({@link DumpMonitors}). The dump costs time in proportion to the number of threads, so it is
 *       only taken when a thread has been BLOCKED at two checks in a row.</li>
 * </ul>
 * Timed waits ({@code tryLock(timeout)}, {@code wait(ms)}) are not edges: they end by themselves.
 */
public final class DeadlockDetector {
    /** Largest JSON dump the check reads (about 1 KiB per thread: some 60,000 threads; less on a small heap). */
    private static final long MAX_DUMP_BYTES = 64L << 20;
    private static final MethodHandle EXCLUSIVE_OWNER = exclusiveOwner();

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private volatile Report report = new Report(List.of(), 0, false);
    // detector thread only
    private Set<String> candidatesBefore = Set.of();
    private Set<Long> blockedBefore = Set.of();

    /** What the latest check found: cycles confirmed by two checks, when (System.nanoTime), and whether it has run. */
    public record Report(List<LockGraph.Cycle> cycles, long checkedAtNanos, boolean checked) {
        /** Plain text, one paragraph per cycle; what {@code /threads} shows above the dump. */
        public String describe() {
            if (!checked) {
                return "Deadlock check: not run yet\n";
            }
            long ago = Math.max(0, (System.nanoTime() - checkedAtNanos) / 1_000_000);
            StringBuilder sb = new StringBuilder("Deadlock check (" + ago + " ms ago): ");
            if (cycles.isEmpty()) {
                return sb.append("no cycle of lock owners\n").toString();
            }
            sb.append(cycles.size()).append(cycles.size() == 1 ? " cycle\n" : " cycles\n");
            for (LockGraph.Cycle cycle : cycles) {
                sb.append("  cycle of ").append(cycle.edges().size()).append(" threads:\n");
                cycle.describe().forEach(line -> sb.append("    ").append(line).append('\n'));
            }
            return sb.toString();
        }

        /** The cycles as a JSON array of arrays of {tid, name, virtual, waitsFor, heldBy}. */
        public String json() {
            StringBuilder sb = new StringBuilder("[");
            for (int c = 0; c < cycles.size(); c++) {
                sb.append(c == 0 ? "" : ",").append("\n    [");
                List<LockGraph.Edge> edges = cycles.get(c).edges();
                for (int i = 0; i < edges.size(); i++) {
                    LockGraph.Edge e = edges.get(i);
                    sb.append(i == 0 ? "" : ",").append("\n      {\"tid\": \"").append(e.waiter().tid())
                            .append("\", \"name\": ").append(Json.quote(e.waiter().name()))
                            .append(", \"virtual\": ").append(e.waiter().virtual())
                            .append(", \"waitsFor\": ").append(Json.quote(e.lock()))
                            .append(", \"heldBy\": \"").append(e.owner()).append("\"}");
                }
                sb.append("\n    ]");
            }
            return sb.append(cycles.isEmpty() ? "]" : "\n  ]").toString();
        }
    }

    /** Starts the periodic check and registers {@code vtrecycler_deadlocked_threads{thread}}. */
    public static DeadlockDetector start(Duration period, MeterRegistry registry) {
        DeadlockDetector detector = new DeadlockDetector();
        for (boolean virtual : new boolean[] {true, false}) {
            Gauge.builder("vtrecycler.deadlocked.threads", detector, d -> d.count(virtual))
                    .description("Threads in a cycle of lock owners (monitors and ownable j.u.c locks) found by two"
                            + " deadlock checks in a row; virtual threads included, which ThreadMXBean skips")
                    .baseUnit("threads")
                    .tag("thread", virtual ? "virtual" : "platform")
                    .register(registry);
        }
        Thread thread = new Thread(() -> detector.loop(period.toMillis()), "vtrecycler-deadlock-check");
        thread.setDaemon(true);
        thread.start();
        return detector;
    }

    public Report report() {
        return report;
    }

    private double count(boolean virtual) {
        long n = 0;
        for (LockGraph.Cycle cycle : report.cycles()) {
            n += virtual ? cycle.virtualThreads() : cycle.edges().size() - cycle.virtualThreads();
        }
        return n;
    }

    private void loop(long periodMillis) {
        while (true) {
            try {
                Thread.sleep(periodMillis);
                check();
            } catch (InterruptedException e) {
                return;
            } catch (Throwable t) {
                // a JDK without what we read, or a dump we cannot parse: no verdict this round
            }
        }
    }

    /** One check: build the graph, find cycles, confirm against the previous check. */
    void check() throws Exception {
        List<LockGraph.Edge> edges = new ArrayList<>();
        Set<Long> blockedNow = new HashSet<>();
        List<Thread> blockedPlatform = new ArrayList<>();
        boolean needDump = false;
        for (Thread t : AllThreads.list()) {
            Thread.State state = t.getState();
            if (state == Thread.State.WAITING) {
                if (LockSupport.getBlocker(t) instanceof AbstractOwnableSynchronizer sync) {
                    Thread owner = owner(sync);
                    if (owner != null && owner != t) {
                        edges.add(new LockGraph.Edge(node(t), Objects.toIdentityString(sync), owner.threadId()));
                    }
                }
            } else if (state == Thread.State.BLOCKED) {
                long tid = t.threadId();
                blockedNow.add(tid);
                if (blockedBefore.contains(tid)) {
                    if (t.isVirtual()) {
                        needDump = true;
                    } else {
                        blockedPlatform.add(t);
                    }
                }
            }
        }
        if (!needDump && !blockedPlatform.isEmpty()) {
            needDump = addPlatformMonitorEdges(blockedPlatform, edges);
        }
        if (needDump) {
            edges.addAll(DumpMonitors.edges(new String(JdkThreadDump.take(true, MAX_DUMP_BYTES), StandardCharsets.UTF_8)));
        }
        List<LockGraph.Cycle> found = LockGraph.cycles(edges);
        List<LockGraph.Cycle> confirmed = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (LockGraph.Cycle cycle : found) {
            keys.add(cycle.key());
            if (candidatesBefore.contains(cycle.key())) {
                confirmed.add(cycle);
            }
        }
        candidatesBefore = keys;
        blockedBefore = blockedNow;
        report = new Report(List.copyOf(confirmed), System.nanoTime(), true);
    }

    /**
     * Monitor edges of BLOCKED platform threads from ThreadInfo; returns true when some owner is
     * not named there (a virtual thread holds it: ThreadInfo then has no lock) and the dump is needed.
     */
    private boolean addPlatformMonitorEdges(List<Thread> blocked, List<LockGraph.Edge> edges) {
        long[] ids = blocked.stream().mapToLong(Thread::threadId).toArray();
        ThreadInfo[] infos = threads.getThreadInfo(ids, 0);
        Map<Long, Thread> byId = new HashMap<>();
        blocked.forEach(t -> byId.put(t.threadId(), t));
        for (ThreadInfo info : infos) {
            if (info == null || info.getThreadState() != Thread.State.BLOCKED) {
                continue; // ended or moved on since
            }
            if (info.getLockOwnerId() < 0 || info.getLockInfo() == null) {
                return true;
            }
            Thread t = byId.get(info.getThreadId());
            String lock = info.getLockInfo().getClassName() + "@" + Integer.toHexString(info.getLockInfo().getIdentityHashCode());
            edges.add(new LockGraph.Edge(node(t), lock, info.getLockOwnerId()));
        }
        return false;
    }

    private static LockGraph.Node node(Thread t) {
        return new LockGraph.Node(t.threadId(), t.getName(), t.isVirtual());
    }

    private static Thread owner(AbstractOwnableSynchronizer sync) {
        if (EXCLUSIVE_OWNER == null) {
            return null;
        }
        try {
            return (Thread) EXCLUSIVE_OWNER.invokeExact(sync);
        } catch (Throwable t) {
            return null;
        }
    }

    /** {@code AbstractOwnableSynchronizer.getExclusiveOwnerThread()}, protected: the agent opens its package. */
    private static MethodHandle exclusiveOwner() {
        try {
            return MethodHandles.privateLookupIn(AbstractOwnableSynchronizer.class, MethodHandles.lookup())
                    .findVirtual(AbstractOwnableSynchronizer.class, "getExclusiveOwnerThread", MethodType.methodType(Thread.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
