package dev.vtrecycler.bootstrap.wakeup;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * One reusable timeout task of a {@link ReusableTimeout}, and the action that task runs. A thread
 * keeps two (a third is made only when both are in flight and then let go, see
 * {@link ReusableTimeout#arm}); the numbered points are those of {@link ReusableTimeout}.
 *
 * <p>{@link #task} is a {@code DelayScheduler$ScheduledForkJoinTask} whose runnable is this slot.
 * It is armed by whoever claims it: the CAS of its {@code status} from "completed normally" to a new
 * task's (point 5), on the owner's carrier or on the delay scheduler's thread, one claimer per arming.
 */
final class TimeoutSlot implements Runnable {
    /** {@link #coverWhen} when the slot is not pended, or its action has started (point 4). */
    static final long NOT_PENDED = Long.MIN_VALUE;

    private static final VarHandle TASK;

    static {
        try {
            TASK = MethodHandles.lookup().findVarHandle(TimeoutSlot.class, "task", ForkJoinTask.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ReusableTimeout timeout;
    /** Made by the first claimer (a CAS from null); afterwards claimed by its status (point 5). */
    private volatile ForkJoinTask<?> task;
    /**
     * The {@code when} this slot's task was pended for, while its action has not started; else
     * {@link #NOT_PENDED}. Written by the claimer before the pend and by the action as it starts
     * (point 4): a value other than {@code NOT_PENDED} promises that an action will still read the
     * thread's park word.
     */
    volatile long coverWhen = NOT_PENDED;

    TimeoutSlot(ReusableTimeout timeout) {
        this.timeout = timeout;
    }

    /** The timeout firing, on the delay scheduler's thread (point 4: first the start, then the word). */
    @Override
    public void run() {
        coverWhen = NOT_PENDED;
        timeout.fired();
    }

    /** {@link #tryArm} results. */
    static final int NOT_CLAIMED = 0, REARMED = 1, MADE = 2;

    /**
     * Claims this slot's task and pends it to fire at {@code when}: {@link #REARMED}, {@link #MADE}
     * (its first arming, or one replacing a dead task), or {@link #NOT_CLAIMED} when it cannot be
     * claimed now (in flight, or fired and not completed yet).
     */
    int tryArm(ForkJoinPool pool, long when) throws Throwable {
        ForkJoinTask<?> t = task;
        if (t == null || dead(t)) {
            ForkJoinTask<?> made = JdkTimers.newTimeoutTask(this, pool);
            if (!TASK.compareAndSet(this, t, made)) {
                return NOT_CLAIMED; // another claimer made or replaced it: it is theirs for this arming
            }
            pend(made, pool, when);
            return MADE;
        }
        if (!claim(t)) {
            return NOT_CLAIMED; // in flight, or fired and not completed yet
        }
        pend(t, pool, when);
        return REARMED;
    }

    /** Cancelled (a shut-down pool) or its action threw: never claimable again, so replaced. */
    private static boolean dead(ForkJoinTask<?> t) {
        return (int) JdkTimers.TASK_STATUS.getVolatile(t) < 0 && !t.isCompletedNormally();
    }

    /**
     * Point 5: a task that completed normally is out of the scheduler (its firing took it out of the
     * heap and its {@code setDone} was the scheduler's last write to it); the CAS makes the claimer
     * its only writer until it pends it again.
     */
    private static boolean claim(ForkJoinTask<?> t) {
        return JdkTimers.TASK_STATUS.compareAndSet(t, JdkTimers.COMPLETED_STATUS, JdkTimers.FRESH_STATUS);
    }

    /**
     * Writes a claimed or new task's fields (this slot as its action) and pends it with the pool's own
     * {@code scheduleDelayedTask} (whose CAS on the pending stack publishes them to the scheduler).
     * {@link #coverWhen} is written before the pend: the promise of point 4 holds from then on, as the
     * action cannot start before the pend.
     */
    void pend(ForkJoinTask<?> t, ForkJoinPool pool, long when) throws Throwable {
        JdkTimers.TASK_RUNNABLE.set(t, (Runnable) this);
        JdkTimers.TASK_POOL.set(t, pool);
        JdkTimers.TASK_WHEN.set(t, when);
        coverWhen = when;
        try {
            ForkJoinTask<?> pended = (ForkJoinTask<?>) JdkTimers.SCHEDULE_DELAYED.invokeExact(pool, t);
        } catch (Throwable rejected) {
            coverWhen = NOT_PENDED; // never pended: no action will come (point 6)
            throw rejected;
        }
    }

    /**
     * At the thread's end (point 7): cancels the task if it is still pended, the JDK's cancel, which
     * pends its removal, so a dead thread is not kept reachable from the scheduler's heap.
     */
    void cancelIfPended() {
        ForkJoinTask<?> t = task;
        if (t != null && coverWhen != NOT_PENDED) {
            t.cancel(false);
        }
    }

    /** Whether a timeout due by {@code when} is promised by this slot (point 4): pended for no later, not cancelled. */
    boolean covers(long when) {
        long w = coverWhen;
        ForkJoinTask<?> t;
        return w != NOT_PENDED && w - when <= 0 && (t = task) != null
                && (int) JdkTimers.TASK_STATUS.getVolatile(t) >= 0; // a shut-down pool cancels what it holds
    }

    /** The slot's task, for tests. */
    ForkJoinTask<?> task() {
        return task;
    }
}
