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
 * worker, as JDK 21's "VirtualThread-unparker" thread did.
 *
 * <p>Why re-arming is safe, under the Java memory model alone (each point has a test in
 * {@code ReusableTimeoutTest}, on a real {@code ForkJoinPool}; {@code TimedParkForkedIT} runs the
 * whole agent under {@code -Xverify:all}):
 * <ol>
 *   <li>Only the owner thread arms its task and makes the JDK's cancel of it: {@code afterYield} arms,
 *       {@code cancelTimeoutTask} (in {@code runContinuation}) cancels. They run on different
 *       carriers, ordered by the thread's volatile {@code state} transitions and the pool's queue, so
 *       the owner-only fields below need no synchronization of their own. Nobody else pends the task:
 *       its {@code nextDelay} is 0 (never periodic).</li>
 *   <li>A task is re-armed only when a volatile read of its {@code status} shows it completed
 *       normally (done, not cancelled, no exception). Only the delay scheduler's thread completes it
 *       so: its firing loop writes {@code heapIndex = -1} and takes it out of the heap array's slot 0,
 *       then runs it ({@code doExec}: {@code runner}, the action, {@code postExec} clearing
 *       {@code pool}/{@code runnable}), and the last write of that run is {@code setDone}'s
 *       atomic OR on {@code status}. Our read synchronizes-with that write: every write the scheduler
 *       made to the task happens-before the re-arm.</li>
 *   <li>After {@code setDone} the scheduler never writes the task again and reads only its
 *       {@code aux} (no waiter: nobody joins a timeout task), which the re-arm does not write (it
 *       writes {@code status} directly, not through {@code reinitialize()}). The firing loop's
 *       {@code replace(h, 0, n)} overwrites slot 0 without reading it.</li>
 *   <li>A task that completed normally has no request left in the pending stack: its add was taken
 *       before it could fire, and the JDK's cancel pends a removal only after its
 *       {@code trySetCancelled} succeeded, which would have made it cancelled, not completed
 *       normally. Pool shutdown and heap overflow cancel tasks too: never re-armed either.</li>
 *   <li>Re-arming writes {@code status} (the value a new task has), {@code when}, {@code runnable} and
 *       {@code pool}, then pends the task through the pool's own {@code scheduleDelayedTask}, whose
 *       CAS on {@code pending} the scheduler's {@code getAndSet} reads: the new values
 *       happen-before the scheduler sees the task again.</li>
 *   <li>The JDK cancels the timeout when the thread continues, also when it continues because the
 *       timeout fired. A cancel landing while the action still runs would mark the task cancelled
 *       and lose it for (2). {@link #skipsCancel} drops the JDK's cancel when the action of the task
 *       armed last has started ({@link #actionsStarted}, a volatile counter the scheduler's thread
 *       moves in {@link #run()}): the JDK's cancel of a started immediate task only sets its status
 *       (nothing to interrupt, no removal to pend), and the JDK drops the reference right after.
 *       The counter is trusted only when no older task can still run this action: after a re-arm
 *       from a completed task, every older task's action (if a cancel raced its start) ran before it
 *       in the one scheduler thread, and a thread's first task has no older one.</li>
 *   <li>A task cancelled by an early wake-up is <em>never</em> re-armed; that timed park allocates
 *       a new task (72 B; the action object is still reused, so not 88 B). Gated off because no
 *       happens-before edge proves the scheduler done with it: the scheduler processes the removal
 *       request with plain writes ({@code heapIndex}, {@code nextPending}); its volatile writes
 *       after that come only with other work (the next batch's {@code getAndSet}, the next fired
 *       task's {@code status}), and its CAS of {@code active} at the top of its loop can come before
 *       it takes the batch holding the removal. An earlier version read the scheduler thread's
 *       parked state: that rests on how HotSpot parks, not on the memory model.</li>
 * </ol>
 */
public final class ReusableTimeout implements Runnable {
    private final Thread virtualThread;
    /** The last task armed; owner thread only (see 1). */
    private ForkJoinTask<?> task;
    /** Starts of {@link #run()}; written by the delay scheduler's thread only (see 6). */
    private volatile long actionsStarted;
    /** {@link #actionsStarted} when {@link #task} was armed; owner thread only. */
    private long armedAt;
    /** Whether no older task can still run this action (see 6); owner thread only. */
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
        }
    }

    /** In place of {@code pool.schedule(this::parkTimeoutExpired, nanos, NANOSECONDS)}. */
    Future<?> arm(ForkJoinPool pool, long nanos) throws Throwable {
        ForkJoinTask<?> armed = task;
        if (armed != null && outOfScheduler(armed)) {
            JdkTimers.TASK_STATUS.setVolatile(armed, JdkTimers.FRESH_STATUS); // (3), (5)
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
     * thread, see 6): true when that cancel is to be dropped because {@code t}, the task armed last,
     * has already started its timeout.
     */
    boolean skipsCancel(ForkJoinTask<?> t) {
        return t == task && countersTrusted && actionsStarted != armedAt;
    }

    /**
     * Whether {@code t} is provably out of its pool's delay scheduler: completed normally (2 to 4).
     * A cancelled task never is (7). The heap index check is the scheduler's own -1, visible by (2).
     */
    static boolean outOfScheduler(ForkJoinTask<?> t) {
        return t.isCompletedNormally() && (int) JdkTimers.TASK_HEAP_INDEX.get(t) < 0;
    }

    /** The task last armed, for tests. */
    ForkJoinTask<?> lastTask() {
        return task;
    }
}
