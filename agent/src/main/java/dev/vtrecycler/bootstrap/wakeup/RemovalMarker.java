package dev.vtrecycler.bootstrap.wakeup;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * One per pool (the default scheduler's): a reusable immediate task with delay 0 whose action writes
 * {@code fired = ticket}. It is the happens-before edge the delay scheduler does not give: a
 * {@link ReusableTimeout} whose task was cancelled by an early wake-up, with a removal request pended,
 * takes {@link #need()} and {@link #tryArm() arms} the marker; once {@link #reached(long)} says the
 * marker's action ran with a ticket at least that high, the scheduler has processed the removal (see
 * {@link ReusableTimeout}, points 8 to 12, for the argument).
 *
 * <p>Arming claims the task by a CAS of its {@code status} from "completed normally" to a new task's
 * status: one claimer at a time, and the CAS reads the scheduler's {@code setDone} write, so points 2
 * to 5 of {@link ReusableTimeout} hold for the marker's own re-arm. A claim that fails (the marker is in
 * flight) arms nothing: the owner whose need it does not cover allocates at its next timed park.
 */
final class RemovalMarker implements Runnable {
    private static final VarHandle TICKETS;

    static {
        try {
            TICKETS = MethodHandles.lookup().findVarHandle(RemovalMarker.class, "tickets", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ForkJoinPool pool;
    private final ForkJoinTask<?> task;
    /** The status of this task when completed normally: a new task's plus {@code DONE}. */
    private final int doneStatus;
    /** The ticket of the arming in flight; written by its claimer before the pend, read by the action. */
    private long ticket;
    /** The last ticket handed out (by {@link #tryArm()} only). */
    private volatile long tickets;
    /** The ticket of the last arming whose action ran; written by the scheduler's thread only. */
    private volatile long fired;

    RemovalMarker(ForkJoinPool pool) throws Throwable {
        this.pool = pool;
        this.task = (ForkJoinTask<?>) JdkTimers.NEW_TASK.invokeExact(0L, 0L, true, (Runnable) this,
                (java.util.concurrent.Callable<?>) null, pool);
        this.doneStatus = JdkTimers.FRESH_STATUS | JdkCancels.DONE;
        // never pended yet: idle, as if completed normally (nobody else has seen the task)
        JdkTimers.TASK_STATUS.setVolatile(task, doneStatus);
    }

    /** The action, on the delay scheduler's thread: publishes the ticket of this arming. */
    @Override
    public void run() {
        fired = ticket;
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
     * Pends the marker unless it is in flight. Never throws: a pool that is shut down rejects it, and
     * the marker stays claimed (early-woken timed parks of that pool then allocate, as the JDK does).
     */
    void tryArm() {
        if (!JdkTimers.TASK_STATUS.compareAndSet(task, doneStatus, JdkTimers.FRESH_STATUS)) {
            return; // in flight, or dead (cancelled by a shutdown)
        }
        ticket = (long) TICKETS.getAndAdd(this, 1L) + 1L;
        JdkTimers.TASK_RUNNABLE.set(task, (Runnable) this);
        JdkTimers.TASK_POOL.set(task, pool);
        JdkTimers.TASK_WHEN.set(task, JdkTimers.now());
        try {
            ForkJoinTask<?> pended = (ForkJoinTask<?>) JdkTimers.SCHEDULE_DELAYED.invokeExact(pool, task);
        } catch (Throwable rejected) {
            // RejectedExecutionException: the pool is shutting down
        }
    }

    /** For tests. */
    ForkJoinTask<?> task() {
        return task;
    }

    long tickets() {
        return tickets;
    }

    long fired() {
        return fired;
    }
}
