package dev.vtrecycler.bootstrap.recycler;

import dev.vtrecycler.bootstrap.BootLog;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Runs tasks on recycled virtual threads, the way Go recycles goroutines: a finished task's thread
 * parks on its carrier's free list (Go: {@code p.gFree}), a global list sits behind the per-carrier
 * lists ({@code sched.gFree}), a stack gate refuses threads whose continuation stack grew, the
 * global list is drained at every GC ({@code markrootFreeGStacks}) and idle threads retire.
 *
 * <p>Hot path ({@link #start}): pin, pop the carrier's list, unpin, claim the worker with one CAS,
 * unpark it. No lock unless the list is empty (refill) or full (spill), no allocation except the
 * returned handle ({@link #execute} returns none) and the scheduler's own wake-up task.
 */
public final class Recycler {
    /** A floor for the auto stack limit: see {@link #resolveStackLimit}. */
    static final long AUTO_STACK_FLOOR_BYTES = 16 * 1024;

    private static final ThreadFactory WORKER_THREADS =
            Thread.ofVirtual().inheritInheritableThreadLocals(false).factory();
    private static final Object INSTALL_LOCK = new Object();
    private static volatile Recycler installed;

    final RecyclerSettings settings;
    private final RecyclerStats stats = new RecyclerStats();
    private final FreeLists lists;
    /** Per-carrier lists keyed by carrier (a CarrierThreadLocal); null in degraded modes. */
    private final ThreadLocal<LocalList> carrierLists;
    private final Object registryLock = new Object();
    /** Every live carrier's list, for the housekeeper (idle scan, gfpurge) and the gauges. */
    private volatile LocalList[] registry = new LocalList[0];
    /** Recycling possible at all (threads can be reset); otherwise every task gets a fresh thread. */
    private final boolean recycling;
    private final boolean gateEnabled;
    private volatile long stackLimitBytes;
    /** Retained stack of an idle pooled thread at startup, bytes (0 if unknown). */
    private volatile long idleStackBytes;
    /** {@link System#nanoTime()} as of the housekeeper's last pass: cheap "now" for idle stamps. */
    private volatile long coarseNanos = System.nanoTime();
    private volatile boolean closed;
    private final Housekeeper housekeeper;

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
        this.carrierLists = perCarrier ? JdkInternals.newCarrierLocal() : null;
        this.gateEnabled = recycling && JdkInternals.stackGateAvailable();
        if (recycling && !gateEnabled) {
            BootLog.warn("cannot read continuation stack sizes on this JDK (" + JdkInternals.STACK_PROBLEM
                    + "): stack gate disabled");
        }
        this.stackLimitBytes = gateEnabled ? Long.MAX_VALUE : 0; // no gate while auto is measured
        this.housekeeper = startHousekeeper && recycling ? new Housekeeper(this) : null;
        if (housekeeper != null) {
            housekeeper.start();
        }
        if (gateEnabled) {
            this.stackLimitBytes = resolveStackLimit(settings.stackLimitBytes());
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
     * inheritInheritableThreadLocals, the caller's context class loader, interrupt status clear.
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

    public RecyclerStats stats() {
        return stats;
    }

    /** The stack gate in force, bytes (resolved from auto at install); 0 when the gate is unavailable. */
    public long stackLimitBytes() {
        long limit = stackLimitBytes;
        return limit == Long.MAX_VALUE ? 0 : limit;
    }

    // ------------------------------------------------------------------------------------------
    // submit (gfget + handoff)

    private TaskHandle submit(Runnable task, String name, Thread.UncaughtExceptionHandler handler,
                              boolean inherit, boolean wantHandle) {
        Objects.requireNonNull(task, "task");
        if (!recycling) {
            Thread t = Thread.ofVirtual().name(name == null ? "" : name)
                    .inheritInheritableThreadLocals(inherit).unstarted(task);
            if (handler != null) {
                t.setUncaughtExceptionHandler(handler);
            }
            t.start();
            return wantHandle ? new PlainTask(t) : null;
        }
        Thread caller = Thread.currentThread();
        // What a fresh thread would inherit, computed on the caller as Thread's constructor does.
        Object inherited = inherit ? JdkInternals.inheritedMapOfCurrentThread() : null;
        ClassLoader loader = caller.getContextClassLoader();
        if (!closed) {
            boolean yielded = false;
            for (;;) {
                Worker w;
                boolean fromGlobal;
                if (carrierLists != null && caller.isVirtual()) {
                    JdkInternals.pin();
                    try {
                        LocalList local = carrierList(caller);
                        w = lists.get(local);
                        fromGlobal = local.lastGetRefilled;
                    } finally {
                        JdkInternals.unpin();
                    }
                } else {
                    w = lists.getGlobal();
                    fromGlobal = true;
                }
                if (w == null) {
                    if (!yielded && liveWorkers.get() >= settings.localCap()
                            && shouldYieldForAThread(caller)) {
                        yielded = true;
                        stats.submitterYields.increment();
                        Thread.yield();
                        continue;
                    }
                    break;
                }
                long seq = w.tryHand(task, name, handler, loader, inherited);
                if (seq > 0) {
                    (fromGlobal ? stats.tasksFromGlobal : stats.tasksFromLocal).increment();
                    w.wake();
                    return wantHandle ? new RecycledTask(w, seq) : null;
                }
                // it retired (idle timeout) between the pop and our claim: take the next one
            }
        }
        Worker w = new Worker(this);
        long seq = w.handFirst(task, name, handler, loader, inherited);
        Thread t = WORKER_THREADS.newThread(w);
        w.thread = t;
        stats.tasksFromNew.increment();
        liveWorkers.incrementAndGet();
        t.start();
        return wantHandle ? new RecycledTask(w, seq) : null;
    }

    /** Pooled threads alive (idle or running a task); creation and exit only, never per task. */
    private final java.util.concurrent.atomic.AtomicInteger liveWorkers = new java.util.concurrent.atomic.AtomicInteger();

    void workerEnded() {
        liveWorkers.decrementAndGet();
    }

    /**
     * Deviation from Go, on purpose: once the pool holds a full local list's worth of threads
     * (local-cap), a virtual submitter that finds no idle thread while its carrier has other work queued yields once
     * before creating yet another pooled thread.
     *
     * <p>Why: the JDK scheduler is FIFO per carrier and a submitting virtual thread is never
     * preempted, so a submitter that starts tasks in a loop queues every one of them before any
     * finishes; gfget then finds the lists empty each time and the pool grows to the peak number of
     * tasks in flight (10,000 on the churn benchmark). A pooled thread that is resumed once per
     * round of such a pool is cold (its stack chunk, Thread and Continuation are out of cache), and
     * churn ran 20-50x slower than plain threads. Yielding lets the carrier run the tasks already
     * queued (they were started "at once", as required); they return their threads to this
     * carrier's list (hot, LIFO) and the submitter continues with those. The pool then stays near
     * one local list per carrier. Below local-cap the pool grows as in Go, so a submitter hands
     * out up to a list's worth of tasks per yield (measured on 2 cores, churn: yielding from the
     * first thread on made every task cost a submitter yield on one carrier, 3.5x plain; waiting
     * for local-cap x carriers threads let tasks migrate between carriers more, 3-4x; local-cap
     * 2-2.5x; never yielding 20-50x). Cost for the submitter: one yield per empty
     * episode (not per task), delayed by what its carrier had queued.
     * Platform submitters never yield; a carrier with nothing queued never makes anyone yield.
     */
    private static boolean shouldYieldForAThread(Thread caller) {
        if (!caller.isVirtual()) {
            return false;
        }
        Thread carrier = JdkInternals.carrierOf(caller);
        return carrier instanceof ForkJoinWorkerThread fj && fj.getQueuedTaskCount() > 0;
    }

    /** The current carrier's list; call only while pinned on a virtual thread. */
    private LocalList carrierList(Thread currentVirtual) {
        LocalList local = carrierLists.get();
        if (local == null) {
            local = new LocalList(JdkInternals.carrierOf(currentVirtual), settings.localCap());
            carrierLists.set(local);
            synchronized (registryLock) { // once per carrier; pinned, so a wait blocks only this carrier
                LocalList[] grown = Arrays.copyOf(registry, registry.length + 1);
                grown[grown.length - 1] = local;
                registry = grown;
            }
        }
        return local;
    }

    // ------------------------------------------------------------------------------------------
    // offer (stack gate + gfput), on the worker's own thread after its task

    /** Returns false when the worker must end (gate, closed); it has then been retired. */
    boolean offer(Worker w) {
        if (closed) {
            w.retireSelf();
            return false;
        }
        long bytes = idleStackBytes;
        if (gateEnabled) {
            long retained = JdkInternals.retainedStackWords(w.thread) * JdkInternals.WORD_BYTES;
            if (retained > stackLimitBytes) {
                stats.rejectedStack.increment();
                w.retireSelf(); // its chunks become garbage with the thread
                return false;
            }
            // A thread that never parked has no chunk yet but will retain about an idle park's worth.
            bytes = Math.max(retained, bytes);
        }
        w.stackBytes = bytes;
        w.idleSinceNanos = coarseNanos;
        if (carrierLists != null) {
            Thread self = w.thread;
            JdkInternals.pin();
            try {
                // The worker usually finishes on the carrier it last went idle on: skip the
                // carrier-local map lookup then (one volatile read of the carrier instead).
                LocalList local = w.lastList;
                if (local == null || local.owner != JdkInternals.carrierOf(self)) {
                    local = carrierList(self);
                    w.lastList = local;
                }
                lists.put(local, w);
            } finally {
                JdkInternals.unpin();
            }
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

    void retireAfterError(Worker w) {
        stats.rejectedError.increment();
        w.retireSelf();
    }

    // ------------------------------------------------------------------------------------------
    // housekeeping (housekeeper thread, or tests)

    long coarseNanos() {
        return coarseNanos;
    }

    FreeLists freeLists() {
        return lists;
    }

    LocalList[] localLists() {
        return registry;
    }

    /** Test hook: registers a list as if a carrier had created it (to exercise gfpurge). */
    void registerForTest(LocalList list) {
        synchronized (registryLock) {
            LocalList[] grown = Arrays.copyOf(registry, registry.length + 1);
            grown[grown.length - 1] = list;
            registry = grown;
        }
    }

    /** GC drain (Go's markrootFreeGStacks, but the threads go, not just their stacks). */
    int drainGlobalAfterGc() {
        GlobalList global = lists.global;
        Worker[] all;
        global.lock();
        try {
            all = global.takeAll();
        } finally {
            global.unlock();
        }
        int retired = 0;
        for (Worker w : all) {
            if (w.tryRetireIdle(Worker.IDLE_GLOBAL)) {
                retired++;
                w.wake();
            }
        }
        stats.rejectedGc.add(retired);
        return retired;
    }

    /** One housekeeping pass: refresh the coarse clock, retire idle threads, purge dead carriers. */
    void housekeep() {
        long now = System.nanoTime();
        coarseNanos = now;
        retireIdle(now);
        purgeDeadCarriers();
    }

    private void retireIdle(long now) {
        // idleSinceNanos is stamped with coarseNanos, up to one pass period old: allow for it.
        long limit = settings.idleTimeoutNanos() + (housekeeper == null ? 0 : housekeeper.periodNanos);
        int retired = 0;
        for (LocalList local : registry) {
            Worker[] items = local.items;
            int n = Math.min(local.size, items.length); // racy read: see LocalList
            for (int i = 0; i < n; i++) {
                Worker w = items[i];
                if (w != null && Worker.kind(w.state()) == Worker.IDLE_LOCAL
                        && now - w.idleSinceNanos >= limit && w.tryRetireIdle(Worker.IDLE_LOCAL)) {
                    retired++; // its entry stays until the owner's next get/spill drops it
                    w.wake();
                }
            }
        }
        GlobalList global = lists.global;
        if (!global.isEmpty()) {
            Worker[] out = new Worker[global.size()];
            int removed;
            global.lock();
            try {
                removed = global.removeIf(w -> now - w.idleSinceNanos >= limit, out);
            } finally {
                global.unlock();
            }
            for (int i = 0; i < removed; i++) {
                if (out[i].tryRetireIdle(Worker.IDLE_GLOBAL)) {
                    retired++;
                    out[i].wake();
                }
            }
        }
        stats.rejectedIdle.add(retired);
    }

    private void purgeDeadCarriers() {
        LocalList[] current = registry;
        for (LocalList local : current) {
            if (local.owner != null && !local.owner.isAlive()) {
                synchronized (registryLock) {
                    LocalList[] now = registry;
                    LocalList[] kept = new LocalList[now.length - 1];
                    int k = 0;
                    for (LocalList l : now) {
                        if (l != local) {
                            kept[k++] = l;
                        }
                    }
                    registry = kept;
                }
                lists.purge(local); // its owner is dead: nobody else can touch it now
            }
        }
    }

    /** Gauges: idle workers (or their stack bytes) on the carrier lists, by racy scan. */
    long scanLocal(boolean bytes) {
        long sum = 0;
        for (LocalList local : registry) {
            Worker[] items = local.items;
            int n = Math.min(local.size, items.length);
            for (int i = 0; i < n; i++) {
                Worker w = items[i];
                if (w != null && Worker.kind(w.state()) == Worker.IDLE_LOCAL) {
                    sum += bytes ? w.stackBytes : 1;
                }
            }
        }
        return sum;
    }

    /** Test hook: stops the housekeeper and retires every idle thread; running ones retire after their task. */
    void close() {
        closed = true;
        if (housekeeper != null) {
            housekeeper.stop();
        }
        drainGlobalAfterGc();
        for (LocalList local : registry) {
            Worker[] items = local.items;
            for (int i = 0; i < items.length; i++) {
                Worker w = items[i];
                if (w != null && w.tryRetireIdle(Worker.IDLE_LOCAL)) {
                    w.wake();
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // stack limit

    /**
     * {@code auto} (configured {@code <= 0}) is twice the continuation stack an idle pooled thread
     * retains, measured once now on a real worker parked in its loop: Go 1.19's "at most 2x wasted
     * space". Floor 16 KiB (2048 words): an idle park retains about 300 words once compiled by C2
     * but up to ~1,150 while interpreted or C1-compiled (Quarkus measured those chunk sizes), and a
     * task that parked a few library frames deep (an HTTP client read, a j.u.c lock) retains a few
     * KiB more; below 16 KiB the gate would reject ordinary tasks during warm-up, while what it must
     * reject (a thread that once parked hundreds of frames deep keeps a 100+ KiB chunk) is far above.
     */
    private long resolveStackLimit(long configured) {
        long idle = measureIdleStackBytes();
        this.idleStackBytes = idle;
        if (configured > 0) {
            return configured;
        }
        return Math.max(2 * idle, AUTO_STACK_FLOOR_BYTES);
    }

    private long measureIdleStackBytes() {
        try {
            RecycledTask probe = (RecycledTask) start(() -> { }, null, null, false);
            Worker w = probe.worker();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < deadline) {
                int k = Worker.kind(w.state());
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

    long idleStackBytes() {
        return idleStackBytes;
    }

    boolean perCarrierLists() {
        return carrierLists != null;
    }

    boolean gateEnabled() {
        return gateEnabled;
    }
}
