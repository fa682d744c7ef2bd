package dev.vtrecycler.bootstrap.wakeup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The safety argument of {@link ReusableWakeupTask}, point by point, on a real {@link ForkJoinPool}
 * (the scheduler type the JDK uses) with runnables that behave like {@code runContinuation}.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ReusableWakeupTaskTest {
    private final List<Throwable> reported = new CopyOnWriteArrayList<>();
    private final ForkJoinPool pool = new ForkJoinPool(4, ForkJoinPool.defaultForkJoinWorkerThreadFactory,
            (thread, failure) -> reported.add(failure), true);

    @AfterEach
    void shutdown() {
        pool.shutdownNow();
    }

    @Test
    void execNeverCompletesSoTheSameInstanceRunsAtEveryWakeup() throws Exception {
        int wakeups = 20_000;
        CountDownLatch ran = new CountDownLatch(wakeups);
        ReusableWakeupTask task = new ReusableWakeupTask(ran::countDown);
        long before = Wakeups.WAKEUPS.sum();
        for (int i = 0; i < wakeups; i++) {
            wake(task, i); // the same instance, often queued several times at once
        }
        assertThat(ran.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(task.isDone()).isFalse();
        assertThat(task.isCompletedAbnormally()).isFalse();
        assertThat(Wakeups.WAKEUPS.sum() - before).isGreaterThanOrEqualTo(wakeups);
        assertThat(reported).isEmpty();
    }

    @Test
    void aFailedWakeupIsReportedCountedAndLaterWakeupsStillRun() throws Exception {
        IllegalStateException failure = new IllegalStateException("one broken wake-up");
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch laterWakeups = new CountDownLatch(3);
        ReusableWakeupTask task = new ReusableWakeupTask(() -> {
            if (calls.getAndIncrement() == 0) {
                throw failure;
            }
            laterWakeups.countDown();
        });
        long failuresBefore = Wakeups.FAILURES.sum();
        wake(task, 0);
        awaitTrue(() -> calls.get() == 1);
        for (int i = 0; i < 3; i++) {
            wake(task, i);
        }
        assertThat(laterWakeups.await(60, TimeUnit.SECONDS)).isTrue();
        awaitTrue(() -> !reported.isEmpty());
        assertThat(reported).containsExactly(failure); // to the carrier's handler, like ForkJoinPool.execute
        assertThat(Wakeups.FAILURES.sum() - failuresBefore).isEqualTo(1);
        assertThat(task.isDone()).isFalse();
    }

    /**
     * Re-queued while the previous {@code exec()} still unwinds (as after {@code Thread.yield}), and
     * sometimes queued twice: a state CAS like {@code runContinuation}'s decides who runs, nothing is
     * lost, no two carriers are ever inside at once.
     */
    @Test
    void requeuedWhileStillUnwindingTheStateCasDecidesWhoRuns() throws Exception {
        int mountsWanted = 50_000;
        AtomicInteger state = new AtomicInteger(1); // 1 runnable, 2 running
        AtomicInteger inside = new AtomicInteger();
        AtomicBoolean overlap = new AtomicBoolean();
        AtomicLong mounts = new AtomicLong();
        AtomicLong lostCas = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        ReusableWakeupTask[] self = new ReusableWakeupTask[1];
        self[0] = new ReusableWakeupTask(() -> {
            if (!state.compareAndSet(1, 2)) {
                lostCas.incrementAndGet(); // a duplicate submission: return at once
                return;
            }
            if (inside.incrementAndGet() != 1) {
                overlap.set(true);
            }
            long m = mounts.incrementAndGet();
            inside.decrementAndGet();
            state.set(1);
            if (m < mountsWanted) {
                wake(self[0], (int) m); // queued again before this exec() has returned
                if (m % 4 == 0) {
                    wake(self[0], (int) m + 1); // and sometimes twice
                }
                for (int spin = 0; spin < 20; spin++) {
                    Thread.onSpinWait(); // still unwinding while another carrier may take it
                }
            } else if (m == mountsWanted) {
                done.countDown();
            }
        });
        wake(self[0], 0);
        assertThat(done.await(90, TimeUnit.SECONDS)).as("mounts " + mounts.get()).isTrue();
        assertThat(overlap).isFalse();
        assertThat(self[0].isDone()).isFalse();
        assertThat(reported).isEmpty();
        System.out.println("[wakeup test] mounts " + mounts.get() + ", duplicate submissions that lost the CAS " + lostCas.get());
    }

    @Test
    void aSchedulerThatIsNotAForkJoinPoolGetsThePlainRunnableCall() {
        AtomicInteger runs = new AtomicInteger();
        ReusableWakeupTask task = new ReusableWakeupTask(runs::incrementAndGet);
        Executor direct = Runnable::run;
        direct.execute(task);
        direct.execute(task);
        assertThat(runs).hasValue(2);
        // exceptions reach that scheduler as they did from the JDK's own runnable
        ReusableWakeupTask failing = new ReusableWakeupTask(() -> {
            throw new IllegalStateException("to the custom scheduler");
        });
        assertThatThrownBy(() -> direct.execute(failing)).hasMessage("to the custom scheduler");
    }

    @Test
    void adaptReturnsTheThreadsOwnTaskAndAdaptsAnythingElse() {
        Runnable jdkRunnable = () -> { };
        Runnable task = Wakeups.reusable(jdkRunnable);
        assertThat(Wakeups.adapt(task)).isSameAs(task);
        assertThat(Wakeups.reusable(jdkRunnable)).isNotSameAs(task); // one per thread, never shared
        ForkJoinTask<?> adapted = Wakeups.adapt(jdkRunnable);
        assertThat(adapted).isNotInstanceOf(ReusableWakeupTask.class);
        assertThat(Wakeups.adapt(jdkRunnable)).isNotSameAs(adapted);
    }

    /**
     * The three ways {@code VirtualThread} submits {@code runContinuation}: {@code execute(Runnable)}
     * (which does not wrap a {@code ForkJoinTask}), and, where the JDK called
     * {@code ForkJoinTask.adapt}, {@code lazySubmit} and {@code externalSubmit} of the task itself.
     * Like the JDK, {@code lazySubmit} only from one of the pool's own workers (it does not wake an
     * idle worker: from outside, the task could wait forever).
     */
    private void wake(ReusableWakeupTask task, int i) {
        boolean onWorker = Thread.currentThread() instanceof ForkJoinWorkerThread worker && worker.getPool() == pool;
        switch (i % 3) {
            case 0 -> pool.execute((Runnable) task);
            case 1 -> {
                if (onWorker) {
                    pool.lazySubmit(task);
                } else {
                    pool.externalSubmit(task);
                }
            }
            default -> pool.externalSubmit(task);
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met in time").isLessThan(deadline);
            Thread.sleep(1);
        }
    }
}
