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

    /** Whether the instrumentation is installed: {@link #threadEnded} has work only then. */
    private static volatile boolean installed;

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
     * carrier as the thread continues: for the thread's {@link ReusableTimeout} the park is over and
     * nothing is cancelled in the scheduler (see its point 2); any other task is the JDK's, cancelled.
     */
    public static boolean cancel(Future<?> timeoutTask, boolean mayInterruptIfRunning) {
        if (timeoutTask instanceof ReusableTimeout timeout) {
            return timeout.cancel(mayInterruptIfRunning);
        }
        return timeoutTask.cancel(mayInterruptIfRunning);
    }

    /**
     * On the carrier as a virtual thread terminates ({@code afterDone}): cancels its pended timeout
     * slots the JDK's way ({@link ReusableTimeout}, point 7), so the delay scheduler's heap does not
     * keep a dead thread reachable until a stale deadline. No lock, no allocation.
     */
    public static void threadEnded(Thread virtualThread) {
        if (installed && JdkTimers.THREAD_RUN_CONTINUATION.get(virtualThread) instanceof ReusableWakeupTask wakeup) {
            ReusableTimeout timeout = wakeup.timeoutIfMade();
            if (timeout != null) {
                timeout.threadEnded();
            }
        }
    }

    /** Called once the instrumentation is in force: from then on {@link #threadEnded} looks at ending threads. */
    public static void installed() {
        installed = true;
    }

    /**
     * Loads, links and runs every path above before the instrumentation is installed, on a private
     * pool and an unstarted virtual thread (whose {@code unpark} does nothing), then zeroes the counters.
     */
    public static void preload() throws Exception {
        Thread idle = Thread.ofVirtual().unstarted(() -> { });
        ForkJoinPool pool = new ForkJoinPool(1);
        try {
            // the last park that timed out: a slow start-up can let park 1 time out before its cancel
            java.util.concurrent.atomic.AtomicLong fired = new java.util.concurrent.atomic.AtomicLong();
            ReusableTimeout timeout = new ReusableTimeout(idle, k -> fired.accumulateAndGet(k, Math::max));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            long ms = TimeUnit.MILLISECONDS.toNanos(1);
            cancel(timeout.arm(pool, ms), false); // a park woken early: its slot stays pended
            timeout.arm(pool, TimeUnit.MILLISECONDS.toNanos(3)); // left to that slot, which arms the other
            awaitPreload(() -> fired.get() >= 2, deadline);
            cancel(timeout, false);
            timeout.arm(pool, ms); // both slots: one fired and completes, the other fired
            awaitPreload(() -> fired.get() >= 3, deadline);
            cancel(timeout, false);
            timeout.arm(pool, TimeUnit.HOURS.toNanos(1));
            cancel(timeout, false);
            timeout.arm(pool, TimeUnit.HOURS.toNanos(1)); // covered by the pended slot
            cancel(timeout, false);
            timeout.arm(pool, ms); // earlier than it: the other slot, or a task of its own
            cancel(timeout, false);
            timeout.arm(pool, ms);
            cancel(timeout, false);
            timeout.threadEnded();
            ReusableTimeout plain = (ReusableTimeout) action(idle);
            plain.run(); // the JDK's parkTimeoutExpired, on an unstarted thread: nothing to unpark
            schedule(idle, () -> { }, 1, TimeUnit.HOURS).cancel(false); // the JDK's own method
            threadEnded(idle);
        } catch (Throwable t) {
            throw new IllegalStateException("timer preload failed", t);
        } finally {
            pool.shutdownNow();
        }
        zeroCounters();
    }

    private static void awaitPreload(java.util.function.BooleanSupplier condition, long deadline) throws InterruptedException {
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the timer preload did not see the delay scheduler answer in 10 s");
            }
            Thread.sleep(1);
        }
    }

    /** After a preload: its parks are not the application's. Single-threaded then, and nothing else counts yet: exact. */
    private static void zeroCounters() {
        REUSED.add(-REUSED.sum());
        ALLOCATED.add(-ALLOCATED.sum());
    }

    private Timeouts() {}
}
