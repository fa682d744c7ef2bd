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
 * a later task that reused the thread, and {@link TaskInterrupts} acts on a task only through such a
 * token. Calls nothing above its floor (see {@code package-info}): the worker's body is
 * {@link WorkerLoop}, which the thread runs, not this class.
 *
 * <p>A task "is running" (seen from a handle, or from outside through the pooled-thread advice on
 * {@code join}/{@code isAlive}/{@code getState}) from HANDED through TAKEN and RUNNING/INTERRUPTING
 * until FINISHED. The worker's TAKEN step is a CAS, so a submitter whose wake-up failed can still
 * take its hand-off back (HANDED -> RETIRED) without racing a worker that already started it.
 */
final class Worker {
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
    private static final VarHandle OWNER;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Worker.class, "state", long.class);
            OWNER = MethodHandles.lookup().findVarHandle(Worker.class, "owner", TaskOwner.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The recycler's counters (the pooled-thread advice counts foreign interrupts there); null in list unit tests. */
    final RecyclerStats stats;
    /**
     * The virtual thread running this worker; set once before it starts (null in list unit tests),
     * cleared by the worker when its thread ends, so that a stale list entry keeps nothing of it
     * reachable. Plain: a reader that still sees the ended thread (a late wake-up) does no harm.
     */
    Thread thread;

    private volatile long state;
    /** Threads joining the running task from outside; woken when it ends. */
    final TaskJoiners joiners = new TaskJoiners();

    // Hand-off fields, reused for every task: staged by the claimant ({@link #stage}) BEFORE the
    // volatile write that hands the task over (the CAS to HANDED in tryHand; for a new worker the
    // release store in handFirst, then Thread.start). That write is what publishes them:
    // LockSupport.unpark is no happens-before edge, so nothing may count on the wake-up for it. The
    // worker reads them after it saw HANDED (its CAS out of HANDED acquires) and clears them. A
    // failed claim clears them again.
    Runnable task;
    /** What the owner captured at submission for the task (an APM agent's context), or null. */
    Object context;
    String name;
    Thread.UncaughtExceptionHandler handler;
    ClassLoader contextClassLoader;
    Object inheritedMap;
    /**
     * The {@link TaskOwner} of the task handed over, null when nobody owns it. Unlike the fields
     * above it stays set while the task runs, until {@link #endTask}, because other threads read it
     * ({@link #ownerWhileRunning}): written with release stores, read with an acquire load.
     */
    @SuppressWarnings("unused") // via OWNER
    private TaskOwner owner;

    // Idle bookkeeping: written by the worker before it publishes an IDLE kind (release store).
    /** Retained continuation stack when it went idle, bytes (what the pooled-stack gauges sum). */
    long stackBytes;
    /** The continuation tail chunk the stack gate last measured, and its retained bytes (worker-only). */
    Object gatedTail;
    long gatedBytes;
    /** {@link Housekeeping#coarseNanos()} when it last went idle. */
    long idleSinceNanos;
    /** The carrier list it last went idle on (worker-only; a hint checked against the carrier). */
    LocalList lastList;
    /** Link in {@link PendingWakes} (a retired worker whose wake-up failed). */
    Worker nextPendingWake;
    /** Set by {@link CarrierLists#take} for its caller (who owns the worker then): refilled from global. */
    boolean takenFromGlobal;
    /**
     * The task's submitter takes workers from the global list only (a platform thread: Tomcat's
     * poller, Jetty's selectors, the JDK server's dispatcher), so the worker goes back there, not to
     * its carrier's list. Staged with the task (published by the hand-off), read by the worker's
     * return path.
     */
    boolean returnsToGlobal;

    Worker(RecyclerStats stats) {
        this.stats = stats;
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

    /** The claimant stages the task's fields; {@link #handFirst} or {@link #tryHand} then publishes them. */
    void stage(Runnable task, TaskOwner owner, Object context, String name,
               Thread.UncaughtExceptionHandler handler, ClassLoader ccl, Object inheritedMap, boolean returnsToGlobal) {
        this.returnsToGlobal = returnsToGlobal;
        this.task = task;
        this.context = context;
        this.name = name;
        this.handler = handler;
        this.contextClassLoader = ccl;
        this.inheritedMap = inheritedMap;
        OWNER.setRelease(this, owner);
    }

    /** The staged owner, for the worker itself once it took the hand-off (the CAS it saw HANDED with acquired it). */
    TaskOwner stagedOwner() {
        return (TaskOwner) OWNER.get(this);
    }

    /** Drops the staged fields (a failed claim, a taken-back hand-off): nothing stays reachable. */
    private void unstage() {
        clearStagedFields();
        OWNER.setRelease(this, null);
    }

    /**
     * Clears what {@link #stage} wrote, all but the owner: the worker calls it once it has read them,
     * and the owner stays until {@link #endTask} (see {@link #ownerWhileRunning}).
     */
    void clearStagedFields() {
        this.task = null;
        this.context = null;
        this.name = null;
        this.handler = null;
        this.contextClassLoader = null;
        this.inheritedMap = null;
    }

    /** First hand-off of a brand-new worker (fields staged), before its thread starts. Returns its seq, 1. */
    long handFirst() {
        long first = (1L << KIND_BITS) | HANDED;
        STATE.setRelease(this, first);
        return 1;
    }

    /**
     * Claims this idle worker (popped from a list by the caller, so no other submitter can race)
     * for the staged task. Fails only when the worker retired meanwhile (housekeeper): the fields
     * are dropped and the caller tries the next one. Returns the task's seq, or -1.
     */
    long tryHand() {
        long s = state;
        int k = kind(s);
        if (k == IDLE_LOCAL || k == IDLE_GLOBAL) {
            long nextSeq = seq(s) + 1;
            if (STATE.compareAndSet(this, s, (nextSeq << KIND_BITS) | HANDED)) {
                return nextSeq;
            }
        }
        unstage();
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
        unstage();
        joiners.wakeAll();
        return true;
    }

    /**
     * RUNNING(seq) -> INTERRUPTING(seq), for {@link TaskInterrupts#interrupt}: while INTERRUPTING the
     * worker's end-of-task CAS waits, so the interrupt lands on this task or not at all.
     */
    boolean tryStartInterrupting(long running) {
        return STATE.compareAndSet(this, running, withKind(running, INTERRUPTING));
    }

    /** INTERRUPTING(seq) -> RUNNING(seq): the interrupt was delivered (or failed). */
    void endInterrupting(long running) {
        STATE.setVolatile(this, running);
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
        OWNER.setRelease(this, null); // after FINISHED: see ownerWhileRunning
        joiners.wakeAll();
    }

    /**
     * The owner of the task that {@code running} (a state read just before, of a running kind)
     * says runs, or null if that task has ended meanwhile or has no owner.
     *
     * <p>Why the racy read cannot name the wrong owner (JCTools-style: owner written by release
     * stores, read by this acquire load, bracketed by two volatile reads of the state):
     * <ul>
     * <li>It cannot be the owner of an EARLIER task: that task's submitter staged its owner before
     *     the HANDED CAS of {@code seq}, which the first state read saw, so the staging of
     *     {@code seq}'s owner happens-before this load and coherence forbids an older value.</li>
     * <li>If it is the owner of a LATER task, that task's submitter staged it after it saw this
     *     worker idle, i.e. after the worker's FINISHED CAS of {@code seq}; the acquire load then
     *     makes that CAS happen-before the second state read, which therefore sees {@code seq} ended
     *     (or a later seq), and the answer is null.</li>
     * <li>Null written by {@link #endTask} after FINISHED reads as "no owner": the task has ended.</li>
     * </ul>
     */
    TaskOwner ownerWhileRunning(long running) {
        TaskOwner o = (TaskOwner) OWNER.getAcquire(this);
        long now = state;
        return seq(now) == seq(running) && taskRunning(kind(now)) ? o : null;
    }
}
