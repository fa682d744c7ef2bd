package dev.vtrecycler.bootstrap.recycler;

import dev.vtrecycler.bootstrap.BootLog;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs tasks on recycled virtual threads, the way Go recycles goroutines: a finished task's thread
 * parks on its carrier's free list (Go: {@code p.gFree}), a global list sits behind the per-carrier
 * lists ({@code sched.gFree}), a stack gate refuses threads whose continuation stack grew, the
 * global list is drained at every GC ({@code markrootFreeGStacks}) and idle threads retire.
 *
 * <p>This class is the hand-off: {@link #start} takes an idle worker (gfget, {@link CarrierLists}
 * / {@link FreeLists}), claims it with one CAS and unparks it; {@link #offer} is the way back
 * (stack gate, gfput). Housekeeping, the gate and the lists live in their own classes.
 *
 * <p>Hot path: pin, pop the carrier's list, unpin, claim the worker with one CAS, unpark it. No
 * lock unless the list is empty (refill) or full (spill), no allocation except the returned handle
 * ({@link #execute} returns none) and the scheduler's own wake-up task.
 */
public final class Recycler {
    private static final ThreadFactory WORKER_THREADS =
            Thread.ofVirtual().inheritInheritableThreadLocals(false).factory();
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
    private volatile boolean closed;
    /** Pooled threads alive (idle or running a task); creation and exit only, never per task. */
    private final AtomicInteger liveWorkers = new AtomicInteger();

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
        boolean gateEnabled = recycling && JdkInternals.stackGateAvailable();
        if (recycling && !gateEnabled) {
            BootLog.warn("cannot read continuation stack sizes on this JDK (" + JdkInternals.STACK_PROBLEM
                    + "): stack gate disabled");
        }
        this.gate = new StackGate(gateEnabled); // no gate while auto is measured
        this.housekeeping = new Housekeeping(settings, lists, carrierLists, stats);
        this.housekeeper = startHousekeeper && recycling ? new Housekeeper(housekeeping, settings) : null;
        if (housekeeper != null) {
            housekeeper.start();
        }
        if (gateEnabled) {
            gate.resolve(this, settings.stackLimitBytes());
        }
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
        return submit(task, name, handler, inheritInheritableThreadLocals, true);
    }

    /**
     * As {@link #start} for callers that discard the handle (a rewritten
     * {@code Thread.startVirtualThread(r);} statement): allocates nothing of its own.
     */
    public void execute(Runnable task, String name, Thread.UncaughtExceptionHandler handler,
                        boolean inheritInheritableThreadLocals) {
        submit(task, name, handler, inheritInheritableThreadLocals, false);
    }

    /**
     * Runs task on a fresh, unshared virtual thread with the given characteristics (what the JDK
     * would have started): where recycling is unavailable, or where the route governor found that a
     * route's tasks cost less on fresh threads.
     */
    public TaskHandle startFresh(Runnable task, String name, Thread.UncaughtExceptionHandler handler,
                                 boolean inheritInheritableThreadLocals) {
        Thread t = Thread.ofVirtual().name(name == null ? "" : name)
                .inheritInheritableThreadLocals(inheritInheritableThreadLocals).unstarted(task);
        if (handler != null) {
            t.setUncaughtExceptionHandler(handler);
        }
        t.start();
        return new PlainTask(t);
    }

    public RecyclerStats stats() {
        return stats;
    }

    /** The stack gate in force, bytes (resolved from auto at install); 0 when the gate is unavailable. */
    public long stackLimitBytes() {
        return gate.limitBytes();
    }

    // ------------------------------------------------------------------------------------------
    // submit (gfget + hand-off)

    /**
     * The invariant every failure path keeps (an OutOfMemoryError or StackOverflowError at any
     * step, see {@link Faults}): the task runs exactly once and this returns normally, or it never
     * runs and this throws; every worker this touched is back in a list, handed, or retired; no pin
     * and no lock is left held.
     */
    private TaskHandle submit(Runnable task, String name, Thread.UncaughtExceptionHandler handler,
                              boolean inherit, boolean wantHandle) {
        Objects.requireNonNull(task, "task");
        if (!recycling) {
            TaskHandle plain = startFresh(task, name, handler, inherit);
            return wantHandle ? plain : null;
        }
        StackProbe.ensure(); // a stack overflow now, not half-way through the bookkeeping
        Thread caller = Thread.currentThread();
        // What a fresh thread would inherit, computed on the caller as Thread's constructor does.
        Object inherited = inherit ? JdkInternals.inheritedMapOfCurrentThread() : null;
        ClassLoader loader = FreshThread.contextLoaderFor(caller, inherit);
        // Allocated before any worker is claimed: once one is, nothing may fail but the wake-up.
        RecycledTask handle = wantHandle ? new RecycledTask() : null;
        if (!closed) {
            boolean yielded = false;
            for (;;) {
                Worker w;
                boolean fromGlobal;
                if (carrierLists != null && caller.isVirtual()) {
                    w = carrierLists.take(caller);
                    fromGlobal = w != null && w.takenFromGlobal;
                } else {
                    w = lists.getGlobal();
                    fromGlobal = true;
                }
                if (w == null) {
                    if (!yielded && SubmitterYield.poolFillsAList(liveWorkers.get(), settings.localCap())
                            && SubmitterYield.shouldYield(caller, gate.limitBytes())) {
                        yielded = true;
                        stats.submitterYields.increment();
                        Thread.yield();
                        continue;
                    }
                    break;
                }
                long seq = w.tryHand(task, name, handler, loader, inherited);
                if (seq > 0) {
                    handOff(w, seq);
                    (fromGlobal ? stats.tasksFromGlobal : stats.tasksFromLocal).increment();
                    return handle == null ? null : handle.of(w, seq);
                }
                // it retired (idle timeout) between the pop and our claim: take the next one
            }
        }
        return startNewWorker(task, name, handler, loader, inherited, handle);
    }

    /**
     * Wakes a claimed (HANDED) worker. If the wake-up fails, the task is taken back before the
     * worker could start it (it retires) and the failure goes to the submitter; if the worker
     * started it anyway (it woke by itself), the task runs and the submit succeeds.
     */
    private void handOff(Worker w, long seq) {
        try {
            if (Faults.ARMED) {
                Faults.at(Faults.Step.CLAIMED);
            }
            w.wake();
        } catch (Throwable t) {
            if (w.takeBack(seq)) {
                stats.rejectedError.increment();
                housekeeping.pendingWakes.wakeOrDefer(w); // let the retired thread end
                throw t;
            }
        }
    }

    private TaskHandle startNewWorker(Runnable task, String name, Thread.UncaughtExceptionHandler handler,
                                      ClassLoader loader, Object inherited, RecycledTask handle) {
        Worker w = new Worker(this);
        long seq = w.handFirst(task, name, handler, loader, inherited);
        Thread t = WORKER_THREADS.newThread(w);
        w.thread = t;
        boolean started = false;
        liveWorkers.incrementAndGet();
        try {
            PooledThreads.register(t, w);
            if (Faults.ARMED) {
                Faults.at(Faults.Step.NEW_WORKER_START);
            }
            t.start(); // throws only if the thread never runs (VirtualThread.start undoes itself)
            started = true;
        } finally {
            if (!started) {
                liveWorkers.decrementAndGet();
                PooledThreads.unregister(w);
            }
        }
        stats.tasksFromNew.increment();
        return handle == null ? null : handle.of(w, seq);
    }

    void workerEnded() {
        liveWorkers.decrementAndGet();
    }

    // ------------------------------------------------------------------------------------------
    // offer (stack gate + gfput), on the worker's own thread after its task

    /** Returns false when the worker must end (gate, closed); it has then been retired. */
    boolean offer(Worker w) {
        if (closed) {
            w.retireSelf();
            return false;
        }
        long bytes = gate.admit(w);
        if (bytes < 0) {
            stats.rejectedStack.increment();
            w.retireSelf(); // its chunks become garbage with the thread
            return false;
        }
        w.stackBytes = bytes;
        w.idleSinceNanos = housekeeping.coarseNanos();
        if (carrierLists != null) {
            carrierLists.put(w);
        } else {
            lists.putGlobal(w);
        }
        return true;
    }

    private volatile boolean internalFailureReported;

    /**
     * A bookkeeping step failed (a JDK whose internals changed under us): one stderr line, the
     * worker retires; tasks are never lost or affected. Returns false (the worker is unhealthy).
     */
    boolean internalFailure(Throwable t) {
        if (!internalFailureReported) {
            internalFailureReported = true;
            BootLog.warn("recycling step failed (" + t + "); affected threads retire instead of being reused");
        }
        return false;
    }

    void retireWithOpenScope(Worker w) {
        stats.rejectedOpenScope.increment();
        w.retireSelf();
    }

    void retireAfterError(Worker w) {
        stats.rejectedError.increment();
        w.retireSelf();
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
        closed = true;
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
