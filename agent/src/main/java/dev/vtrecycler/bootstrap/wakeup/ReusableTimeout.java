package dev.vtrecycler.bootstrap.wakeup;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.Future;

/**
 * The one timeout a virtual thread keeps for its timed parks (sleeps, {@code parkNanos}, lock and
 * socket timeouts) on JDK 25, the way Go keeps one timer per goroutine ({@code gp.timer}). The JDK
 * allocates, per timed park, a {@code DelayScheduler$ScheduledForkJoinTask} (72 B) and the lambda
 * {@code this::parkTimeoutExpired} (16 B). This object is the lambda (one per thread, reached from the
 * thread's {@link ReusableWakeupTask}), and it re-arms its last task when that task is provably out of
 * the delay scheduler; otherwise it allocates a new task, as the JDK does.
 *
 * <p>Its tasks are <em>immediate</em> ones: the delay scheduler's own thread runs the timeout
 * ({@code VirtualThread.parkTimeoutExpired}, i.e. {@code unpark}) instead of relaying it to a
 * worker, as JDK 21's "VirtualThread-unparker" thread did. That is what makes the proof below
 * possible: every access the JDK makes to the task then happens on the owner thread or on the
 * delay scheduler's thread.
 *
 * <p>Why re-arming is safe (each point has a test: {@code ReusableTimeoutTest} on a real
 * {@code ForkJoinPool}, {@code TimedParkForkedIT} with the agent in forked JVMs):
 * <ol>
 *   <li>Only the owner thread arms and cancels its task: arming runs in its {@code afterYield}, the
 *       JDK's cancel in its {@code runContinuation}, one after the other. Nobody else pends it (its
 *       {@code nextDelay} is 0: never periodic).</li>
 *   <li>The JDK cancels the timeout when the thread continues, also when it continues because the
 *       timeout fired; a cancel that lands while the timeout still runs marks the task cancelled and
 *       leaves (4) unusable. {@link #skipsCancel} drops that cancel when the action of the task armed
 *       last has started: the JDK's cancel of a running task does nothing but set its status, which
 *       nobody reads (the field is cleared right after). "Has started" is the action counter moved
 *       since the arm; it is trusted only when no older task of this thread can still run its action:
 *       after a re-arm (the old task was proven out, and the scheduler runs one task at a time) or
 *       for a thread's first task, not for a task allocated because the old one was not proven out.</li>
 *   <li>A task whose status is not done is live: pending, in the heap or running. It is never
 *       re-armed ({@link #outOfScheduler} step a).</li>
 *   <li>A task that completed normally (done, not cancelled) is out: it had one request (its add),
 *       which the scheduler processed before firing it; its heap index was set to -1 before it ran;
 *       the JDK's cancel of a done task is a no-op that pends nothing; and {@code setDone} is the
 *       last write of its run, whose volatile status we read (step a'). This is the common case of
 *       a timeout that expired. The steps below are for a cancelled task (an early wake-up).</li>
 *   <li>{@code DelayScheduler.pending} read as {@code null} after the owner's last pend (arm or the
 *       JDK's cancel) means the scheduler has taken every request about the task (step c).</li>
 *   <li>The scheduler never parks while it processes a batch of requests, nor while it runs a task
 *       outside the task's own action; it parks at the top of its loop, after a whole batch. Its
 *       thread seen parked after (5) therefore means it has finished with every request about the
 *       task (step d).</li>
 *   <li>The action may park (an {@code unpark} of a pinned thread takes a monitor; a submission may
 *       wait for a lock), so a park seen while the action runs proves nothing: {@link #run()} counts
 *       its starts and ends, and a park that no start/end pair straddles was not inside it (steps b, e).</li>
 *   <li>After (6), heap index -1 means the task is not in the heap and the scheduler will not touch
 *       it again: it writes -1 last when it drops, removes or fires a task, and a task whose status
 *       is done is never fired again (step f).</li>
 *   <li>Re-arming writes the task's fields and then pends it through the pool, whose CAS on
 *       {@code pending} publishes them to the scheduler. For (4) the volatile status orders the
 *       scheduler's writes before our reads; for (5) to (8) the Java memory model gives no such edge from a
 *       thread-state read, and the argument rests on HotSpot, whose park is a VM transition entered
 *       after the scheduler's last write to the task (on x86 stores are never reordered anyway).
 *       Anything not proven leaves the old task to the JDK and the GC and allocates a new
 *       one ({@code vtrecycler_timed_parks_total{timer="allocated"}}).</li>
 * </ol>
 */
