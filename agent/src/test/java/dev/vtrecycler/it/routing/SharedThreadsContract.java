package dev.vtrecycler.it.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Part of {@link ExecutorContract}: {@code shutdownNow} of one executor while other executors keep
 * running short tasks, so that (with the agent) pooled threads pass between the executors all the
 * time: a thread that ran one of the victim's tasks a moment ago runs another executor's task when
 * the victim shuts down. Exact invariants, not "it did not crash":
 * <ul>
 * <li>every task the victim accepted ran exactly once, and each of its blocked tasks saw exactly one
 *     {@link InterruptedException};</li>
 * <li>no task of another executor ever sees an interrupt (none is ever interrupted by anyone);</li>
 * <li>every task the other executors accepted ran exactly once; none is lost.</li>
 * </ul>
 * Holds for the JDK's executor (a thread per task) as it must for the recycling one.
 */
final class SharedThreadsContract {
    private static final int ROUNDS = 100;
    private static final int BLOCKERS = 8;
    private static final int QUICK = 8;
    private static final int FEEDERS = 3;
    private static final int IN_FLIGHT_PER_FEEDER = 8;
    private static final int MAX_PER_FEEDER = 200_000;

    private final Supplier<ExecutorService> virtualPerTask;

    SharedThreadsContract(Supplier<ExecutorService> virtualPerTask) {
        this.virtualPerTask = virtualPerTask;
    }

    List<ExecutorContract.NamedCheck> checks() {
        return List.of(new ExecutorContract.NamedCheck(
                "shutdownNow interrupts exactly its own tasks while threads pass between executors (stress)",
                this::shutdownNowAmongBusyExecutors));
    }

    private void shutdownNowAmongBusyExecutors() throws Exception {
        AtomicInteger strays = new AtomicInteger();
        AtomicIntegerArray innocentRuns = new AtomicIntegerArray(FEEDERS * MAX_PER_FEEDER);
        AtomicInteger[] accepted = new AtomicInteger[FEEDERS];
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> feederFailure = new AtomicReference<>();
        List<ExecutorService> others = new ArrayList<>();
        List<Thread> feeders = new ArrayList<>();
        for (int f = 0; f < FEEDERS; f++) {
            ExecutorService other = virtualPerTask.get();
            others.add(other);
            accepted[f] = new AtomicInteger();
            feeders.add(Thread.ofVirtual().start(feeder(other, f, accepted[f], innocentRuns, strays, stop, feederFailure)));
        }
        try {
            int before = 0;
            for (int round = 0; round < ROUNDS; round++) {
                // Every round runs while the other executors make progress: wait for a new accepted
                // task first. Counting at the end instead ("more than ROUNDS in all") failed with 75
                // on a loaded machine, where the rounds outran feeders that had not been scheduled.
                before = awaitProgress(accepted, before);
                victimRound(round);
            }
        } finally {
            stop.set(true);
            for (Thread feeder : feeders) {
                feeder.join(TimeUnit.SECONDS.toMillis(ExecutorContract.WAIT_S));
            }
            for (ExecutorService other : others) {
                other.close();
            }
        }
        assertThat(feederFailure.get()).isNull();
        assertThat(feeders).noneMatch(Thread::isAlive);
        assertThat(strays).as("interrupts seen by tasks of other executors").hasValue(0);
        List<String> wrong = new ArrayList<>();
        int total = 0;
        for (int f = 0; f < FEEDERS; f++) {
            int n = accepted[f].get();
            total += n;
            for (int i = 0; i < MAX_PER_FEEDER; i++) {
                int runs = innocentRuns.get(f * MAX_PER_FEEDER + i);
                if (runs != (i < n ? 1 : 0)) {
                    wrong.add("feeder " + f + " task " + i + " ran " + runs + " times (accepted " + n + ")");
                }
            }
        }
        assertThat(wrong).as("other executors' tasks not run exactly once").isEmpty();
        assertThat(total).as("other executors' tasks").isGreaterThan(ROUNDS);
    }

