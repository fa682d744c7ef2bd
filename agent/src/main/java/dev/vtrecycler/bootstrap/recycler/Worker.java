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
 *
 * <p>A task "is running" (seen from a handle, or from outside through the pooled-thread advice on
 * {@code join}/{@code isAlive}/{@code getState}) from HANDED through TAKEN and RUNNING/INTERRUPTING
 * until FINISHED. The worker's TAKEN step is a CAS, so a submitter whose wake-up failed can still
 * take its hand-off back (HANDED -> RETIRED) without racing a worker that already started it.
 */
final class Worker implements Runnable {
    static final int KIND_BITS = 3;
    static final long KIND_MASK = (1 << KIND_BITS) - 1;
    /** The worker took the hand-off of {@code seq} (its CAS out of HANDED) and resets the thread for it. */
    static final int TAKEN = 0;
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
    private static final VarHandle JOINERS;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Worker.class, "state", long.class);
            JOINERS = MethodHandles.lookup().findVarHandle(Worker.class, "joiners", Joiner.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Recycler recycler;
    /**
     * The virtual thread running this worker; set once before it starts (null in list unit tests),
     * cleared by the worker when its thread ends, so that a stale list entry keeps nothing of it
     * reachable. Plain: a reader that still sees the ended thread (a late wake-up) does no harm.
     */
    Thread thread;

    private volatile long state;
    /** Threads joining the running task from outside (a Treiber stack); woken when it ends. */
    @SuppressWarnings("unused") // via JOINERS
    private volatile Joiner joiners;

    /** One thread waiting in {@code join} for the task of {@code seq}. */
    static final class Joiner {
        final Thread thread;
        Joiner next;

        Joiner(Thread thread) {
            this.thread = thread;
        }
    }

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
    /** The carrier list it last went idle on (worker-only; a hint checked against the carrier). */
    LocalList lastList;
    /** Link in {@link PendingWakes} (a retired worker whose wake-up failed). */
    Worker nextPendingWake;
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
        if (Faults.ARMED) {
            Faults.at(Faults.Step.WAKE);
        }
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    // ------------------------------------------------------------------------------------------
    // TaskHandle support

    boolean isRunning(long seq) {
        long s = state;
        return seq(s) == seq && taskRunning(kind(s));
    }

    /** HANDED, TAKEN, RUNNING or INTERRUPTING: a task was handed over and has not ended. */
    static boolean taskRunning(int kind) {
        return kind == HANDED || kind == TAKEN || kind == RUNNING || kind == INTERRUPTING;
    }

    /**
     * The worker takes the hand-off it saw (HANDED -> TAKEN, same seq). Fails only if the
     * submitter took it back first ({@link #takeBack}): the state is RETIRED then.
     */
    boolean take(long handed) {
        return STATE.compareAndSet(this, handed, withKind(handed, TAKEN));
    }

    /**
     * A submitter whose claim succeeded but whose wake-up failed takes its task back, if the worker
     * has not taken it yet: HANDED(seq) -> RETIRED, task fields cleared, the task never runs and the
     * submitter reports the failure. Returns false if the worker already took it (the task runs:
     * the submitter must then report success).
     */
    boolean takeBack(long seq) {
        long handed = (seq << KIND_BITS) | HANDED;
        if (!STATE.compareAndSet(this, handed, withKind(handed, RETIRED))) {
            return false;
        }
        this.task = null;
        this.name = null;
        this.handler = null;
        this.contextClassLoader = null;
        this.inheritedMap = null;
        wakeJoiners();
        return true;
    }

    // ------------------------------------------------------------------------------------------
    // join from outside (pooled-thread advice): wait for the task running now, not for the thread

    /**
     * Waits until the task running now (if any) has ended, as a {@code join} on that task's own
     * thread would. {@code nanos <= 0} waits forever. Returns true if no task runs any more, false
     * on timeout or interrupt (the interrupt status is left set for the caller to act on).
     *
     * <p>Why no wake-up is lost: the joiner pushes itself, then re-reads the state; the worker's
     * end-of-task CAS writes the state, then swaps the stack out. Both are volatile, so at least
     * one of them sees the other.
     */
    boolean awaitTaskEnd(long nanos) {
        long s = state;
        if (!taskRunning(kind(s))) {
            return true;
        }
        long seq = seq(s);
        Thread me = Thread.currentThread();
        Joiner node = new Joiner(me);
        Joiner head;
        do {
            head = joiners;
            node.next = head;
        } while (!JOINERS.compareAndSet(this, head, node));
        long deadline = nanos > 0 ? System.nanoTime() + nanos : 0;
        for (;;) {
            s = state;
            if (seq(s) != seq || !taskRunning(kind(s))) {
                return true;
            }
            if (me.isInterrupted()) {
                return false;
            }
            if (nanos > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                LockSupport.parkNanos(this, left);
            } else {
                LockSupport.park(this);
            }
        }
    }

    /** After a task ended (or was taken back): unpark every joiner. One volatile read when none. */
    private void wakeJoiners() {
        if (joiners != null) {
            for (Joiner j = (Joiner) JOINERS.getAndSet(this, null); j != null; j = j.next) {
                LockSupport.unpark(j.thread);
            }
        }
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
            if (k == HANDED || k == TAKEN) {
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
        wakeJoiners();
    }

    @Override
    public void run() {
        WorkerLoop.run(this);
    }
}
