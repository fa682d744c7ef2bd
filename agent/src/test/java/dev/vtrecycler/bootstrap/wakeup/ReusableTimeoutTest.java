package dev.vtrecycler.bootstrap.wakeup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ReusableTimeout}'s safety argument, point by point, on a real {@code ForkJoinPool} and its
 * real {@code DelayScheduler} (JDK 25). The timeout's virtual thread is never started, so its
 * {@code parkTimeoutExpired} (an {@code unpark}) does nothing and the tests see the task alone.
 */
class ReusableTimeoutTest {
    private final ForkJoinPool pool = new ForkJoinPool(1);
    private final ReusableTimeout timeout = new ReusableTimeout(Thread.ofVirtual().unstarted(() -> { }));

    @org.junit.jupiter.api.BeforeEach
    void jdk25() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.version().feature() >= 25,
                "the DelayScheduler is JDK 25's; JDK 21 keeps its own timer tasks (docs/scheduling.md)");
    }

    @AfterEach
    void shutdown() {
        pool.shutdownNow();
    }

    /**
     * Points 2, 3 and 5: a fired task is re-armed as soon as get() returned (no wait for the
     * scheduler), with the status a new task has, and fires again, not early.
     */
    @Test
    void aFiredTaskIsReArmedAndFiresAgainNotEarly() throws Throwable {
        long reusedBefore = Timeouts.REUSED.sum();
        Future<?> first = timeout.arm(pool, TimeUnit.MILLISECONDS.toNanos(1));
        first.get(20, TimeUnit.SECONDS);
        assertThat(timeout.lastTask().isCompletedNormally()).isTrue();
        assertThat(ReusableTimeout.outOfScheduler(timeout.lastTask())).isTrue();
        for (int i = 0; i < 50; i++) {
            long start = System.nanoTime();
            Future<?> again = timeout.arm(pool, TimeUnit.MILLISECONDS.toNanos(2));
            assertThat(again).isSameAs(first);
            again.get(20, TimeUnit.SECONDS);
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(2));
        }
        Future<?> live = timeout.arm(pool, TimeUnit.HOURS.toNanos(1));
        assertThat(live).isSameAs(first);
        assertThat((int) JdkTimers.TASK_STATUS.getVolatile(timeout.lastTask())).isEqualTo(JdkTimers.FRESH_STATUS);
        live.cancel(false);
        assertThat(Timeouts.REUSED.sum() - reusedBefore).isEqualTo(51);
    }

    /** Point 2: a task not done (pending or in the heap) is never re-armed: a new one is allocated. */
    @Test
    void aLiveTaskIsNeverReArmed() throws Throwable {
        Future<?> first = timeout.arm(pool, TimeUnit.HOURS.toNanos(1));
        ForkJoinTask<?> task = timeout.lastTask();
        Thread.sleep(50); // let the scheduler insert it and park
        assertThat((int) JdkTimers.TASK_HEAP_INDEX.get(task)).isGreaterThanOrEqualTo(0);
        assertThat(ReusableTimeout.outOfScheduler(task)).isFalse();
        Future<?> second = timeout.arm(pool, TimeUnit.HOURS.toNanos(1));
        assertThat(second).isNotSameAs(first);
        first.cancel(false);
        second.cancel(false);
    }

    /**
     * Point 7: a task cancelled by an early wake-up is never re-armed, even long after the scheduler
     * removed it from its heap; nor one cancelled before the scheduler took its add request.
     */
    @Test
    void aCancelledTaskIsNeverReArmed() throws Throwable {
        Future<?> armed = timeout.arm(pool, TimeUnit.HOURS.toNanos(1));
        ForkJoinTask<?> task = timeout.lastTask();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while ((int) JdkTimers.TASK_HEAP_INDEX.get(task) < 0) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(1);
        }
        assertThat(Timeouts.cancel(armed, false)).isTrue();
        while ((int) JdkTimers.TASK_HEAP_INDEX.get(task) >= 0) { // the scheduler processed the removal
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(1);
        }
        Thread.sleep(50);
        assertThat(ReusableTimeout.outOfScheduler(task)).isFalse();
        Future<?> next = timeout.arm(pool, TimeUnit.MILLISECONDS.toNanos(1));
        assertThat(next).isNotSameAs(armed);
        next.get(20, TimeUnit.SECONDS); // the new task works

        ReusableTimeout other = new ReusableTimeout(Thread.ofVirtual().unstarted(() -> { }));
        CountDownLatch release = blockScheduler();
        Future<?> pendingAdd = other.arm(pool, TimeUnit.HOURS.toNanos(1));
        Timeouts.cancel(pendingAdd, false);
        release.countDown();
        Thread.sleep(50);
        assertThat(ReusableTimeout.outOfScheduler(other.lastTask())).isFalse();
        assertThat(other.arm(pool, TimeUnit.HOURS.toNanos(1))).isNotSameAs(pendingAdd);
    }

    /** Point 4: a task the pool's shutdown cancelled is not completed normally: never re-armed. */
    @Test
    void aTaskCancelledByShutdownIsNeverReArmed() throws Throwable {
        Future<?> armed = timeout.arm(pool, TimeUnit.HOURS.toNanos(1));
        pool.shutdownNow();
        assertThat(pool.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
        assertThat(armed.isDone()).isTrue();
        assertThat(ReusableTimeout.outOfScheduler(timeout.lastTask())).isFalse();
    }

    /**
     * Point 6: the JDK's cancel of a timeout whose action started is dropped, so the task completes
     * normally; never for a task that has not fired, nor for one allocated while an older task may
     * still run the same action.
     */
    @Test
    void onlyTheCancelOfAFiredTimeoutIsDropped() throws Throwable {
        Future<?> first = timeout.arm(pool, TimeUnit.MILLISECONDS.toNanos(1)); // a thread's first task: trusted
        first.get(20, TimeUnit.SECONDS);
        assertThat(timeout.skipsCancel(timeout.lastTask())).isTrue();
        assertThat(Timeouts.cancel(first, false)).isFalse();
        assertThat(timeout.lastTask().isCompletedNormally()).isTrue();

        Future<?> notFired = timeout.arm(pool, TimeUnit.HOURS.toNanos(1)); // re-armed
        assertThat(notFired).isSameAs(first);
        assertThat(timeout.skipsCancel(timeout.lastTask())).isFalse();
        assertThat(Timeouts.cancel(notFired, false)).isTrue();
        assertThat(notFired.isCancelled()).isTrue();

        // cancelled: never re-armed, so the next arm allocates, and
        // that task's counter is not trusted even after it fired
        CountDownLatch release = blockScheduler();
        Future<?> stuck = timeout.arm(pool, TimeUnit.HOURS.toNanos(1));
        Timeouts.cancel(stuck, false);
        Future<?> fresh = timeout.arm(pool, TimeUnit.MILLISECONDS.toNanos(1));
        assertThat(fresh).isNotSameAs(stuck);
        release.countDown();
        fresh.get(20, TimeUnit.SECONDS);
        assertThat(timeout.skipsCancel(timeout.lastTask())).isFalse();
    }

    /** An immediate task whose action waits for the returned latch: the scheduler's thread waits in it. */
    private CountDownLatch blockScheduler() throws Throwable {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ForkJoinTask<?> blocker = (ForkJoinTask<?>) JdkTimers.NEW_TASK.invokeExact(0L, 0L, true, (Runnable) () -> {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, (java.util.concurrent.Callable<?>) null, pool);
        ForkJoinTask<?> pended = (ForkJoinTask<?>) JdkTimers.SCHEDULE_DELAYED.invokeExact(pool, blocker);
        assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(pended).isSameAs(blocker);
        return release;
    }
}
