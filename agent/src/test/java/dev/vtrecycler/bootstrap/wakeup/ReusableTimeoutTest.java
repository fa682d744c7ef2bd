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

    @AfterEach
    void shutdown() {
        pool.shutdownNow();
    }

    private Thread scheduler() {
        return (Thread) JdkTimers.POOL_DELAY_SCHEDULER.getVolatile(pool);
    }

    private void awaitOutOfScheduler(ForkJoinTask<?> task) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!timeout.outOfScheduler(task, pool)) {
            assertThat(System.nanoTime()).as("the scheduler never let go of the task").isLessThan(deadline);
            Thread.sleep(1);
        }
    }

    /** Points 3 and 8: a fired task is re-armed at once, and fires again, not early. */
    @Test
    void aFiredTaskIsReArmedAndFiresAgainNotEarly() throws Throwable {
        long reusedBefore = Timeouts.REUSED.sum();
        Future<?> first = timeout.arm(pool, TimeUnit.MILLISECONDS.toNanos(1));
        first.get(20, TimeUnit.SECONDS);
        assertThat(timeout.lastTask().isCompletedNormally()).isTrue();
        assertThat(timeout.outOfScheduler(timeout.lastTask(), pool)).isTrue(); // no wait for the scheduler's park
        for (int i = 0; i < 50; i++) {
            long start = System.nanoTime();
            Future<?> again = timeout.arm(pool, TimeUnit.MILLISECONDS.toNanos(2));
            assertThat(again).isSameAs(first);
            again.get(20, TimeUnit.SECONDS);
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(2));
            awaitOutOfScheduler(timeout.lastTask());
        }
        assertThat(Timeouts.REUSED.sum() - reusedBefore).isEqualTo(50);
    }

    /** Point 2: a task not done (pending or in the heap) is never re-armed: a new one is allocated. */
    @Test
    void aLiveTaskIsNeverReArmed() throws Throwable {
        Future<?> first = timeout.arm(pool, TimeUnit.HOURS.toNanos(1));
        ForkJoinTask<?> task = timeout.lastTask();
        Thread.sleep(50); // let the scheduler insert it and park
        assertThat((int) JdkTimers.TASK_HEAP_INDEX.get(task)).isGreaterThanOrEqualTo(0);
        assertThat(timeout.outOfScheduler(task, pool)).isFalse();
        Future<?> second = timeout.arm(pool, TimeUnit.HOURS.toNanos(1));
        assertThat(second).isNotSameAs(first);
        first.cancel(false);
        second.cancel(false);
    }

    /**
     * Points 4 to 7: while the scheduler holds a request about the task (its add, or the removal a
     * cancel pends), the task is not out, even with the scheduler's thread parked elsewhere (here in
     * another task's action); once the scheduler has taken and processed it, it is.
     */
    @Test
    void aCancelledTaskStaysInUntilTheSchedulerProcessedItsRequests() throws Throwable {
        // in the heap, then cancelled while the scheduler is stuck in another task's action
        Future<?> armed = timeout.arm(pool, TimeUnit.HOURS.toNanos(1));
        ForkJoinTask<?> task = timeout.lastTask();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while ((int) JdkTimers.TASK_HEAP_INDEX.get(task) < 0) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(1);
        }
        CountDownLatch release = blockScheduler();
        armed.cancel(false); // pends the removal: the scheduler cannot take it now
        assertThat(task.isDone()).isTrue();
        assertThat(scheduler().getState()).isEqualTo(Thread.State.WAITING);
        assertThat(timeout.outOfScheduler(task, pool)).isFalse();

        // and a second one cancelled before the scheduler even took its add request
        ReusableTimeout other = new ReusableTimeout(Thread.ofVirtual().unstarted(() -> { }));
        Future<?> pendingAdd = other.arm(pool, TimeUnit.HOURS.toNanos(1));
        pendingAdd.cancel(false);
        assertThat(other.outOfScheduler(other.lastTask(), pool)).isFalse();

        release.countDown();
        awaitOutOfScheduler(task);
        assertThat((int) JdkTimers.TASK_HEAP_INDEX.get(task)).isNegative();
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!other.outOfScheduler(other.lastTask(), pool)) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(1);
        }
        // and the re-armed task then fires
        Future<?> again = timeout.arm(pool, TimeUnit.MILLISECONDS.toNanos(1));
        assertThat(again).isSameAs(armed);
        again.get(20, TimeUnit.SECONDS);
    }

    /**
     * Point 2: the JDK's cancel of a timeout whose action started is dropped, so the task completes
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

        // cancelled while the scheduler is stuck: not provably out, so the next arm allocates, and
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
