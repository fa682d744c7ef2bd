package dev.vtrecycler.bootstrap.wakeup;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * One per pool (the default scheduler's): a small fixed ring of reusable immediate tasks with delay 0
 * (<em>rounds</em>), each of whose action raises {@code fired} to its arming's ticket. It is the
 * happens-before edge the delay scheduler does not give: a {@link ReusableTimeout} whose task was
 * cancelled by an early wake-up, with a removal request pended, takes {@link #need()} and has it
 * {@link #cover(long) covered}; once {@link #reached(long)} says a round's action ran with a ticket at
 * least that high, the scheduler has processed the removal (see {@link ReusableTimeout}, points 8 to
 * 12, for the argument).
 *
 * <p>Arming claims one round by a CAS of its task's {@code status} from "completed normally" to a new
 * task's status: one claimer per round at a time, and the CAS reads the scheduler's {@code setDone}
 * write, so points 2 to 5 of {@link ReusableTimeout} hold for each round's own re-arm. Several rounds
 * are in flight at once (one per early wake-up at most, see {@link #cover}), so a need does not wait
 * for the round before it to come back. A claim that finds every round in flight arms nothing: the
 * owner whose need it does not cover retries at its next timed park.
 */
final class RemovalMarker {
    /**
     * Rounds of the default scheduler's marker: one per early wake-up while the scheduler's thread does
     * not run. On 2 busy cores it came round about every 2 ms (150-300 rounds in flight at one early
     * wake-up every 6-8 µs, docs/scheduling.md, Results); a need that finds every round in flight waits
     * one turn more. One ring per pool: about 50 KB.
     */
    static final int ROUNDS = 512;
    private static final VarHandle TICKETS;
    private static final VarHandle FIRED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            TICKETS = lookup.findVarHandle(RemovalMarker.class, "tickets", long.class);
            FIRED = lookup.findVarHandle(RemovalMarker.class, "fired", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ForkJoinPool pool;
    private final Round[] rounds;
    /** The status of a round's task when completed normally: a new task's plus {@code DONE}. */
    private final int doneStatus;
    /**
     * Where {@link #tryArm()} starts looking: after the round claimed last. Only a hint (plain, racy):
     * a stale value costs a longer scan, never a wrong claim, which is the CAS.
     */
    private int nextRound;
    /** The last ticket handed out (by {@link #tryArm()} only). */
    private volatile long tickets;
    /** The highest ticket whose round's action ran; only grows (a CAS, see {@link Round#run()}). */
    private volatile long fired;

    /** One round: its task and the ticket of its arming in flight. */
    private final class Round implements Runnable {
        final ForkJoinTask<?> task;
        /** Written by the round's claimer before the pend, read by the action (the pend orders them). */
        long ticket;

        Round() throws Throwable {
            task = (ForkJoinTask<?>) JdkTimers.NEW_TASK.invokeExact(0L, 0L, true, (Runnable) this,
                    (java.util.concurrent.Callable<?>) null, pool);
            // never pended yet: idle, as if completed normally (nobody else has seen the task)
            JdkTimers.TASK_STATUS.setVolatile(task, doneStatus);
        }

        /**
         * The action, on the delay scheduler's thread: raises {@code fired} to this ticket. Rounds of
         * one batch fire in any order; the CAS keeps {@code fired} from going back, so each value it
         * holds was written by the action of the arming with that ticket (11).
         */
        @Override
        public void run() {
            long t = ticket;
            long f;
            while ((f = fired) < t && !FIRED.compareAndSet(RemovalMarker.this, f, t)) {
                Thread.onSpinWait();
            }
        }
    }

    RemovalMarker(ForkJoinPool pool, int rounds) throws Throwable {
        this.pool = pool;
        this.doneStatus = JdkTimers.FRESH_STATUS | JdkCancels.DONE;
        this.rounds = new Round[rounds];
        for (int i = 0; i < rounds; i++) {
            this.rounds[i] = new Round();
        }
    }

    ForkJoinPool pool() {
        return pool;
    }

    /** What {@link #fired} must reach for a removal pended before this call (point 11). */
    long need() {
        return tickets + 1;
    }

    /** Whether an arming with a ticket of at least {@code need} has run its action. */
    boolean reached(long need) {
        return fired >= need;
    }

    /**
     * Makes sure an arming with a ticket of at least {@code need} exists: when one was already taken
     * ({@code tickets >= need}: taken after the need was read, so its pend follows the request's, 11)
     * nothing more is armed, else a free round is claimed. Either way a need not reached yet is retried
     * at the owner's next timed park.
     */
    void cover(long need) {
        if (tickets < need) {
            tryArm(false);
        }
    }

    /** Pends the first round not in flight, if any, and wakes the scheduler's thread (preload, tests). */
    void tryArm() {
        tryArm(true);
    }

    /**
     * Pends the first round not in flight, if any; quietly unless {@code wake} (see {@link #arm}). Never
     * throws: a pool that is shut down rejects it, and the round stays claimed (its pool's early-woken
     * timed parks then allocate, as the JDK does).
     */
    private void tryArm(boolean wake) {
        int n = rounds.length;
        int start = nextRound;
        for (int k = 0; k < n; k++) {
            int i = (start + k) % n;
            Round r = rounds[i];
            // the read only skips rounds in flight; the CAS is the claim
            if ((int) JdkTimers.TASK_STATUS.getVolatile(r.task) == doneStatus
                    && JdkTimers.TASK_STATUS.compareAndSet(r.task, doneStatus, JdkTimers.FRESH_STATUS)) {
                nextRound = i + 1 < n ? i + 1 : 0;
                arm(r, wake);
                return;
            }
        }
    }

    /**
     * Takes the round's ticket and pends it. An owner's round is pended quietly
     * ({@link JdkCancels#pendQuietly}: the JDK's CAS, no unpark), because the owner looks at its need
     * only at its next timed park, and that park's add, pended with the JDK's signal on top of the
     * round, is taken by a turn that takes the round with it, if no turn took it before.
     * Waking the scheduler's thread for the round itself cost a second unpark per early wake-up, and a
     * second turn of that thread competing with the carrier for the cores (docs/scheduling.md).
     */
    private void arm(Round r, boolean wake) {
        r.ticket = (long) TICKETS.getAndAdd(this, 1L) + 1L;
        JdkTimers.TASK_RUNNABLE.set(r.task, (Runnable) r);
        JdkTimers.TASK_POOL.set(r.task, pool);
        JdkTimers.TASK_WHEN.set(r.task, JdkTimers.now());
        try {
            Object ds;
            if (!wake && !pool.isShutdown() && (ds = JdkCancels.POOL_DELAY_SCHEDULER.getVolatile(pool)) != null) {
                JdkCancels.pendQuietly(ds, r.task);
            } else {
                ForkJoinTask<?> pended = (ForkJoinTask<?>) JdkTimers.SCHEDULE_DELAYED.invokeExact(pool, r.task);
            }
        } catch (Throwable rejected) {
            // RejectedExecutionException: the pool is shutting down
        }
    }

    /** Unparks the scheduler's thread if it is idle, as any signalled pend would (preload, tests). */
    void wake() {
        Object ds = JdkCancels.POOL_DELAY_SCHEDULER.getVolatile(pool);
        if (ds != null) {
            try {
                int state = (int) JdkCancels.SIGNAL.invokeExact(ds);
            } catch (Throwable t) {
                throw JdkTimers.rethrow(t);
            }
        }
    }

    /** Whether no round is in flight (preload, tests). */
    boolean idle() {
        for (Round r : rounds) {
            if (!r.task.isCompletedNormally()) {
                return false;
            }
        }
        return true;
    }

    /** For tests: the task of round {@code i}. */
    ForkJoinTask<?> task(int i) {
        return rounds[i].task;
    }

    long tickets() {
        return tickets;
    }

    long fired() {
        return fired;
    }
}
