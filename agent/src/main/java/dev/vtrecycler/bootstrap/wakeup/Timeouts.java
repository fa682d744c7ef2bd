package dev.vtrecycler.bootstrap.wakeup;

import dev.vtrecycler.bootstrap.StripedCounter;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * What the timer instrumentation woven into {@code java.lang.VirtualThread.afterYield} calls on
 * JDK 25 (agent side: {@code dev.vtrecycler.agent.instrument.TimerInstrumentation}):
 * <ul>
 *   <li>{@link #action(Thread)} in place of the lambda {@code this::parkTimeoutExpired}: the thread's
 *       one {@link ReusableTimeout};</li>
 *   <li>{@link #schedule(Thread, Runnable, long, TimeUnit)} in place of the private
 *       {@code VirtualThread.schedule(Runnable, long, TimeUnit)}: a timed park on a
 *       {@code ForkJoinPool} scheduler re-arms the thread's task; anything else (timed
 *       {@code Object.wait}, a custom scheduler) takes the JDK's own method.</li>
 * </ul>
 * Both run on the carrier after the thread unmounted: no lock, no class loading ({@link #preload()}).
 */
public final class Timeouts {
    /** Timed parks whose timeout re-armed the thread's task: {@code vtrecycler_timed_parks_total{timer="reused"}}. */
    public static final StripedCounter REUSED = new StripedCounter();
    /**
     * Timed parks and timed waits that allocated a timeout task (the thread's first; the last one was
     * cancelled by an early wake-up or had not completed yet; a custom scheduler; or a timed
     * {@code Object.wait}, which keeps the JDK's path):
     * {@code vtrecycler_timed_parks_total{timer="allocated"}}.
     */
    public static final StripedCounter ALLOCATED = new StripedCounter();

    /** In place of {@code this::parkTimeoutExpired}. */
    public static Runnable action(Thread virtualThread) {
        Object runContinuation = JdkTimers.THREAD_RUN_CONTINUATION.get(virtualThread);
        if (runContinuation instanceof ReusableWakeupTask wakeup) {
            return wakeup.timeout(virtualThread);
        }
        // A thread created before the agent was installed has no per-thread state: one-off action.
        return new ReusableTimeout(virtualThread);
    }

    /** In place of {@code VirtualThread.schedule(command, delay, unit)} inside {@code afterYield}. */
    public static Future<?> schedule(Thread virtualThread, Runnable command, long delay, TimeUnit unit) {
        try {
            if (command instanceof ReusableTimeout timeout) {
                if (JdkTimers.THREAD_SCHEDULER.get(virtualThread) instanceof ForkJoinPool pool) {
                    return timeout.arm(pool, unit.toNanos(delay));
                }
            }
            ALLOCATED.increment(); // a custom scheduler's timer queue, or a timed Object.wait: the JDK's task
            return (Future<?>) JdkTimers.JDK_SCHEDULE.invokeExact(virtualThread, command, delay, unit);
        } catch (Throwable t) {
            throw JdkTimers.rethrow(t);
        }
    }

    /**
     * In place of {@code timeoutTask.cancel(false)} in {@code VirtualThread.cancelTimeoutTask}, on the
     * carrier as the thread continues: drops the cancel of a timeout that already fired (see
     * {@link ReusableTimeout}, point 2), so the task completes normally and is re-armed at once.
     */
    public static boolean cancel(Future<?> timeoutTask, boolean mayInterruptIfRunning) {
        if (timeoutTask.getClass() == JdkTimers.TASK && timeoutTask instanceof ForkJoinTask<?> task
                && JdkTimers.TASK_RUNNABLE.get(task) instanceof ReusableTimeout timeout && timeout.skipsCancel(task)) {
            return false;
        }
        return timeoutTask.cancel(mayInterruptIfRunning);
    }

    /**
     * Loads, links and runs every path above before the instrumentation is installed, on a private
     * pool and an unstarted virtual thread (whose {@code unpark} does nothing), then zeroes the counters.
     */
    public static void preload() throws Exception {
        Thread idle = Thread.ofVirtual().unstarted(() -> { });
        ForkJoinPool pool = new ForkJoinPool(1);
        try {
            ReusableTimeout timeout = (ReusableTimeout) action(idle);
            Future<?> fired = timeout.arm(pool, TimeUnit.MILLISECONDS.toNanos(1));
            fired.get(); // fires: run() on the scheduler thread, and setDone before get() returns
            cancel(fired, false); // dropped: it fired
            if (!ReusableTimeout.outOfScheduler(timeout.lastTask())) {
                throw new IllegalStateException("a fired timeout did not complete normally");
            }
            cancel(timeout.arm(pool, TimeUnit.HOURS.toNanos(1)), false); // the re-arm path, then a real cancel
            cancel(timeout.arm(pool, TimeUnit.HOURS.toNanos(1)), false); // after a cancel: the allocating path
            schedule(idle, () -> { }, 1, TimeUnit.HOURS).cancel(false); // the JDK's own method
        } catch (Throwable t) {
            throw new IllegalStateException("timer preload failed", t);
        } finally {
            pool.shutdownNow();
        }
        REUSED.add(-REUSED.sum()); // single-threaded here and nothing else counts yet: exact
        ALLOCATED.add(-ALLOCATED.sum());
    }

    private Timeouts() {}
}
