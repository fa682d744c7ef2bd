package dev.vtrecycler.bootstrap.wakeup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ReusableTimeout}'s argument, point by point, on a real {@code ForkJoinPool} and its real
 * {@code DelayScheduler} (JDK 25). The test is the owner: it arms parks and ends them early (the JDK's
 * cancel), and the timeout records which park fired, and when, instead of unparking a thread.
 */
class ReusableTimeoutTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long HOUR = TimeUnit.HOURS.toNanos(1);

    private final ForkJoinPool pool = new ForkJoinPool(1);
    /** Park numbers that fired, with the scheduler clock when they did (pairs). */
    private final ConcurrentLinkedQueue<long[]> firings = new ConcurrentLinkedQueue<>();
    private ReusableTimeout timeout;

    @BeforeEach
    void jdk25() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.version().feature() >= 25,
                "the DelayScheduler is JDK 25's; JDK 21 keeps its own timer tasks (docs/scheduling.md)");
        timeout = new ReusableTimeout(Thread.ofVirtual().unstarted(() -> { }),
                k -> firings.add(new long[] {k, JdkTimers.now()}));
    }

    @AfterEach
    void shutdown() {
        pool.shutdownNow();
    }

    /** Points 3 and 5: parks that time out fire once each, not early, from two slots re-armed in turn. */
    @Test
    void timeoutsFireOnceEachNotEarlyFromTwoSlots() throws Throwable {
        long allocated = Timeouts.ALLOCATED.sum();
        for (int k = 1; k <= 60; k++) {
            long armedAt = JdkTimers.now();
            timeout.arm(pool, 2 * MS);
            awaitFirings(k);
            long[] last = lastFiring();
            assertThat(last[0]).isEqualTo(k);
            assertThat(last[1] - armedAt).isGreaterThanOrEqualTo(2 * MS);
            timeout.cancel(false); // the thread continues: the park is over
        }
        assertThat(Timeouts.ALLOCATED.sum() - allocated).as("the two slots' first tasks at most").isLessThanOrEqualTo(2);
        assertThat(timeout.overflowTask()).isNull();
    }

    /** Point 4: an early-woken park followed by a later deadline leaves the scheduler alone: one task for all. */
    @Test
    void earlyWakeUpsWithLaterDeadlinesArmNothing() throws Throwable {
        long allocated = Timeouts.ALLOCATED.sum();
        long reused = Timeouts.REUSED.sum();
        for (int k = 0; k < 1_000; k++) {
            timeout.arm(pool, HOUR);
            assertThat(timeout.phase()).isEqualTo(k == 0 ? ReusableTimeout.ARMED : ReusableTimeout.WAITING);
            timeout.cancel(false);
        }
        assertThat(Timeouts.ALLOCATED.sum() - allocated).isEqualTo(1);
        assertThat(Timeouts.REUSED.sum() - reused).isEqualTo(999);
        assertThat(timeout.secondSlot().task()).as("never needed").isNull();
        assertThat(timeout.firstSlot().task().isDone()).isFalse();
        assertThat(firings).isEmpty();
    }

    /** Point 4: the stale task fires at its old deadline and arms the other slot for the park left to it. */
    @Test
    void aStaleTaskArmsTheOtherSlotForTheParkLeftToIt() throws Throwable {
        timeout.arm(pool, 5 * MS);
        timeout.cancel(false);
        long armedAt = JdkTimers.now();
        timeout.arm(pool, 40 * MS);
        assertThat(timeout.phase()).isEqualTo(ReusableTimeout.WAITING);
        awaitFirings(1);
        assertThat(lastFiring()[0]).as("park 2, not park 1").isEqualTo(2);
        assertThat(lastFiring()[1] - armedAt).isGreaterThanOrEqualTo(40 * MS);
        assertThat(timeout.secondSlot().task()).isNotNull();
        Thread.sleep(20);
        assertThat(firings).hasSize(1);
    }

    /** Point 4: a stale task leaves the park to the other slot when that one is pended for no later: nothing allocated. */
    @Test
    void aStaleTaskLeavesTheParkToTheOtherSlotWhenThatCoversIt() throws Throwable {
        timeout.arm(pool, HOUR);
        timeout.cancel(false);
        timeout.arm(pool, 5 * MS); // earlier: the second slot
        timeout.cancel(false);
        long allocated = Timeouts.ALLOCATED.sum();
        timeout.arm(pool, 2 * HOUR); // left to both
        awaitCompleted(timeout.secondSlot().task()); // the 5 ms task fired
        assertThat(timeout.phase()).isEqualTo(ReusableTimeout.WAITING);
        assertThat(Timeouts.ALLOCATED.sum() - allocated).isZero();
        assertThat(firings).isEmpty();
    }

    /** Points 2 and 3: a task whose park is over, with no park after it, fires into nothing. */
    @Test
    void aTaskWhoseParkIsOverEndsNoPark() throws Throwable {
        timeout.arm(pool, MS);
        timeout.cancel(false);
        awaitCompleted(timeout.firstSlot().task());
        timeout.arm(pool, HOUR); // a park after the stale firing: its own task
        Thread.sleep(20);
        assertThat(firings).isEmpty();
        timeout.cancel(false);
    }

    /** Point 4: a deadline earlier than the pended one is not left to it: the other slot is armed. */
    @Test
    void anEarlierDeadlineArmsTheOtherSlot() throws Throwable {
        timeout.arm(pool, HOUR);
        timeout.cancel(false);
        long armedAt = JdkTimers.now();
        timeout.arm(pool, 3 * MS);
        assertThat(timeout.phase()).isEqualTo(ReusableTimeout.ARMED);
        awaitFirings(1);
        assertThat(lastFiring()[0]).isEqualTo(2);
        assertThat(lastFiring()[1] - armedAt).isGreaterThanOrEqualTo(3 * MS);
    }

    /** Point 6: with both slots pended for later deadlines the owner allocates, and cancels it when the park is over. */
    @Test
    void bothSlotsPendedAllocateAndTheOwnersTaskIsCancelledAfterThePark() throws Throwable {
        timeout.arm(pool, HOUR);
        timeout.cancel(false);
        timeout.arm(pool, HOUR / 2);
        timeout.cancel(false);
        long allocated = Timeouts.ALLOCATED.sum();
        timeout.arm(pool, HOUR / 4);
        ForkJoinTask<?> extra = timeout.overflowTask();
        assertThat(extra).isNotNull();
        assertThat(Timeouts.ALLOCATED.sum() - allocated).isEqualTo(1);
        timeout.cancel(false);
        assertThat(extra.isCancelled()).isTrue();
        assertThat(timeout.overflowTask()).isNull();
        timeout.arm(pool, HOUR); // later than a pended slot again: nothing allocated
        assertThat(Timeouts.ALLOCATED.sum() - allocated).isEqualTo(1);
    }

    /** Point 5: a pended task is never claimed; one that completed normally is, and gets a new task's status. */
    @Test
    void onlyACompletedTaskIsClaimed() throws Throwable {
        TimeoutSlot slot = timeout.firstSlot();
        assertThat(slot.tryArm(pool, JdkTimers.now() + HOUR)).isEqualTo(TimeoutSlot.MADE);
        assertThat(slot.tryArm(pool, JdkTimers.now() + HOUR)).isEqualTo(TimeoutSlot.NOT_CLAIMED);
        ForkJoinTask<?> task = slot.task();
        task.cancel(false);
        assertThat(slot.tryArm(pool, JdkTimers.now() + MS)).as("a cancelled task is replaced").isEqualTo(TimeoutSlot.MADE);
        ForkJoinTask<?> replaced = slot.task();
        assertThat(replaced).isNotSameAs(task);
        awaitCompleted(replaced);
        assertThat(slot.tryArm(pool, JdkTimers.now() + HOUR)).isEqualTo(TimeoutSlot.REARMED);
        assertThat(slot.task()).isSameAs(replaced);
        assertThat((int) JdkTimers.TASK_STATUS.getVolatile(replaced)).isEqualTo(JdkTimers.FRESH_STATUS);
    }

    /** Point 7: at the thread's end its pended slots are cancelled, so the scheduler lets it go. */
    @Test
    void theThreadsEndCancelsItsPendedSlots() throws Throwable {
        timeout.arm(pool, HOUR);
        timeout.cancel(false);
        timeout.arm(pool, MS);
        awaitFirings(1);
        timeout.cancel(false);
        timeout.threadEnded();
        assertThat(timeout.firstSlot().task().isCancelled()).isTrue();
        assertThat(timeout.secondSlot().task().isCancelled()).as("fired: left as it is").isFalse();
    }

    /**
     * Points 2 to 6 under contention: owners on platform threads arm parks with deadlines from 20 µs to
     * 3 ms, end about half of them early at a random moment and wait out the rest, on one scheduler.
     * Every park waited out fires (none lost), no park fires before its deadline, none fires twice.
     */
    @Test
    void manyOwnersRandomDeadlinesAndEarlyWakeUps() throws Throwable {
        int owners = 4;
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicLong parks = new AtomicLong();
        for (int i = 0; i < owners; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    parks.addAndGet(ownParks(until));
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(60));
        }
        assertThat(failures).isEmpty();
        assertThat(parks.get()).isGreaterThan(1_000);
    }

    /** One owner's parks (see above); returns how many it made. */
    private long ownParks(long until) throws Throwable {
        ConcurrentLinkedQueue<long[]> fired = new ConcurrentLinkedQueue<>();
        Thread owner = Thread.currentThread();
        ReusableTimeout own = new ReusableTimeout(Thread.ofVirtual().unstarted(() -> { }), k -> {
            fired.add(new long[] {k, JdkTimers.now()});
            LockSupport.unpark(owner);
        });
        java.util.Map<Long, Long> deadlines = new java.util.HashMap<>();
        java.util.Set<Long> seen = new java.util.HashSet<>();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long k = 0;
        while (System.nanoTime() < until) {
            k++;
            long nanos = TimeUnit.MICROSECONDS.toNanos(random.nextLong(20, 3_000));
            deadlines.put(k, JdkTimers.now() + nanos); // the deadline arm computes is no earlier
            own.arm(pool, nanos);
            boolean early = random.nextBoolean();
            long wakeAt = System.nanoTime() + (early ? random.nextLong(nanos) : TimeUnit.SECONDS.toNanos(20));
            boolean firedForThis = false;
            while (!firedForThis && System.nanoTime() < wakeAt) {
                LockSupport.parkNanos(Math.min(50_000L, Math.max(1L, wakeAt - System.nanoTime())));
                for (long[] f; (f = fired.poll()) != null; ) {
                    assertThat(seen.add(f[0])).as("park %d fired twice", f[0]).isTrue();
                    assertThat(f[1]).as("park %d fired before its deadline", f[0]).isGreaterThanOrEqualTo(deadlines.get(f[0]));
                    firedForThis |= f[0] == k;
                }
            }
            assertThat(early || firedForThis).as("park %d waited out and never fired", k).isTrue();
            own.cancel(false);
        }
        own.threadEnded();
        return k;
    }

    private void awaitFirings(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (firings.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(firings).hasSizeGreaterThanOrEqualTo(n);
    }

    private static void awaitCompleted(ForkJoinTask<?> task) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!task.isCompletedNormally() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(task.isCompletedNormally()).as("fired and completed").isTrue();
    }

    private long[] lastFiring() {
        long[] last = null;
        for (long[] f : firings) {
            last = f;
        }
        return last;
    }
}
