package dev.vtrecycler.bootstrap.recycler;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A pooled virtual thread (Go: a g on a free list): its state word, the hand-off fields, and the
 * transitions every party uses. An ordinary virtual thread runs it ({@link WorkerLoop}: wait to be
 * handed a task, make the thread look new, run the task, offer itself back to the pools, repeat
 * until retired).
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
    Runnable task;
    String name;
    Thread.UncaughtExceptionHandler handler;
    ClassLoader contextClassLoader;
    Object inheritedMap;

    // Idle bookkeeping: written by the worker before it publishes an IDLE kind (release store).
    /** Retained continuation stack when it went idle, bytes (what the pooled-stack gauges sum). */
    long stackBytes;
    /** {@link Recycler#coarseNanos()} when it last went idle. */
    long idleSinceNanos;
    /** The handler this worker's thread has now (null: none set, the group's applies). */
    Thread.UncaughtExceptionHandler handlerInstalled;
    /** The carrier list it last went idle on (worker-only; a hint checked against the carrier). */
    LocalList lastList;
    /** Set by {@link CarrierLists#take} for its caller (who owns the worker then): refilled from global. */
    boolean takenFromGlobal;

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

    /**
     * The worker starts the task it was handed. Release suffices: the interrupt status was cleared
     * before, and an interrupter that sees RUNNING (its CAS acquires) interrupts after that clear.
     */
    void publishRunning(long running) {
        STATE.setRelease(this, running);
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
    boolean retireUnlessHanded() {
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

    void endTask(long running) {
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

    @Override
    public void run() {
        WorkerLoop.run(this);
    }
}
