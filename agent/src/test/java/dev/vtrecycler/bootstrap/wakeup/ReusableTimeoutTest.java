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
    void jdk25() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.version().feature() >= 25,
                "the DelayScheduler is JDK 25's; JDK 21 keeps its own timer tasks (docs/scheduling.md)");
        if (!Timeouts.earlyWakeReuse()) {
            Timeouts.enableEarlyWakeReuse(); // as the agent does: the owner's cancel takes the JDK's steps itself
        }
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
     * Points 7 and 8: without a marker (a pool other than the default scheduler) a task cancelled by an
     * early wake-up is never re-armed, even long after the scheduler removed it from its heap; nor, with
     * or without one, a task cancelled before the scheduler took its add request.
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
        assertThat(timeout.need()).isZero();
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

    /**
     * Points 8 to 11: a task cancelled by the owner while in the heap has its removal pended and the
     * marker armed with a ticket taken after it; once the marker fired the scheduler has taken the task
     * out of its heap, and the next timed park re-arms it (counted as reused), which then fires on time.
     * Fails without the removal's pend (the task stays in the heap: never proven out).
     */
    @Test
    void anEarlyWokenTaskIsReArmedOnceTheMarkerFired() throws Throwable {
        RemovalMarker marker = new RemovalMarker(pool, 1);
        timeout.useMarker(marker);
        Future<?> first = timeout.arm(pool, TimeUnit.HOURS.toNanos(1));
        long reusedBefore = Timeouts.REUSED.sum();
        long allocatedBefore = Timeouts.ALLOCATED.sum();
        for (int i = 1; i <= 50; i++) {
            ForkJoinTask<?> task = timeout.lastTask();
            awaitInHeap(task);
            assertThat(Timeouts.cancel(task, false)).isTrue(); // the JDK's cancelTimeoutTask, rewritten
            assertThat(task.isCancelled()).isTrue();
            assertThat(timeout.need()).isEqualTo(i);
            assertThat(marker.tickets()).isEqualTo(i);
            long round = i;
            await(() -> marker.reached(round));
            assertThat((int) JdkTimers.TASK_HEAP_INDEX.get(task)).isNegative(); // removed, not waiting for its hour
            Future<?> again = timeout.arm(pool, TimeUnit.HOURS.toNanos(1));
            assertThat(again).isSameAs(first);
            assertThat((int) JdkTimers.TASK_STATUS.getVolatile(task)).isEqualTo(JdkTimers.FRESH_STATUS);
        }
        assertThat(Timeouts.REUSED.sum() - reusedBefore).isEqualTo(50);
        assertThat(Timeouts.ALLOCATED.sum() - allocatedBefore).isZero();
        // the re-armed task is a working timeout: cancelled early once more, then left to fire
        awaitInHeap(timeout.lastTask());
        Timeouts.cancel(timeout.lastTask(), false);
        await(() -> marker.reached(51));
        long start = System.nanoTime();
        Future<?> fires = timeout.arm(pool, TimeUnit.MILLISECONDS.toNanos(2));
        assertThat(fires).isSameAs(first);
        fires.get(20, TimeUnit.SECONDS);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(2));
        assertThat(fires.isCancelled()).isFalse();
        assertThat(timeout.skipsCancel(timeout.lastTask())).isTrue(); // 12: the counters are trusted again
    }

    /**
     * Point 11: before the marker's action ran with a ticket taken after the removal's pend, the task
     * is not re-armed, though an older arming of the marker has fired and its heap index says -1 (fails
     * without the {@code fired >= need} check, or with {@code need = tickets}: the re-arm would come
     * while the removal request still links the task in the pending stack).
     */
    @Test
    void noReArmBeforeTheMarkerFiredForThisRemoval() throws Throwable {
        RemovalMarker marker = new RemovalMarker(pool, 1);
        timeout.useMarker(marker);
        Future<?> first = timeout.arm(pool, TimeUnit.HOURS.toNanos(1));
        awaitInHeap(timeout.lastTask());
        Timeouts.cancel(first, false);
        await(() -> marker.reached(1)); // an older arming fired: fired == 1
        assertThat(timeout.arm(pool, TimeUnit.HOURS.toNanos(1))).isSameAs(first);
        awaitInHeap(timeout.lastTask());

        CountDownLatch release = blockScheduler();
        Timeouts.cancel(first, false); // removal pended behind the blocked batch, marker armed after it
        assertThat(timeout.need()).isEqualTo(2);
        assertThat(marker.tickets()).isEqualTo(2);
        assertThat((int) JdkTimers.TASK_HEAP_INDEX.get(first)).isGreaterThanOrEqualTo(0); // still in the heap
        // as if the scheduler's replace() had dropped it as cancelled while the removal request waits
        // in the pending stack: the heap index alone says "out", but the request still links the task
        JdkTimers.TASK_HEAP_INDEX.set(first, -1);
        long allocatedBefore = Timeouts.ALLOCATED.sum();
        Future<?> next = timeout.arm(pool, TimeUnit.HOURS.toNanos(1));
        assertThat(next).isNotSameAs(first);
        assertThat(Timeouts.ALLOCATED.sum() - allocatedBefore).isEqualTo(1);
        release.countDown();
        await(() -> marker.reached(2));
        assertThat(first.isCancelled()).isTrue(); // the old task stays cancelled: nothing re-armed it
        next.cancel(false);
    }

    /**
     * Point 10: the marker is armed by one claimer at a time; a cancel that finds it in flight arms
     * nothing, and its task (whose need the arming in flight does not cover) is not re-armed. Fails
     * without the claim's CAS (the marker would be pended a second time while in flight).
     */
    @Test
    void theMarkerIsArmedByOneClaimerAtATime() throws Throwable {
        TwoTimeouts two = twoTimeoutsInTheHeap(1);
        RemovalMarker marker = two.marker();
        ReusableTimeout other = two.other();
        Future<?> a = two.a();
        Future<?> b = two.b();
        CountDownLatch release = cancelBothWhileTheSchedulerIsHeld(two);
        assertThat(marker.tickets()).isEqualTo(1);
        assertThat(timeout.need()).isEqualTo(1);
        assertThat(other.need()).isEqualTo(2);
        release.countDown();
        await(() -> marker.reached(1));
        await(() -> marker.task(0).isCompletedNormally());
        Thread.sleep(50);
        assertThat(marker.fired()).isEqualTo(1); // fired once
        assertThat(timeout.arm(pool, TimeUnit.HOURS.toNanos(1))).isSameAs(a);
        CountDownLatch held = blockScheduler();
        Future<?> bNext = other.arm(pool, TimeUnit.HOURS.toNanos(1));
        assertThat(bNext).isNotSameAs(b);
        held.countDown();
        // the kept task's need is covered by the marker's next arming, taken at the next timed park
        assertThat(marker.tickets()).isEqualTo(2);
        await(() -> marker.reached(2));
        awaitInHeap(other.lastTask());
        CountDownLatch hold = blockScheduler();
        Timeouts.cancel(bNext, false); // this one cannot be proven while the scheduler is held
        assertThat(other.arm(pool, TimeUnit.HOURS.toNanos(1))).isSameAs(b); // (13): the kept one is
        hold.countDown();
        cancelLastTasks(other);
    }

    /**
     * Point 10, several rounds: a second removal, pended while the first round is in flight, claims a
     * second round at once instead of waiting for the first to come back; each task is re-armed at its
     * owner's next timed park once the round that covers its need fired. Fails with one round (the
     * second claim arms nothing, {@code tickets} stays 1).
     */
    @Test
    void aSecondRoundIsArmedWhileTheFirstIsInFlight() throws Throwable {
        TwoTimeouts two = twoTimeoutsInTheHeap(3);
        RemovalMarker marker = two.marker();
        ReusableTimeout other = two.other();
        Future<?> a = two.a();
        Future<?> b = two.b();
        CountDownLatch release = cancelBothWhileTheSchedulerIsHeld(two);
        assertThat(timeout.need()).isEqualTo(1);
        assertThat(other.need()).isEqualTo(2);
        assertThat(marker.tickets()).isEqualTo(2); // two rounds in flight
        assertThat(marker.reached(1)).isFalse();
        release.countDown();
        await(() -> marker.reached(2));
        assertThat(timeout.arm(pool, TimeUnit.HOURS.toNanos(1))).isSameAs(a);
        assertThat(other.arm(pool, TimeUnit.HOURS.toNanos(1))).isSameAs(b);
        await(marker::idle);
        cancelLastTasks(other);
    }

    /**
     * Point 10, {@code cover}: a need already covered by an arming whose ticket is at least as high (taken
     * after the need was read) arms no further round when the owner retries it at its next timed park.
     * Fails without the {@code tickets < need} check (a third round would be claimed).
     */
    @Test
    void aNeedAlreadyCoveredArmsNoFurtherRound() throws Throwable {
        TwoTimeouts two = twoTimeoutsInTheHeap(3);
        RemovalMarker marker = two.marker();
        ReusableTimeout other = two.other();
        Future<?> a = two.a();
        CountDownLatch release = cancelBothWhileTheSchedulerIsHeld(two); // needs 1 and 2, tickets 1 and 2: 2 covers 1
        Future<?> next = timeout.arm(pool, TimeUnit.HOURS.toNanos(1)); // need 1 not reached: retried, covered
        assertThat(next).isNotSameAs(a);
        assertThat(marker.tickets()).isEqualTo(2);
        release.countDown();
        await(() -> marker.reached(2));
        await(marker::idle);
        awaitInHeap(timeout.lastTask());
        CountDownLatch hold = blockScheduler();
        Timeouts.cancel(next, false);
        assertThat(timeout.arm(pool, TimeUnit.HOURS.toNanos(1))).isSameAs(a); // (13): the kept one
        hold.countDown();
        cancelLastTasks(other);
    }

    /**
     * Point 10, the quiet pend: a round claimed for a need does not unpark the scheduler's idle thread
     * (a second unpark and a second turn of that thread per early wake-up, competing with the carrier);
     * the next timed park's add, pended with the JDK's signal, starts the turn that fires it, with no
     * other wake-up. Fails with the round pended through the JDK's {@code pend} (it fires at once).
     */
    @Test
    void aRoundIsFiredByTheTurnTheNextTimedParkStarts() throws Throwable {
        RemovalMarker marker = new RemovalMarker(pool, 1);
        timeout.useMarker(marker);
        Future<?> first = timeout.arm(pool, TimeUnit.HOURS.toNanos(1));
        awaitInHeap(timeout.lastTask());
        Thread scheduler = (Thread) JdkCancels.POOL_DELAY_SCHEDULER.getVolatile(pool);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (scheduler.getState() != Thread.State.TIMED_WAITING) { // parked until the hour's deadline
            assertThat(System.nanoTime()).as("waited 20 s").isLessThan(deadline);
            Thread.sleep(1);
        }
        marker.cover(marker.need());
        assertThat(marker.tickets()).isEqualTo(1);
        Thread.sleep(100);
        assertThat(marker.fired()).as("fired with no park to wake the scheduler").isZero();
        assertThat(marker.idle()).isFalse(); // in flight: pended, not taken
        ReusableTimeout other = new ReusableTimeout(Thread.ofVirtual().unstarted(() -> { }));
        Future<?> park = other.arm(pool, TimeUnit.HOURS.toNanos(1)); // a timed park: its add signals
        while (!marker.reached(1)) { // no wake-up here but that add's
            assertThat(System.nanoTime()).as("waited 20 s").isLessThan(deadline);
            Thread.sleep(1);
        }
        park.cancel(false);
        first.cancel(false);
    }

    /**
     * Points 8 and 9: a task cancelled before the scheduler added it has no removal pended; the add
     * finds it cancelled and ignores it, leaving its heap index {@code NEVER_ADDED}, so the marker's
     * first round (which proves the add processed) is enough: the next timed park re-arms it, with no
     * cleanup request and no second round. Meanwhile the thread's timed parks allocate and the task is
     * kept (13). Fails without the owner's {@code NEVER_ADDED} write (two rounds needed).
     */
    @Test
    void aTaskCancelledBeforeItsAddIsReArmedAfterOneRound() throws Throwable {
        RemovalMarker marker = new RemovalMarker(pool, 1);
        timeout.useMarker(marker);
        CountDownLatch release = blockScheduler();
        Future<?> first = timeout.arm(pool, TimeUnit.HOURS.toNanos(1)); // add pending behind the blocker
        Timeouts.cancel(first, false);
        assertThat(timeout.need()).isEqualTo(-1); // no removal pended: the add is to be proven first
        assertThat(marker.tickets()).isEqualTo(1);
        Future<?> second = timeout.arm(pool, TimeUnit.HOURS.toNanos(1)); // not proven yet: allocates, keeps it
        assertThat(second).isNotSameAs(first);
        release.countDown();
        await(() -> marker.reached(1));
        await(marker::idle);
        assertThat((int) JdkTimers.TASK_HEAP_INDEX.get(first)).isEqualTo(ReusableTimeout.NEVER_ADDED);
        awaitInHeap(timeout.lastTask());
        CountDownLatch hold = blockScheduler();
        Timeouts.cancel(second, false);
        assertThat(timeout.arm(pool, TimeUnit.HOURS.toNanos(1))).isSameAs(first); // (13): the kept one
        assertThat(marker.tickets()).isEqualTo(2); // second's removal only: no cleanup round for first
        hold.countDown();
        timeout.lastTask().cancel(false);
    }

    /**
     * Point 9: after the marker proved the add processed, only {@code NEVER_ADDED} (a value the
     * scheduler never writes) proves the add ignored the task; a -1 (as the scheduler's {@code replace}
     * writes when it drops a cancelled task, here seen with no happens-before edge) does not, and the
     * task gets the owner's cleanup and a second round. Fails with the check {@code heapIndex < 0} in
     * place of {@code == NEVER_ADDED} (re-armed while still in the heap).
     */
    @Test
    void onlyTheOwnersNeverAddedProvesTheAddIgnored() throws Throwable {
        RemovalMarker marker = new RemovalMarker(pool, 1);
        timeout.useMarker(marker);
        Future<?> first = cancelLeftInTheHeap();
        ForkJoinTask<?> task = (ForkJoinTask<?>) first;
        JdkCancels.TASK_NEXT_PENDING.set(task, null);
        assertThat(timeout.need()).isEqualTo(-1);
        await(() -> marker.reached(1));
        await(marker::idle);
        CountDownLatch hold = blockScheduler(); // nothing below is processed before the check
        int slot = (int) JdkTimers.TASK_HEAP_INDEX.get(task);
        assertThat(slot).isGreaterThanOrEqualTo(0); // still in the heap
        JdkTimers.TASK_HEAP_INDEX.set(task, -1);
        Future<?> second = timeout.arm(pool, TimeUnit.HOURS.toNanos(1)); // the cleanup request, a second round
        assertThat(second).isNotSameAs(first);
        assertThat(marker.tickets()).isEqualTo(2);
        JdkTimers.TASK_HEAP_INDEX.set(task, slot); // the real value, before the scheduler reads the request
        hold.countDown();
        await(() -> marker.reached(2));
        assertThat((int) JdkTimers.TASK_HEAP_INDEX.get(task)).isEqualTo(-1); // the cleanup removed it
        timeout.lastTask().cancel(false);
    }

    /**
     * Point 9, the case a racy read makes: the task is in the heap but the cancel did not pend its
     * removal (simulated: {@code nextPending} seen non-null). The marker's first firing does not make it
     * re-armable (it is still in the heap); the owner's own cleanup request does. Fails without that
     * request (the task would stay in the heap for its hour: never re-armed).
     */
    @Test
    void aTaskLeftInTheHeapIsReArmedOnlyAfterTheOwnersCleanup() throws Throwable {
        RemovalMarker marker = new RemovalMarker(pool, 1);
        timeout.useMarker(marker);
        Future<?> first = cancelLeftInTheHeap();
        ForkJoinTask<?> task = (ForkJoinTask<?>) first;
        assertThat(timeout.need()).isEqualTo(-1);
        await(() -> marker.reached(1));
        Thread.sleep(20);
        assertThat((int) JdkTimers.TASK_HEAP_INDEX.get(task)).isGreaterThanOrEqualTo(0); // still in the heap
        CountDownLatch cleanup = blockScheduler(); // so the cleanup cannot be processed before the check
        Future<?> second = timeout.arm(pool, TimeUnit.HOURS.toNanos(1)); // the cleanup request
        assertThat(second).isNotSameAs(first);
        cleanup.countDown();
        await(() -> marker.reached(2));
        assertThat((int) JdkTimers.TASK_HEAP_INDEX.get(task)).isNegative();
        awaitInHeap(timeout.lastTask());
        CountDownLatch hold = blockScheduler();
        Timeouts.cancel(second, false);
        assertThat(timeout.arm(pool, TimeUnit.HOURS.toNanos(1))).isSameAs(first);
        hold.countDown();
        timeout.lastTask().cancel(false);
    }

    /**
     * Point 13 and 6: a task dropped while it may still run the action (not quiet) makes the counters
     * untrusted; a quiet one (cancelled by the owner before its action could start) does not.
     */
    @Test
    void onlyAQuietTaskKeepsTheCountersTrusted() throws Throwable {
        RemovalMarker marker = new RemovalMarker(pool, 1);
        timeout.useMarker(marker);
        Future<?> first = timeout.arm(pool, TimeUnit.MILLISECONDS.toNanos(1));
        first.get(20, TimeUnit.SECONDS);
        assertThat(timeout.skipsCancel(timeout.lastTask())).isTrue(); // a first task: trusted
        Timeouts.cancel(first, false); // dropped: it fired
        CountDownLatch release = blockScheduler();
        Future<?> live = timeout.arm(pool, TimeUnit.HOURS.toNanos(1)); // re-armed, add pending
        assertThat(live).isSameAs(first);
        Timeouts.cancel(live, false); // quiet: need -1
        assertThat(timeout.need()).isNegative();
        Future<?> next = timeout.arm(pool, TimeUnit.MILLISECONDS.toNanos(1)); // allocates, keeps the quiet one
        assertThat(next).isNotSameAs(live);
        release.countDown();
        next.get(20, TimeUnit.SECONDS);
        assertThat(timeout.skipsCancel(timeout.lastTask())).isTrue(); // still trusted
    }

    /**
     * Point 12: the marker's action does not run while the scheduler's thread is still running another
     * action (the firing phase a raced cancel may have met); it runs after that action returned.
     */
    @Test
    void theMarkerFiresOnlyAfterTheActionInProgress() throws Throwable {
        RemovalMarker marker = new RemovalMarker(pool, 1);
        timeout.useMarker(marker);
        Future<?> armed = timeout.arm(pool, TimeUnit.HOURS.toNanos(1));
        awaitInHeap(timeout.lastTask());
        CountDownLatch release = blockScheduler();
        Timeouts.cancel(armed, false);
        Thread.sleep(100);
        assertThat(marker.fired()).isZero();
        assertThat(timeout.arm(pool, TimeUnit.HOURS.toNanos(1))).isNotSameAs(armed);
        release.countDown();
        await(() -> marker.reached(1));
        timeout.lastTask().cancel(false);
    }

    /** Point 10: a pool that is shut down rejects the marker; arming it never throws, and it stays dead. */
    @Test
    void aMarkerOnAShutDownPoolNeverThrows() throws Throwable {
        RemovalMarker marker = new RemovalMarker(pool, 1);
        timeout.useMarker(marker);
        Future<?> armed = timeout.arm(pool, TimeUnit.HOURS.toNanos(1));
        awaitInHeap(timeout.lastTask());
        pool.shutdown(); // delayed tasks keep running after shutdown(), new ones are rejected
        Timeouts.cancel(armed, false);
        marker.tryArm();
        assertThat(marker.tickets()).isEqualTo(1);
        Thread.sleep(50);
        assertThat(marker.fired()).isZero();
    }

    /**
     * Point 14: a timeout that fired but is not completed yet when its thread parks again (the
     * scheduler's thread lost its CPU before {@code setDone}) is spent: that park allocates once, keeps
     * the counters trusted, and keeps the task as the spare, which a later park re-arms once completed.
     * Fails without the spare (the third park allocates) and without the trust a spent task keeps (the
     * next fired task's cancel is not dropped).
     */
    @Test
    void aFiredTimeoutNotCompletedYetIsReArmedAsTheSpare() throws Throwable {
        long allocatedBefore = Timeouts.ALLOCATED.sum();
        long unfinishedBefore = TimeoutReasons.UNFINISHED.sum();
        Future<?> first = timeout.arm(pool, TimeUnit.MILLISECONDS.toNanos(1));
        ForkJoinTask<?> a = timeout.lastTask();
        first.get(20, TimeUnit.SECONDS);
        assertThat(Timeouts.cancel(first, false)).isFalse(); // dropped: it fired (6)
        finishing(a);
        Future<?> second = timeout.arm(pool, TimeUnit.MILLISECONDS.toNanos(1)); // a spent, not completed
        assertThat(second).isNotSameAs(first);
        completed(a);
        second.get(20, TimeUnit.SECONDS);
        assertThat(timeout.skipsCancel(timeout.lastTask())).as("trusted after a spent task").isTrue();
        assertThat(Timeouts.cancel(second, false)).isFalse();
        ForkJoinTask<?> b = timeout.lastTask();
        finishing(b);
        long start = System.nanoTime();
        Future<?> third = timeout.arm(pool, TimeUnit.MILLISECONDS.toNanos(2));
        assertThat(third).as("the spare, completed").isSameAs(first);
        third.get(20, TimeUnit.SECONDS);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(2));
        completed(b);
        assertThat(Timeouts.ALLOCATED.sum() - allocatedBefore).isEqualTo(2);
        assertThat(TimeoutReasons.UNFINISHED.sum() - unfinishedBefore).isEqualTo(1);
    }

    /**
     * Point 14 (2 for the spare): a spare is re-armed only once a volatile read shows it completed
     * normally; until then the park allocates. Fails with a spare re-armed before its {@code setDone}
     * (the scheduler would still write the task after the re-arm).
     */
    @Test
    void aSpareIsReArmedOnlyOnceCompleted() throws Throwable {
        Future<?> first = timeout.arm(pool, TimeUnit.MILLISECONDS.toNanos(1));
        ForkJoinTask<?> a = timeout.lastTask();
        first.get(20, TimeUnit.SECONDS);
        Timeouts.cancel(first, false);
        finishing(a);
        Future<?> second = timeout.arm(pool, TimeUnit.MILLISECONDS.toNanos(1)); // a is the spare
        second.get(20, TimeUnit.SECONDS);
        Timeouts.cancel(second, false);
        ForkJoinTask<?> b = timeout.lastTask();
        finishing(b);
        Future<?> third = timeout.arm(pool, TimeUnit.HOURS.toNanos(1));
        assertThat(third).isNotSameAs(first).isNotSameAs(second);
        assertThat((int) JdkTimers.TASK_STATUS.getVolatile(a)).as("the spare untouched").isEqualTo(JdkTimers.FRESH_STATUS);
        completed(a);
        completed(b);
        third.cancel(false);
    }

    /**
     * Points 6 and 14: while the counters are not trusted, their moving since a task was armed does not
     * make it spent (an older task's action may have moved them): replacing it keeps them untrusted, and
     * the next task's cancel is not dropped. Fails if a task is taken as spent without trusted counters
     * (its hour-long timeout would stay armed into a later park).
     */
    @Test
    void aCountMovedWhileUntrustedProvesNoStart() throws Throwable {
        CountDownLatch release = blockScheduler();
        Future<?> stuck = timeout.arm(pool, TimeUnit.HOURS.toNanos(1));
        Timeouts.cancel(stuck, false); // no marker for this pool: not quiet, so the counters are untrusted
        Future<?> live = timeout.arm(pool, TimeUnit.HOURS.toNanos(1));
        release.countDown();
        timeout.run(); // as if an older task's action started late
        Future<?> next = timeout.arm(pool, TimeUnit.HOURS.toNanos(1));
        assertThat(next).isNotSameAs(live);
        timeout.run();
        assertThat(timeout.skipsCancel(timeout.lastTask())).isFalse();
        assertThat(Timeouts.cancel(next, false)).isTrue();
        assertThat(next.isCancelled()).isTrue();
        live.cancel(false);
    }

    /** As if the scheduler's thread had not reached {@code setDone} of a task it fired (14). */
    private static void finishing(ForkJoinTask<?> fired) {
        assertThat(fired.isCompletedNormally()).isTrue();
        JdkTimers.TASK_STATUS.setVolatile(fired, JdkTimers.FRESH_STATUS);
    }

    /** The {@code setDone} {@link #finishing} held back. */
    private static void completed(ForkJoinTask<?> fired) {
        JdkTimers.TASK_STATUS.setVolatile(fired, JdkTimers.FRESH_STATUS | JdkCancels.DONE);
    }

    private void awaitInHeap(ForkJoinTask<?> task) throws Throwable {
        await(() -> (int) JdkTimers.TASK_HEAP_INDEX.get(task) >= 0);
    }

    /**
     * Point 13, the drain: tasks kept while early wake-ups outpaced the scheduler are let go, one per
     * timed park after a timeout that fired (not after an early wake-up), once they are proven too; so
     * a burst's tasks do not stay with the thread for its life. Fails without the drain in {@code arm},
     * and with it after every proven task.
     */
    @Test
    void keptTasksDrainOncePreviousTimeoutsAreProvenOut() throws Throwable {
        RemovalMarker marker = new RemovalMarker(pool, 4);
        timeout.useMarker(marker);
        timeout.arm(pool, TimeUnit.HOURS.toNanos(1));
        awaitInHeap(timeout.lastTask());
        CountDownLatch release = blockScheduler();
        for (int i = 0; i < 3; i++) { // early wake-ups while the scheduler is held: each task is kept
            Timeouts.cancel(timeout.lastTask(), false);
            timeout.arm(pool, TimeUnit.HOURS.toNanos(1));
        }
        assertThat(timeout.keptCount()).isEqualTo(3);
        Timeouts.cancel(timeout.lastTask(), false); // the fourth: proven by the same rounds
        release.countDown();
        await(marker::idle);
        Future<?> fires = timeout.arm(pool, TimeUnit.MILLISECONDS.toNanos(1)); // the fourth, proven, re-armed
        assertThat(timeout.keptCount()).as("after an early wake-up nothing is let go").isEqualTo(3);
        fires.get(20, TimeUnit.SECONDS);
        for (int left = 2; left >= 0; left--) { // each timeout fires: every park lets one kept task go
            Future<?> next = timeout.arm(pool, TimeUnit.MILLISECONDS.toNanos(1));
            assertThat(next).isSameAs(fires); // the fired task is re-armed, not a kept one
            assertThat(timeout.keptCount()).isEqualTo(left);
            next.get(20, TimeUnit.SECONDS);
        }
        assertThat(timeout.arm(pool, TimeUnit.MILLISECONDS.toNanos(1))).isSameAs(fires);
        assertThat(timeout.keptCount()).isZero();
    }

    /**
     * Arms the timeout's task between earlier deadlines and a later one, so that firing the marker (the
     * heap's replace from slot 0) neither moves it nor finds it last: it stays in the heap. Then
     * cancels it with the cancel's racy read simulated as "not in the heap yet" ({@code nextPending}
     * seen non-null, left so): no removal pended. Returns the cancelled task.
     */
    private Future<?> cancelLeftInTheHeap() throws Throwable {
        java.util.List<Future<?>> others = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            others.add(new ReusableTimeout(Thread.ofVirtual().unstarted(() -> { })).arm(pool, TimeUnit.MINUTES.toNanos(30)));
        }
        Future<?> first = timeout.arm(pool, TimeUnit.HOURS.toNanos(1));
        ForkJoinTask<?> task = timeout.lastTask();
        others.add(new ReusableTimeout(Thread.ofVirtual().unstarted(() -> { })).arm(pool, TimeUnit.HOURS.toNanos(2)));
        awaitInHeap(task);
        awaitInHeap((ForkJoinTask<?>) others.get(5));
        JdkCancels.TASK_NEXT_PENDING.set(task, JdkTimers.NEW_TASK.invoke(0L, 0L, true, (Runnable) () -> { },
                (java.util.concurrent.Callable<?>) null, pool));
        Timeouts.cancel(first, false);
        return first;
    }

    /** This test's timeout and another thread's, sharing one marker, each with an hour's task in the heap. */
    private record TwoTimeouts(RemovalMarker marker, ReusableTimeout other, Future<?> a, Future<?> b) {}

    /** Cancels {@code two}'s tasks, a then b, with the scheduler held: both removals pended, none taken yet. */
    private CountDownLatch cancelBothWhileTheSchedulerIsHeld(TwoTimeouts two) throws Throwable {
        CountDownLatch release = blockScheduler();
        Timeouts.cancel(two.a(), false);
        Timeouts.cancel(two.b(), false);
        return release;
    }

    /** Leaves nothing of this test's two timeouts in the pool's heap. */
    private void cancelLastTasks(ReusableTimeout other) {
        timeout.lastTask().cancel(false);
        other.lastTask().cancel(false);
    }

    private TwoTimeouts twoTimeoutsInTheHeap(int rounds) throws Throwable {
        RemovalMarker marker = new RemovalMarker(pool, rounds);
        ReusableTimeout other = new ReusableTimeout(Thread.ofVirtual().unstarted(() -> { }));
        timeout.useMarker(marker);
        other.useMarker(marker);
        Future<?> a = timeout.arm(pool, TimeUnit.HOURS.toNanos(1));
        Future<?> b = other.arm(pool, TimeUnit.HOURS.toNanos(1));
        awaitInHeap(timeout.lastTask());
        awaitInHeap(other.lastTask());
        return new TwoTimeouts(marker, other, a, b);
    }

    /**
     * Waits for {@code condition}, waking the pool's delay scheduler as the owner's next timed park (a
     * signalled pend) would: a marker round is pended quietly (10), so one pended after the scheduler's
     * last turn waits for its next.
     */
    private void await(java.util.function.BooleanSupplier condition) throws Throwable {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 20 s").isLessThan(deadline);
            wakeScheduler();
            Thread.sleep(1);
        }
    }

    private void wakeScheduler() throws Throwable {
        Object ds = JdkCancels.POOL_DELAY_SCHEDULER.getVolatile(pool);
        if (ds != null) {
            int state = (int) JdkCancels.SIGNAL.invokeExact(ds);
        }
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
