package dev.vtrecycler.bootstrap.recycler;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A pooled virtual thread's body (Go: a g on a free list). An ordinary virtual thread runs
 * {@link #run()}: wait to be handed a task, make the thread look new, run the task, offer itself
 * back to the pools (stack gate, gfput), repeat until retired.
 *
 * <p><b>The state word is the single authority.</b> {@code state = seq << KIND_BITS | kind}. The
 * free lists are only an index over workers: whoever wins a CAS out of an IDLE kind owns the
 * transition (a submitter's handoff, the housekeeper's retirement, a spill/refill moving scope), so
 * a list may hold a stale entry (a worker retired while listed) that list operations then drop.
 * {@code seq} counts handoffs; a {@link TaskHandle} is {@code (worker, seq)} so it can never act on
 * a later task that reused the thread.
 */
final class Worker implements Runnable {
    static final int KIND_BITS = 3;
    static final long KIND_MASK = (1 << KIND_BITS) - 1;
    /** Running the task of {@code seq}. */
    static final int RUNNING = 1;
    /** A {@link TaskHandle} is delivering an interrupt to the task of {@code seq}. */
    static final int INTERRUPTING = 2;
    /** The task of {@code seq} has ended; the thread is being reset. */
    static final int FINISHED = 3;
    /** A submitter filled the task fields for {@code seq}; only the worker leaves this kind. */
    static final int HANDED = 4;
    static final int IDLE_LOCAL = 5;
    static final int IDLE_GLOBAL = 6;
    /** Terminal: the thread ends (or has ended). */
    static final int RETIRED = 7;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Worker.class, "state", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Recycler recycler;
    /** The virtual thread running this worker; set once before it starts (null in list unit tests). */
    Thread thread;

    private volatile long state;

    // Handoff fields: written by the claimant BEFORE its CAS to HANDED (the CAS publishes them),
    // read and cleared by the worker after it sees HANDED. A failed claim clears them again.
    private Runnable task;
    private String name;
    private Thread.UncaughtExceptionHandler handler;
    private ClassLoader contextClassLoader;
    private Object inheritedMap;

    // Idle bookkeeping: written by the worker before it publishes an IDLE kind (release store).
    /** Retained continuation stack when it went idle, bytes (what the pooled-stack gauges sum). */
    long stackBytes;
    /** {@link Recycler#coarseNanos()} when it last went idle. */
    long idleSinceNanos;
    /** The carrier list it last went idle on (worker-only; a hint checked against the carrier). */
    LocalList lastList;

    Worker(Recycler recycler) {
        this.recycler = recycler;
    }

    static int kind(long state) {
        return (int) (state & KIND_MASK);
    }

    static long seq(long state) {
        return state >>> KIND_BITS;
    }

    static long withKind(long state, int kind) {
        return (state & ~KIND_MASK) | kind;
    }

    long state() {
        return state;
    }

    boolean casState(long expected, long next) {
        return STATE.compareAndSet(this, expected, next);
    }

    /** Publishes an IDLE kind for the current seq. Only the worker itself calls this (it owns non-IDLE kinds). */
    void publishIdle(int idleKind) {
        STATE.setRelease(this, withKind(state, idleKind));
    }

    /** First handoff of a brand-new worker, before its thread starts (start() publishes the fields). */
    long handFirst(Runnable task, String name, Thread.UncaughtExceptionHandler handler,
                   ClassLoader ccl, Object inheritedMap) {
        this.task = task;
        this.name = name;
        this.handler = handler;
        this.contextClassLoader = ccl;
        this.inheritedMap = inheritedMap;
        long first = (1L << KIND_BITS) | HANDED;
        STATE.setRelease(this, first);
        return 1;
    }

    /**
     * Claims this idle worker (popped from a list by the caller, so no other submitter can race)
     * for a task. Fails only when the worker retired meanwhile (housekeeper): the caller then
     * tries the next one. Returns the task's seq, or -1.
     */
    long tryHand(Runnable task, String name, Thread.UncaughtExceptionHandler handler,
                 ClassLoader ccl, Object inheritedMap) {
        long s = state;
        int k = kind(s);
        if (k == IDLE_LOCAL || k == IDLE_GLOBAL) {
            this.task = task;
            this.name = name;
            this.handler = handler;
            this.contextClassLoader = ccl;
            this.inheritedMap = inheritedMap;
            long nextSeq = seq(s) + 1;
            if (STATE.compareAndSet(this, s, (nextSeq << KIND_BITS) | HANDED)) {
                return nextSeq;
            }
            this.task = null;
            this.name = null;
            this.handler = null;
            this.contextClassLoader = null;
            this.inheritedMap = null;
        }
        return -1;
    }

    /** Retires this worker if it is idle in the given kind; the caller then wakes its thread. */
    boolean tryRetireIdle(int idleKind) {
        long s = state;
        return kind(s) == idleKind && STATE.compareAndSet(this, s, withKind(s, RETIRED));
    }

    /** Moves an idle worker between the local and global scopes (spill, refill, purge). */
    boolean tryMoveIdle(int fromKind, int toKind) {
        long s = state;
        return kind(s) == fromKind && STATE.compareAndSet(this, s, withKind(s, toKind));
    }

    /** The worker leaves the pools for good (its own decision: stack gate, error, closed recycler). */
    void retireSelf() {
        STATE.setVolatile(this, withKind(state, RETIRED));
    }

    /**
     * Ends this worker from whatever kind it is in, unless a submitter already handed it a task
     * (then returns false and the caller runs it). CAS, because an IDLE worker may be claimed
     * concurrently.
     */
    private boolean retireUnlessHanded() {
        for (;;) {
            long s = state;
            int k = kind(s);
            if (k == RETIRED) {
                return true;
            }
            if (k == HANDED) {
                return false;
            }
            if (STATE.compareAndSet(this, s, withKind(s, RETIRED))) {
                return true;
            }
        }
    }

    void wake() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    // ------------------------------------------------------------------------------------------
    // TaskHandle support

    boolean isRunning(long seq) {
        long s = state;
        int k = kind(s);
        return seq(s) == seq && (k == HANDED || k == RUNNING || k == INTERRUPTING);
    }

    /**
     * RUNNING(seq) -> INTERRUPTING(seq) -> interrupt -> RUNNING(seq). The worker's end-of-task CAS
     * waits out INTERRUPTING, and it clears the interrupt status only after, so an interrupt is
     * either delivered to this task or not at all; it can never reach a later one.
     */
    boolean interrupt(long seq) {
        for (int spins = 0; ; spins++) {
            long s = state;
            if (seq(s) != seq) {
                return false;
            }
            int k = kind(s);
            if (k == HANDED) {
                // The worker is about to start this task (it clears the interrupt status first):
                // deliver once it runs. Yield, not spin, past a few rounds: it may need our carrier.
                if (spins < 64) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
                continue;
            }
            if (k != RUNNING) {
                return false; // INTERRUPTING: another interrupt is being delivered right now; done
            }
            long interrupting = withKind(s, INTERRUPTING);
            if (STATE.compareAndSet(this, s, interrupting)) {
                try {
                    thread.interrupt();
                } finally {
                    STATE.setVolatile(this, s);
                }
                return true;
            }
        }
    }

    private void endTask(long running) {
        long finished = withKind(running, FINISHED);
        int spins = 0;
        while (!STATE.compareAndSet(this, running, finished)) {
            // Only INTERRUPTING(seq) can be in the way, for the length of one Thread.interrupt().
            if (++spins < 64) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // the loop

    @Override
    public void run() {
        try {
            loop();
        } finally {
            recycler.workerEnded();
        }
    }

    private void loop() {
        Thread self = thread;
        for (;;) {
            long handed = awaitHandoff();
            if (handed < 0) {
                return;
            }
            Runnable job = task;
            String jobName = name;
            Thread.UncaughtExceptionHandler jobHandler = handler;
            ClassLoader jobLoader = contextClassLoader;
            Object jobInherited = inheritedMap;
            task = null;
            name = null;
            handler = null;
            contextClassLoader = null;
            inheritedMap = null;

            boolean healthy = true;
            try {
                dressAsNew(self, jobName, jobHandler, jobLoader, jobInherited);
            } catch (Throwable t) {
                healthy = recycler.internalFailure(t); // the task still runs; the thread retires after
            }
            long running = withKind(handed, RUNNING);
            // Release suffices: the interrupt status was cleared above, and an interrupter that
            // sees RUNNING (its CAS acquires) interrupts after that clear.
            STATE.setRelease(this, running);
            Throwable failure = null;
            try {
                job.run();
            } catch (Throwable t) {
                failure = t;
            }
            endTask(running);
            job = null;
            if (failure != null) {
                reportUncaught(self, failure);
                recycler.retireAfterError(this);
                return; // the thread ends here, as a fresh thread would after an uncaught throw
            }
            try {
                undress(self);
                if (healthy && recycler.offer(this)) {
                    continue;
                }
            } catch (Throwable t) {
                recycler.internalFailure(t);
            }
            if (retireUnlessHanded()) {
                return;
            }
            // a submitter claimed us in the meantime: its task must run
        }
    }

    /**
     * Decision: a task that threw retires its thread (reason {@code error}) instead of being
     * recycled. The throw itself is reported exactly as a fresh thread reports it; but a task that
     * died abruptly may have left thread state we do not reset (an open StructuredTaskScope, a
     * pushed ScopedValue frame it never popped, a huge stack after a StackOverflowError). Errors
     * are rare, so the price is one thread creation per error.
     */
    private static void reportUncaught(Thread self, Throwable failure) {
        try {
            // getUncaughtExceptionHandler(): the task's handler, or the thread group, which
            // delegates to the default handler: what Thread.dispatchUncaughtException does.
            self.getUncaughtExceptionHandler().uncaughtException(self, failure);
        } catch (Throwable ignored) {
            // a fresh thread ignores a throwing handler too
        }
    }

    private long awaitHandoff() {
        for (;;) {
            long s = state;
            int k = kind(s);
            if (k == HANDED) {
                return s;
            }
            if (k == RETIRED) {
                return -1;
            }
            LockSupport.park(this);
            // An interrupt through a leaked Thread reference would make every park return at once:
            // drop it (prepare() clears it anyway before the next task).
            Thread.interrupted();
        }
    }

    /**
     * Makes the thread look as a fresh one created by the submitter would. Volatile writes (name is
     * even synchronized) are skipped when the value is already right: on churn every task has the
     * same name, loader and handler.
     */
    private void dressAsNew(Thread self, String name, Thread.UncaughtExceptionHandler handler,
                            ClassLoader loader, Object inheritedMap) {
        Thread.interrupted();
        String newName = name == null ? "" : name;
        if (!newName.equals(self.getName())) {
            self.setName(newName);
        }
        if (handler != handlerInstalled) {
            self.setUncaughtExceptionHandler(handler); // null: the thread group, as for a fresh thread
            handlerInstalled = handler;
        }
        if (self.getContextClassLoader() != loader) {
            self.setContextClassLoader(loader);
        }
        if (inheritedMap != null) {
            JdkInternals.setInheritableThreadLocals(self, inheritedMap);
        }
    }

    /** The handler this worker's thread has now (null: none set, the group's applies). */
    private Thread.UncaughtExceptionHandler handlerInstalled;

    /**
     * Drops the task's thread-locals (plain field writes) and interrupt status. The name, handler
     * and context class loader stay until the next task overwrites them: resetting them here would
     * cost three volatile writes per task; the price is that an idle pooled thread keeps its last
     * task's loader and handler reachable until reused or retired (GC drain, idle-timeout).
     */
    private static void undress(Thread self) {
        JdkInternals.clearThreadLocals(self);
        JdkInternals.setInheritableThreadLocals(self, null);
        Thread.interrupted();
    }
}
