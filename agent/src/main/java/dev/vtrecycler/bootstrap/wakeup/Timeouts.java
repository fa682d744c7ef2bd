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

    /**
     * Whether a timeout cancelled by an early wake-up may be re-armed (points 7 to 12 of
     * {@link ReusableTimeout}): set once by {@link #enableEarlyWakeReuse()} before the instrumentation
     * is installed, where this JDK has every member it needs. Either value is safe: off, the owner's
     * cancel is the JDK's own and such a task is never re-armed.
     */
    private static boolean earlyWakeReuse;
    /** The default scheduler's marker; null until {@link #enableEarlyWakeReuse()}. */
    private static RemovalMarker defaultMarker;

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
            TimeoutReasons.JDK_PATH.increment();
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
                && JdkTimers.TASK_RUNNABLE.get(task) instanceof ReusableTimeout timeout) {
            if (timeout.skipsCancel(task)) {
                return false;
            }
            if (earlyWakeReuse && !mayInterruptIfRunning && task == timeout.lastTask()) {
                try {
                    return timeout.cancelOwn(task); // the JDK's steps, knowing whether a removal was pended
                } catch (Throwable t) {
                    // counted, never thrown into the JDK's cancelTimeoutTask; a need is recorded only
                    // as the last step, so the task is never re-armed by the marker (only by 2), and
                    // the JDK's cancel below is a no-op if the status CAS already won
                    dev.vtrecycler.bootstrap.VtHooks.ADVICE_ERRORS.increment();
                }
            }
        }
        return timeoutTask.cancel(mayInterruptIfRunning);
    }

    /** The marker of {@code pool} (point 10), or null: only the default scheduler has one. */
    static RemovalMarker markerFor(ForkJoinPool pool) {
        RemovalMarker m = defaultMarker;
        return m != null && m.pool() == pool ? m : null;
    }

    /**
     * Turns on the re-arming of timeouts cancelled by an early wake-up: initializes the JDK members
     * ({@code JdkCancels}, which throws where one is missing), runs the path once on a private pool,
     * and makes the default scheduler's marker. Call before the instrumentation is installed.
     */
    public static void enableEarlyWakeReuse() throws Exception {
        ForkJoinPool pool = new ForkJoinPool(1);
        try {
            ReusableTimeout timeout = new ReusableTimeout(Thread.ofVirtual().unstarted(() -> { }));
            RemovalMarker marker = new RemovalMarker(pool, 2); // two: the ring path, not its size
            timeout.useMarker(marker);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            long hour = TimeUnit.HOURS.toNanos(1);
            // a removal pended, proven, the task re-armed
            timeout.arm(pool, hour);
            ForkJoinTask<?> first = timeout.lastTask();
            awaitPreload(() -> (int) JdkTimers.TASK_HEAP_INDEX.get(first) >= 0, deadline);
            timeout.cancelOwn(first);
            settle(marker, deadline);
            // with the scheduler held: cancels before the add (no removal pended), a task kept
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            holdScheduler(pool, release, deadline);
            timeout.arm(pool, hour);
            if (timeout.lastTask() != first) {
                throw new IllegalStateException("a task whose removal the marker proved was not re-armed");
            }
            timeout.cancelOwn(first);
            timeout.arm(pool, hour); // allocates, keeps the first
            ForkJoinTask<?> second = timeout.lastTask();
            timeout.cancelOwn(second);
            release.countDown();
            settle(marker, deadline);
            timeout.arm(pool, hour); // both need their cleanup: pended here, a third task
            ForkJoinTask<?> third = timeout.lastTask();
            awaitPreload(() -> (int) JdkTimers.TASK_HEAP_INDEX.get(third) >= 0, deadline);
            timeout.cancelOwn(third);
            settle(marker, deadline);
            java.util.concurrent.CountDownLatch again = new java.util.concurrent.CountDownLatch(1);
            holdScheduler(pool, again, deadline);
            timeout.arm(pool, hour);
            timeout.cancelOwn(timeout.lastTask()); // before its add: not proven at the next park
            timeout.arm(pool, hour); // a kept task proven out, if any, else a new one (both paths are safe)
            again.countDown();
            settle(marker, deadline);
            timeout.cancelOwn(timeout.lastTask());
            settle(marker, deadline);
            timeout.arm(pool, hour);
            timeout.lastTask().cancel(false);
            defaultMarker = new RemovalMarker(JdkCancels.DEFAULT_SCHEDULER, RemovalMarker.ROUNDS);
        } catch (Exception e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("early-wake preload failed", t);
        } finally {
            pool.shutdownNow();
        }
        zeroCounters();
        earlyWakeReuse = true;
    }

    /** Pends an immediate task on {@code pool} that holds the scheduler's thread until {@code release}. */
    private static void holdScheduler(ForkJoinPool pool, java.util.concurrent.CountDownLatch release, long deadline)
            throws Throwable {
        java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        Runnable hold = () -> {
            entered.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        ForkJoinTask<?> task = (ForkJoinTask<?>) JdkTimers.NEW_TASK.invokeExact(0L, 0L, true, hold,
                (java.util.concurrent.Callable<?>) null, pool);
        ForkJoinTask<?> pended = (ForkJoinTask<?>) JdkTimers.SCHEDULE_DELAYED.invokeExact(pool, task);
        awaitPreload(() -> entered.getCount() == 0, deadline);
    }

    /**
     * Waits until every need taken so far is reached: two armings, the second claimed after every round
     * fired. Wakes the scheduler while it waits, as the owner's next timed park would: a round pended
     * quietly after the scheduler's last turn waits for the next one.
     */
    private static void settle(RemovalMarker marker, long deadline) throws InterruptedException {
        for (int i = 0; i < 2; i++) {
            marker.tryArm();
            long ticket = marker.tickets();
            awaitPreload(() -> {
                marker.wake();
                return marker.reached(ticket) && marker.idle();
            }, deadline);
        }
    }

    private static void awaitPreload(java.util.function.BooleanSupplier condition, long deadline) throws InterruptedException {
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the early-wake preload did not see the delay scheduler answer in 10 s");
            }
            Thread.sleep(1);
        }
    }

    /** For tests: whether {@link #enableEarlyWakeReuse()} ran. */
    static boolean earlyWakeReuse() {
        return earlyWakeReuse;
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
        zeroCounters();
    }

    /** After a preload: its parks are not the application's. Single-threaded then, and nothing else counts yet: exact. */
    private static void zeroCounters() {
        REUSED.add(-REUSED.sum());
        ALLOCATED.add(-ALLOCATED.sum());
        TimeoutReasons.reset();
    }

    private Timeouts() {}
}