    /** Waits (bounded) until the feeders have accepted more than {@code before} tasks in all; returns the total. */
    private static int awaitProgress(AtomicInteger[] accepted, int before) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ExecutorContract.WAIT_S);
        for (;;) {
            int total = 0;
            for (AtomicInteger a : accepted) {
                total += a.get();
            }
            if (total > before) {
                return total;
            }
            assertThat(System.nanoTime() - deadline)
                    .as("the other executors accepted no task for %d s", ExecutorContract.WAIT_S).isNegative();
            Thread.sleep(1);
        }
    }

    /**
     * Keeps up to {@value #IN_FLIGHT_PER_FEEDER} short tasks of {@code executor} in flight. Each
     * records an interrupt it sees (it never should) and parks briefly, so it holds a (recycled)
     * thread while the victim shuts down.
     */
    private static Runnable feeder(ExecutorService executor, int f, AtomicInteger accepted, AtomicIntegerArray runs,
                                   AtomicInteger strays, AtomicBoolean stop, AtomicReference<Throwable> failure) {
        return () -> {
            Semaphore inFlight = new Semaphore(IN_FLIGHT_PER_FEEDER);
            try {
                for (int i = 0; i < MAX_PER_FEEDER && !stop.get(); i++) {
                    inFlight.acquire();
                    int slot = f * MAX_PER_FEEDER + i;
                    executor.execute(() -> {
                        try {
                            if (Thread.currentThread().isInterrupted()) {
                                strays.incrementAndGet();
                            }
                            Thread.sleep(0, 200_000);
                        } catch (InterruptedException stray) {
                            strays.incrementAndGet();
                        } finally {
                            runs.incrementAndGet(slot);
                            inFlight.release();
                        }
                    });
                    accepted.incrementAndGet();
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        };
    }

    /**
     * The victim: quick tasks that end before the shutdown (their threads go back to the pool, where
     * the feeders' tasks pick them up) and blockers that must each get exactly one interrupt.
     */
    private void victimRound(int round) throws Exception {
        ExecutorService victim = virtualPerTask.get();
        AtomicIntegerArray quickRuns = new AtomicIntegerArray(QUICK);
        AtomicIntegerArray blockerRuns = new AtomicIntegerArray(BLOCKERS);
        AtomicIntegerArray blockerInterrupts = new AtomicIntegerArray(BLOCKERS);
        CountDownLatch quickDone = new CountDownLatch(QUICK);
        CountDownLatch blockersStarted = new CountDownLatch(BLOCKERS);
        CountDownLatch never = new CountDownLatch(1);
        for (int i = 0; i < QUICK; i++) {
            int id = i;
            victim.execute(() -> {
                quickRuns.incrementAndGet(id);
                quickDone.countDown();
            });
        }
        for (int i = 0; i < BLOCKERS; i++) {
            int id = i;
            victim.execute(() -> {
                blockersStarted.countDown();
                try {
                    never.await();
                } catch (InterruptedException expected) {
                    blockerInterrupts.incrementAndGet(id);
                } finally {
                    blockerRuns.incrementAndGet(id);
                }
            });
        }
        assertThat(quickDone.await(ExecutorContract.WAIT_S, TimeUnit.SECONDS)).isTrue();
        assertThat(blockersStarted.await(ExecutorContract.WAIT_S, TimeUnit.SECONDS)).isTrue();
        if (round % 2 == 0) {
            Thread.yield(); // let the feeders take the quick tasks' threads first, every other round
        }
        victim.shutdownNow();
        assertThat(victim.awaitTermination(ExecutorContract.WAIT_S, TimeUnit.SECONDS)).as("round %d", round).isTrue();
        try {
            victim.execute(() -> { });
            throw new AssertionError("accepted a task after shutdownNow");
        } catch (RejectedExecutionException expected) {
            // as the JDK
        }
        for (int i = 0; i < QUICK; i++) {
            assertThat(quickRuns.get(i)).as("round %d quick task %d runs", round, i).isEqualTo(1);
        }
        for (int i = 0; i < BLOCKERS; i++) {
            assertThat(blockerRuns.get(i)).as("round %d blocker %d runs", round, i).isEqualTo(1);
            assertThat(blockerInterrupts.get(i)).as("round %d blocker %d interrupts", round, i).isEqualTo(1);
        }
    }
}