public final class ReusableTimeout implements Runnable {
    private final Thread virtualThread;
    /** The last task armed; owner thread only (see 1). */
    private ForkJoinTask<?> task;
    private volatile long actionsStarted;
    private volatile long actionsEnded;
    /** {@link #actionsStarted} when {@link #task} was armed; owner thread only. */
    private long armedAt;
    /** Whether no older task can still run this action (see 2); owner thread only. */
    private boolean countersTrusted = true;

    ReusableTimeout(Thread virtualThread) {
        this.virtualThread = virtualThread;
    }

    /**
     * The timeout: {@code VirtualThread.parkTimeoutExpired()}, on the delay scheduler's thread (or a
     * custom scheduler's timer thread). Exceptions propagate as they did out of the JDK's lambda.
     */
    @Override
    public void run() {
        actionsStarted = actionsStarted + 1; // one writer: the scheduler thread runs tasks one at a time
        try {
            JdkTimers.PARK_TIMEOUT_EXPIRED.invokeExact(virtualThread);
        } catch (Throwable t) {
            throw JdkTimers.rethrow(t);
        } finally {
            actionsEnded = actionsEnded + 1;
        }
    }

    /** In place of {@code pool.schedule(this::parkTimeoutExpired, nanos, NANOSECONDS)}. */
    Future<?> arm(ForkJoinPool pool, long nanos) throws Throwable {
        ForkJoinTask<?> armed = task;
        if (armed != null && outOfScheduler(armed, pool)) {
            armed.reinitialize(); // status back to "not done"; nothing else reads it now
            JdkTimers.TASK_RUNNABLE.set(armed, (Runnable) this);
            JdkTimers.TASK_POOL.set(armed, pool);
            JdkTimers.TASK_WHEN.set(armed, JdkTimers.now() + Math.max(nanos, 0L));
            countersTrusted = true;
            Timeouts.REUSED.increment();
        } else {
            armed = (ForkJoinTask<?>) JdkTimers.NEW_TASK.invokeExact(nanos, 0L, true, (Runnable) this,
                    (java.util.concurrent.Callable<?>) null, pool);
            countersTrusted = task == null; // an old task not proven out may still run this action
            task = armed;
            Timeouts.ALLOCATED.increment();
        }
        armedAt = actionsStarted;
        ForkJoinTask<?> pended = (ForkJoinTask<?>) JdkTimers.SCHEDULE_DELAYED.invokeExact(pool, armed);
        return (Future<?>) pended;
    }

    /**
     * In place of the JDK's {@code timeoutTask.cancel(false)} when the thread continues (owner
     * thread, see 2): true when that cancel is to be dropped because {@code t}, the task armed last,
     * has already started its timeout.
     */
    boolean skipsCancel(ForkJoinTask<?> t) {
        return t == task && countersTrusted && actionsStarted != armedAt;
    }

    /** Whether {@code t} is provably out of {@code pool}'s delay scheduler: the numbered steps above. */
    boolean outOfScheduler(ForkJoinTask<?> t, ForkJoinPool pool) {
        if (!t.isDone()) {                                            // a (3)
            return false;
        }
        if (t.isCompletedNormally()) {                                // a' (4)
            return (int) JdkTimers.TASK_HEAP_INDEX.get(t) < 0;
        }
        Thread scheduler = (Thread) JdkTimers.POOL_DELAY_SCHEDULER.getVolatile(pool);
        if (scheduler == null) {
            return false;
        }
        long ended = actionsEnded;                                    // b (7)
        if (JdkTimers.SCHEDULER_PENDING.getVolatile(scheduler) != null) { // c (5)
            return false;
        }
        Thread.State state = scheduler.getState();                    // d (6)
        if (state != Thread.State.WAITING && state != Thread.State.TIMED_WAITING) {
            return false;
        }
        if (actionsStarted != ended) {                                // e (7)
            return false;
        }
        return (int) JdkTimers.TASK_HEAP_INDEX.get(t) < 0;            // f (8)
    }

    /** The task last armed, for tests. */
    ForkJoinTask<?> lastTask() {
        return task;
    }
}
