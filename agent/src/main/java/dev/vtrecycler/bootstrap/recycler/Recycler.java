package dev.vtrecycler.bootstrap.recycler;

import dev.vtrecycler.bootstrap.BootLog;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Runs tasks on recycled virtual threads, the way Go recycles goroutines: a finished task's thread
 * parks on its carrier's free list (Go: {@code p.gFree}), a global list sits behind the per-carrier
 * lists ({@code sched.gFree}), a stack gate refuses threads whose continuation stack grew, the
 * global list is drained at every GC ({@code markrootFreeGStacks}) and idle threads retire.
 *
 * <p>This class builds the floors of the package (see {@code package-info}) and is its public
 * face: the way out is {@link Handoff} (gfget and the hand-off), the way back {@link ReturnPath}
 * (stack gate, gfput), run by each worker's {@link WorkerLoop}; housekeeping, the gate and the
 * lists live in their own classes.
 */
public final class Recycler {
    private static final Object INSTALL_LOCK = new Object();
    private static volatile Recycler installed;

    final RecyclerSettings settings;
    private final RecyclerStats stats = new RecyclerStats();
    private final FreeLists lists;
    /** Null in degraded modes (no per-carrier lists on this JDK): everything uses the global list. */
    private final CarrierLists carrierLists;
    /** Recycling possible at all (threads can be reset); otherwise every task gets a fresh thread. */
    private final boolean recycling;
    private final StackGate gate;
    private final Housekeeping housekeeping;
    private final Housekeeper housekeeper;
    private final ReturnPath home;
    private final Handoff handoff;

    private Recycler(RecyclerSettings settings, boolean startHousekeeper) {
        this.settings = settings;
        this.stats.attach(this);
        this.lists = new FreeLists(settings, new GlobalList(), stats);
        this.recycling = JdkInternals.resetAvailable();
        if (!recycling) {
            BootLog.warn("cannot reset threads between tasks on this JDK (" + JdkInternals.RESET_PROBLEM
                    + "): recycling disabled, every task gets a fresh virtual thread");
        }
        boolean perCarrier = recycling && JdkInternals.carrierListsAvailable();
        if (recycling && !perCarrier) {
            BootLog.warn("per-carrier free lists unavailable (" + JdkInternals.CARRIER_PROBLEM
                    + "): all pooled threads use the global list");
        }
        this.carrierLists = perCarrier ? new CarrierLists(lists, settings.localCap()) : null;
        // Loaded here, not on a worker between tasks.
        if (recycling && !ThreadLocalMaps.emptiesInPlace()) {
            BootLog.warn("cannot empty a thread's ThreadLocalMap in place on this JDK: pooled threads"
                    + " drop it between tasks, and the next task's first thread-local allocates a new one");
        }
        boolean gateEnabled = recycling && JdkInternals.stackGateAvailable();
        if (recycling && !gateEnabled) {
            BootLog.warn("cannot read continuation stack sizes on this JDK (" + JdkInternals.STACK_PROBLEM
                    + "): stack gate disabled");
        }
        this.gate = new StackGate(gateEnabled, stats.newStackChunks); // no gate while auto is measured
        this.housekeeping = new Housekeeping(settings, lists, carrierLists, stats);
        this.home = new ReturnPath(stats, gate, lists, carrierLists, housekeeping);
        this.handoff = new Handoff(settings, stats, lists, carrierLists, gate, housekeeping.pendingWakes, home);
        this.housekeeper = startHousekeeper && recycling ? new Housekeeper(housekeeping, settings) : null;
        if (housekeeper != null) {
            housekeeper.start();
        }
        if (gateEnabled) {
            gate.resolve(measureIdleStackBytes(), settings.stackLimitBytes());
        }
    }

    /** What an idle pooled thread retains, measured on a real worker parked in its loop (see {@link StackGate#resolve}). */
    private long measureIdleStackBytes() {
        try {
            RecycledTask probe = (RecycledTask) start(() -> { }, null, null, false);
            Worker w = probe.worker();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < deadline) {
                int k = Worker.kind(w.state());
                // Runs before the pooled-thread advice is installed (RecyclingSetup), so getState()
                // is the JDK's own answer here: WAITING = parked in the worker loop.
                if ((k == Worker.IDLE_LOCAL || k == Worker.IDLE_GLOBAL)
                        && w.thread.getState() == Thread.State.WAITING) {
                    return JdkInternals.retainedStackWords(w.thread) * JdkInternals.WORD_BYTES;
                }
                Thread.sleep(1);
            }
            BootLog.warn("could not observe an idle pooled thread within 2 s; auto stack limit uses its floor");
        } catch (Throwable t) {
            BootLog.warn("measuring the idle stack failed (" + t + "); auto stack limit uses its floor");
        }
        return 0;
    }

    /** Creates the process-wide recycler; idempotent: a second call returns the first instance. */
    public static Recycler install(RecyclerSettings settings) {
        Recycler r = installed;
        if (r != null) {
            return r;
        }
        synchronized (INSTALL_LOCK) {
            if (installed == null) {
                installed = new Recycler(Objects.requireNonNull(settings, "settings"), true);
            }
            return installed;
        }
    }

    /** The installed recycler, or null when none. */
    public static Recycler get() {
        return installed;
    }

    /** Test hook: a recycler that is not the global one. Close it with {@link #close()}. */
    static Recycler create(RecyclerSettings settings, boolean startHousekeeper) {
        return new Recycler(settings, startHousekeeper);
    }

    /**
     * Runs task at once on a recycled virtual thread (or a new pooled one) that looks as a fresh
     * virtual thread created by the caller would: name (null means ""), uncaught exception handler
     * (null = thread group/default handler), inheritable thread-locals copied from the caller iff
     * inheritInheritableThreadLocals, the caller's context class loader if it inherits (else the
     * system class loader), interrupt status clear.
     */
    public TaskHandle start(Runnable task, String name, Thread.UncaughtExceptionHandler handler,
                            boolean inheritInheritableThreadLocals) {
        return recycling ? handoff.submit(task, null, null, name, handler, inheritInheritableThreadLocals, true)
                : startFresh(task, name, handler, inheritInheritableThreadLocals);
    }

    /**
     * As {@link #start} for callers that discard the handle (a rewritten
     * {@code Thread.startVirtualThread(r);} statement): allocates nothing of its own.
     */
    public void execute(Runnable task, String name, Thread.UncaughtExceptionHandler handler,
                        boolean inheritInheritableThreadLocals) {
        if (recycling) {
            handoff.submit(task, null, null, name, handler, inheritInheritableThreadLocals, false);
        } else {
            startFresh(task, name, handler, inheritInheritableThreadLocals);
        }
    }

    /** Whether tasks run on pooled threads; when false, {@link #start} and {@link #execute} start fresh threads. */
    public boolean recycles() {
        return recycling;
    }

    /**
     * As {@link #execute}, for a task that belongs to {@code owner}: the pooled thread runs it as
     * {@code owner.runOwned(task, context)}, and {@link #interruptOwnedBy} finds it while it runs.
     * Allocates nothing of its own. Only while {@link #recycles()}: an owner runs its tasks on fresh
     * threads itself otherwise (a fresh thread is found by no walk).
     */
    public void executeOwned(TaskOwner owner, Runnable task, Object context, String name,
                             Thread.UncaughtExceptionHandler handler, boolean inheritInheritableThreadLocals) {
        handoff.submit(task, ownerWhileRecycling(owner), context, name, handler, inheritInheritableThreadLocals, false);
    }

    /** As {@link #executeOwned}, returning the task's handle (one small object). */
    public TaskHandle startOwned(TaskOwner owner, Runnable task, Object context, String name,
                                 Thread.UncaughtExceptionHandler handler, boolean inheritInheritableThreadLocals) {
        return handoff.submit(task, ownerWhileRecycling(owner), context, name, handler, inheritInheritableThreadLocals, true);
    }

    private TaskOwner ownerWhileRecycling(TaskOwner owner) {
        if (!recycling) {
            throw new IllegalStateException("recycling unavailable: run owned tasks on fresh threads");
        }
        return Objects.requireNonNull(owner, "owner");
    }

    /**
     * Interrupts every task of {@code owner} that runs on a pooled thread now, never a task of
     * another owner that a pooled thread has moved on to. Returns how many were delivered. See
     * {@link TaskInterrupts#interruptOwnedBy} for what it misses on purpose and who covers that.
     */
    public int interruptOwnedBy(TaskOwner owner) {
        return TaskInterrupts.interruptOwnedBy(owner);
    }

    /**
     * Runs task on a fresh, unshared virtual thread with the given characteristics (what the JDK
     * would have started): where recycling is unavailable, or where the route governor found that a
     * route's tasks cost less on fresh threads.
     */
    public TaskHandle startFresh(Runnable task, String name, Thread.UncaughtExceptionHandler handler,
                                 boolean inheritInheritableThreadLocals) {
        Thread t = unstartedFresh(task, name, handler, inheritInheritableThreadLocals);
        t.start();
        return new PlainTask(t);
    }

    /** As {@link #startFresh}, not started yet: for a caller that must register the thread first. */
    public static Thread unstartedFresh(Runnable task, String name, Thread.UncaughtExceptionHandler handler,
                                        boolean inheritInheritableThreadLocals) {
        Thread t = Thread.ofVirtual().name(name == null ? "" : name)
                .inheritInheritableThreadLocals(inheritInheritableThreadLocals).unstarted(task);
        if (handler != null) {
            t.setUncaughtExceptionHandler(handler);
        }
        return t;
    }

    public RecyclerStats stats() {
        return stats;
    }

    /** The stack gate in force, bytes (resolved from auto at install); 0 when the gate is unavailable. */
    public long stackLimitBytes() {
        return gate.limitBytes();
    }

    // ------------------------------------------------------------------------------------------
    // housekeeping, gauges and test hooks

    FreeLists freeLists() {
        return lists;
    }

    LocalList[] localLists() {
        return carrierLists == null ? new LocalList[0] : carrierLists.all();
    }

    /** Test hook: registers a list as if a carrier had created it (to exercise gfpurge). */
    void registerForTest(LocalList list) {
        carrierLists.registerForTest(list);
    }

    int drainGlobalAfterGc() {
        return housekeeping.drainGlobalAfterGc();
    }

    void housekeep() {
        housekeeping.pass();
    }

    long scanLocal(boolean bytes) {
        return carrierLists == null ? 0 : carrierLists.scan(bytes);
    }

    /** Test hook: stops the housekeeper and retires every idle thread; running ones retire after their task. */
    void close() {
        home.closed = true;
        if (housekeeper != null) {
            housekeeper.stop();
        }
        housekeeping.retireAllIdle();
    }

    /** Test hook: the global list (invariant checks). */
    GlobalList globalList() {
        return lists.global;
    }

    long idleStackBytes() {
        return gate.idleStackBytes();
    }

    boolean perCarrierLists() {
        return carrierLists != null;
    }

    boolean gateEnabled() {
        return gate.enabled;
    }
}
