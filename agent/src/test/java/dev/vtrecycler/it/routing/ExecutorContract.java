package dev.vtrecycler.it.routing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract of the JDK's thread-per-task executor over virtual threads, as executable checks.
 * One suite for both implementations: the JDK's own (in-process, no agent) and the recycling one
 * (in-process through {@code Routes}, and in a forked JVM with the agent through the advised
 * {@code Executors} methods). Plain methods rather than JUnit tests so that {@link ExecutorContractMain}
 * can run them in a forked JVM without a test engine.
 *
 * <p>No timing assertions: waits are bounded by {@link #WAIT_S} only so a broken implementation fails
 * instead of hanging; they never decide a pass.
 */
public final class ExecutorContract {
    /** Bound for every wait: generous, a pass never depends on it. */
    static final long WAIT_S = 60;

    public interface Check {
        void run() throws Exception;
    }

    public record NamedCheck(String name, Check check) {}

    private final Function<ThreadFactory, ExecutorService> perTask;
    private final Supplier<ExecutorService> virtualPerTask;

    /**
     * @param perTask        {@code Executors::newThreadPerTaskExecutor} or what replaces it
     * @param virtualPerTask {@code Executors::newVirtualThreadPerTaskExecutor} or what replaces it
     */
    public ExecutorContract(Function<ThreadFactory, ExecutorService> perTask, Supplier<ExecutorService> virtualPerTask) {
        this.perTask = perTask;
        this.virtualPerTask = virtualPerTask;
    }

    public List<NamedCheck> checks() {
        List<NamedCheck> checks = new ArrayList<>(executorChecks());
        checks.addAll(new CallerSideContract(perTask, virtualPerTask).checks());
        checks.addAll(new SharedThreadsContract(virtualPerTask).checks());
        return checks;
    }

    private List<NamedCheck> executorChecks() {
        return List.of(
                new NamedCheck("every task starts at once on its own virtual thread", this::tasksStartAtOnce),
                new NamedCheck("submit returns the callable's or the given result", this::submitResults),
                new NamedCheck("execute: a throwing task reaches the factory's uncaught-exception handler", this::executeThrowing),
                new NamedCheck("submit: a throwing task fails its future", this::submitThrowing),
                new NamedCheck("thread names come from the factory's prefix and counter", this::namesFromFactory),
                new NamedCheck("newVirtualThreadPerTaskExecutor names threads \"\"", this::unnamedThreads),
                new NamedCheck("rejects after shutdown, runs what it accepted", this::rejectsAfterShutdown),
                new NamedCheck("awaitTermination / isTerminated follow the running tasks", this::awaitTermination),
                new NamedCheck("shutdownNow interrupts running tasks", this::shutdownNowInterrupts),
                new NamedCheck("shutdownNow racing with submissions interrupts every accepted task (stress)", this::shutdownNowRacingWithSubmissions),
                new NamedCheck("close waits for every task", this::closeWaits),
                new NamedCheck("interrupted close interrupts tasks, waits, re-asserts the interrupt", this::interruptedClose),
                new NamedCheck("cancel(true) interrupts only that task", this::cancelOneOfMany),
                new NamedCheck("invokeAll returns every result in order", this::invokeAll),
                new NamedCheck("timed invokeAll cancels and interrupts leftovers", this::invokeAllTimedCancelsLeftovers),
                new NamedCheck("invokeAny returns a success despite failures, interrupts survivors", this::invokeAnyWithFailures),
                new NamedCheck("invokeAny with only failures throws ExecutionException", this::invokeAnyAllFail),
                new NamedCheck("invokeAny rejects an empty collection; timed invokeAny times out", this::invokeAnyEdges),
                new NamedCheck("a task finds no ThreadLocal, interrupt or class loader left by an earlier task", this::freshThreadState),
                new NamedCheck("inheritable thread-locals follow the factory's choice", this::inheritableThreadLocals),
                new NamedCheck("interrupts never reach a later task (stress)", this::interruptsStayWithTheirTask),
                new NamedCheck("no task lost or run twice under concurrent submitters (stress)", this::noTaskLostOrRunTwice));
    }

    /**
     * {@link #checks()} from a platform thread, then again from a virtual thread: a virtual submitter
     * takes recycled threads from its carrier's free list, a platform submitter only from the global
     * list, so both are covered.
     */
    public List<NamedCheck> allChecks() {
        List<NamedCheck> all = new ArrayList<>(checks());
        all.addAll(checksFromVirtualThread());
        return all;
    }

    public List<NamedCheck> checksFromVirtualThread() {
        return checks().stream()
                .map(c -> new NamedCheck(c.name() + " [virtual submitter]", () -> onVirtualThread(c.check())))
                .toList();
    }

    private static void onVirtualThread(Check check) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = Thread.ofVirtual().name("contract-submitter").start(() -> {
            try {
                check.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        if (!t.join(java.time.Duration.ofSeconds(WAIT_S * 4))) {
            throw new AssertionError("check did not finish on its virtual thread");
        }
        Throwable e = failure.get();
        if (e instanceof Exception ex) {
            throw ex;
        }
        if (e instanceof Error err) {
            throw err;
        }
    }

    // ------------------------------------------------------------------ helpers

    private static void await(CountDownLatch latch, String what) throws InterruptedException {
        if (!latch.await(WAIT_S, TimeUnit.SECONDS)) {
            throw new AssertionError("timed out waiting for " + what);
        }
    }

    private static void awaitTerminated(ExecutorService executor) throws InterruptedException {
        if (!executor.awaitTermination(WAIT_S, TimeUnit.SECONDS)) {
            throw new AssertionError("executor did not terminate: " + executor);
        }
    }

    /** A task that blocks until interrupted (or the latch opens) and records whether it was interrupted. */
    private static Callable<String> blocker(CountDownLatch started, CountDownLatch release, AtomicInteger interrupts) {
        return () -> {
            started.countDown();
            try {
                release.await();
                return "released";
            } catch (InterruptedException e) {
                interrupts.incrementAndGet();
                throw e;
            }
        };
    }

    // ------------------------------------------------------------------ checks

    private void tasksStartAtOnce() throws Exception {
        int n = 50; // more than carriers: only "one thread per task" lets all block together
        CountDownLatch allStarted = new CountDownLatch(n);
        CountDownLatch release = new CountDownLatch(1);
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        AtomicBoolean allVirtual = new AtomicBoolean(true);
        try (ExecutorService executor = virtualPerTask.get()) {
            for (int i = 0; i < n; i++) {
                executor.execute(() -> {
                    threads.add(Thread.currentThread());
                    if (!Thread.currentThread().isVirtual()) {
                        allVirtual.set(false);
                    }
                    allStarted.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new RuntimeException(e);
                    }
                });
            }
            await(allStarted, "all tasks to run together");
            release.countDown();
        }
        assertThat(threads).hasSize(n);
        assertThat(allVirtual).isTrue();
    }

    private void submitResults() throws Exception {
        try (ExecutorService executor = virtualPerTask.get()) {
            assertThat(executor.submit(() -> 42).get()).isEqualTo(42);
            AtomicBoolean ran = new AtomicBoolean();
            assertThat(executor.submit(() -> ran.set(true)).get()).isNull();
            assertThat(ran).isTrue();
            assertThat(executor.submit(() -> { }, "given").get()).isEqualTo("given");
            assertThatThrownBy(() -> executor.submit((Callable<?>) null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> executor.execute(null)).isInstanceOf(NullPointerException.class);
        }
    }

    private void executeThrowing() throws Exception {
        CountDownLatch reported = new CountDownLatch(1);
        AtomicReference<Thread> reportedThread = new AtomicReference<>();
        AtomicReference<Thread> taskThread = new AtomicReference<>();
        AtomicReference<Throwable> reportedError = new AtomicReference<>();
        ThreadFactory factory = Thread.ofVirtual().name("boom-", 0).uncaughtExceptionHandler((t, e) -> {
            reportedThread.set(t);
            reportedError.set(e);
            reported.countDown();
        }).factory();
        IllegalStateException failure = new IllegalStateException("task failed on purpose");
        try (ExecutorService executor = perTask.apply(factory)) {
            executor.execute(() -> {
                taskThread.set(Thread.currentThread());
                throw failure;
            });
            await(reported, "the uncaught-exception handler");
            // the executor is still usable
            assertThat(executor.submit(() -> "after").get()).isEqualTo("after");
        }
        assertThat(reportedError.get()).isSameAs(failure);
        assertThat(reportedThread.get()).isSameAs(taskThread.get());
    }

    private void submitThrowing() throws Exception {
        try (ExecutorService executor = virtualPerTask.get()) {
            IllegalArgumentException failure = new IllegalArgumentException("on purpose");
            Future<Object> future = executor.submit(() -> {
                throw failure;
            });
            assertThatThrownBy(future::get).isInstanceOf(ExecutionException.class).cause().isSameAs(failure);
            assertThat(future.state()).isEqualTo(Future.State.FAILED);
        }
    }

    private void namesFromFactory() throws Exception {
        ThreadFactory factory = Thread.ofVirtual().name("pool-", 5).factory();
        List<String> names = new ArrayList<>();
        try (ExecutorService executor = perTask.apply(factory)) {
            for (int i = 0; i < 20; i++) {
                names.add(executor.submit(() -> Thread.currentThread().getName()).get());
            }
            // the counter is the factory's: a thread made by the factory directly takes the next number
            assertThat(factory.newThread(() -> { }).getName()).isEqualTo("pool-25");
            assertThat(executor.submit(() -> Thread.currentThread().getName()).get()).isEqualTo("pool-26");
        }
        List<String> expected = new ArrayList<>();
        for (int i = 5; i < 25; i++) {
            expected.add("pool-" + i);
        }
        assertThat(names).isEqualTo(expected);

        ThreadFactory fixed = Thread.ofVirtual().name("fixed").factory();
        try (ExecutorService executor = perTask.apply(fixed)) {
            assertThat(executor.submit(() -> Thread.currentThread().getName()).get()).isEqualTo("fixed");
            assertThat(executor.submit(() -> Thread.currentThread().getName()).get()).isEqualTo("fixed");
        }
    }

    private void unnamedThreads() throws Exception {
        try (ExecutorService executor = virtualPerTask.get()) {
            for (int i = 0; i < 10; i++) {
                assertThat(executor.submit(() -> Thread.currentThread().getName()).get()).isEmpty();
            }
        }
    }

    private void rejectsAfterShutdown() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService executor = virtualPerTask.get();
        Future<String> accepted = executor.submit(blocker(started, release, new AtomicInteger()));
        await(started, "the accepted task");
        executor.shutdown();
        assertThat(executor.isShutdown()).isTrue();
        assertThatThrownBy(() -> executor.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> executor.submit(() -> 1)).isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> executor.invokeAll(List.of(() -> 1))).isInstanceOf(RejectedExecutionException.class);
        release.countDown();
        assertThat(accepted.get()).isEqualTo("released");
        awaitTerminated(executor);
        assertThatThrownBy(() -> executor.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
    }

    private void awaitTermination() throws Exception {
        ExecutorService idle = virtualPerTask.get();
        assertThat(idle.isTerminated()).isFalse();
        assertThat(idle.awaitTermination(0, TimeUnit.NANOSECONDS)).isFalse();
        idle.shutdown();
        assertThat(idle.isTerminated()).isTrue(); // nothing ran: terminates at once
        assertThat(idle.awaitTermination(0, TimeUnit.NANOSECONDS)).isTrue();
        idle.close(); // no-op on a terminated executor

        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService busy = virtualPerTask.get();
        busy.submit(blocker(started, release, new AtomicInteger()));
        await(started, "the task");
        busy.shutdown();
        assertThat(busy.isTerminated()).isFalse(); // the task still runs
        assertThat(busy.awaitTermination(1, TimeUnit.MILLISECONDS)).isFalse();
        release.countDown();
        awaitTerminated(busy);
        assertThat(busy.isTerminated()).isTrue();
        assertThatThrownBy(() -> busy.awaitTermination(1, null)).isInstanceOf(NullPointerException.class);
    }

    private void shutdownNowInterrupts() throws Exception {
        int n = 10;
        CountDownLatch started = new CountDownLatch(n);
        CountDownLatch never = new CountDownLatch(1);
        AtomicInteger interrupts = new AtomicInteger();
        ExecutorService executor = virtualPerTask.get();
        List<Future<String>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            futures.add(executor.submit(blocker(started, never, interrupts)));
        }
        await(started, "all tasks");
        assertThat(executor.shutdownNow()).isEmpty();
        awaitTerminated(executor);
        assertThat(interrupts).hasValue(n);
        for (Future<String> f : futures) {
            assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(InterruptedException.class);
        }
    }

    /**
     * shutdownNow while tasks are being submitted: every task the executor accepted must see the
     * interrupt, including one still being handed to its thread. A lost interrupt leaves a task
     * blocked forever, and the executor never terminates.
     */
    private void shutdownNowRacingWithSubmissions() throws Exception {
        for (int round = 0; round < 200; round++) {
            ExecutorService executor = virtualPerTask.get();
            CountDownLatch never = new CountDownLatch(1);
            AtomicInteger accepted = new AtomicInteger();
            AtomicInteger interrupted = new AtomicInteger();
            CountDownLatch submitting = new CountDownLatch(1);
            Thread submitter = Thread.ofVirtual().start(() -> {
                submitting.countDown();
                for (int i = 0; i < 20; i++) {
                    try {
                        executor.execute(() -> {
                            try {
                                never.await();
                            } catch (InterruptedException e) {
                                interrupted.incrementAndGet();
                            }
                        });
                        accepted.incrementAndGet();
                    } catch (RejectedExecutionException e) {
                        return;
                    }
                }
            });
            await(submitting, "the submitter");
            if (round % 2 == 0) {
                Thread.yield(); // vary where in the submissions the shutdown lands
            }
            executor.shutdownNow();
            submitter.join(TimeUnit.SECONDS.toMillis(WAIT_S));
            awaitTerminated(executor);
            assertThat(interrupted).as("round %d", round).hasValue(accepted.get());
        }
    }

    private void closeWaits() throws Exception {
        int n = 20;
        AtomicInteger finished = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(n);
        try (ExecutorService executor = virtualPerTask.get()) {
            for (int i = 0; i < n; i++) {
                executor.execute(() -> {
                    started.countDown();
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        throw new RuntimeException("close must not interrupt", e);
                    }
                    finished.incrementAndGet();
                });
            }
            await(started, "all tasks");
        }
        assertThat(finished).hasValue(n);
    }

    private void interruptedClose() throws Exception {
        int n = 5;
        CountDownLatch started = new CountDownLatch(n);
        CountDownLatch never = new CountDownLatch(1);
        AtomicInteger interrupts = new AtomicInteger();
        AtomicInteger cleanedUp = new AtomicInteger();
        ExecutorService executor = virtualPerTask.get();
        for (int i = 0; i < n; i++) {
            executor.execute(() -> {
                started.countDown();
                try {
                    never.await();
                } catch (InterruptedException e) {
                    interrupts.incrementAndGet();
                    // cleanup after the interrupt: close must still wait for this
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException again) {
                        throw new AssertionError("interrupted twice", again);
                    }
                    cleanedUp.incrementAndGet();
                }
            });
        }
        await(started, "all tasks");
        AtomicBoolean closerInterruptedAfter = new AtomicBoolean();
        AtomicInteger cleanedUpWhenClosed = new AtomicInteger(-1);
        Thread closer = Thread.ofPlatform().start(() -> {
            executor.close();
            cleanedUpWhenClosed.set(cleanedUp.get());
            closerInterruptedAfter.set(Thread.currentThread().isInterrupted());
        });
        // the closer cannot finish before it is interrupted: the tasks never end by themselves
        closer.interrupt();
        closer.join(TimeUnit.SECONDS.toMillis(WAIT_S));
        assertThat(closer.isAlive()).as("close returned").isFalse();
        assertThat(interrupts).hasValue(n);
        assertThat(cleanedUpWhenClosed).hasValue(n);
        assertThat(closerInterruptedAfter).isTrue();
        assertThat(executor.isTerminated()).isTrue();
    }

    private void cancelOneOfMany() throws Exception {
        int n = 8;
        CountDownLatch started = new CountDownLatch(n);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger interrupts = new AtomicInteger();
        try (ExecutorService executor = virtualPerTask.get()) {
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(executor.submit(blocker(started, release, interrupts)));
            }
            await(started, "all tasks");
            Future<String> victim = futures.get(3);
            assertThat(victim.cancel(true)).isTrue();
            assertThat(victim.isCancelled()).isTrue();
            assertThatThrownBy(victim::get).isInstanceOf(CancellationException.class);
            // wait until the victim saw its interrupt, then let the others go
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
            while (interrupts.get() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            release.countDown();
            for (int i = 0; i < n; i++) {
                if (i != 3) {
                    assertThat(futures.get(i).get()).isEqualTo("released");
                }
            }
        }
        assertThat(interrupts).hasValue(1);
    }

    private void invokeAll() throws Exception {
        try (ExecutorService executor = virtualPerTask.get()) {
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                int v = i;
                tasks.add(() -> {
                    if (v == 7) {
                        throw new IllegalStateException("seven");
                    }
                    return v * v;
                });
            }
            List<Future<Integer>> futures = executor.invokeAll(tasks);
            assertThat(futures).hasSize(30).allMatch(Future::isDone);
            for (int i = 0; i < 30; i++) {
                if (i == 7) {
                    assertThatThrownBy(futures.get(i)::get).cause().hasMessage("seven");
                } else {
                    assertThat(futures.get(i).get()).isEqualTo(i * i);
                }
            }
            assertThat(executor.invokeAll(List.of())).isEmpty();
            assertThatThrownBy(() -> executor.invokeAll(null)).isInstanceOf(NullPointerException.class);
        }
    }

    private void invokeAllTimedCancelsLeftovers() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        try (ExecutorService executor = virtualPerTask.get()) {
            List<Callable<String>> tasks = List.of(
                    () -> "quick",
                    () -> {
                        try {
                            never.await();
                            return "never";
                        } catch (InterruptedException e) {
                            interrupted.countDown();
                            throw e;
                        }
                    });
            List<Future<String>> futures = executor.invokeAll(tasks, 50, TimeUnit.MILLISECONDS);
            assertThat(futures).hasSize(2).allMatch(Future::isDone);
            assertThat(futures.get(0).get()).isEqualTo("quick");
            assertThat(futures.get(1).isCancelled()).isTrue();
            await(interrupted, "the leftover task to be interrupted");
        }
    }

    private void invokeAnyWithFailures() throws Exception {
        int survivors = 3;
        CountDownLatch survivorsStarted = new CountDownLatch(survivors);
        CountDownLatch survivorsInterrupted = new CountDownLatch(survivors);
        CountDownLatch never = new CountDownLatch(1);
        CountDownLatch failuresDone = new CountDownLatch(4);
        try (ExecutorService executor = virtualPerTask.get()) {
            List<Callable<String>> tasks = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                tasks.add(() -> {
                    failuresDone.countDown();
                    throw new IllegalStateException("fails");
                });
            }
            for (int i = 0; i < survivors; i++) {
                tasks.add(() -> {
                    survivorsStarted.countDown();
                    try {
                        never.await();
                        return "never";
                    } catch (InterruptedException e) {
                        survivorsInterrupted.countDown();
                        throw e;
                    }
                });
            }
            tasks.add(() -> {
                // succeed only after the failures and once the survivors are blocked
                await(failuresDone, "failures");
                await(survivorsStarted, "survivors");
                return "winner";
            });
            Collections.shuffle(tasks);
            assertThat(executor.invokeAny(tasks)).isEqualTo("winner");
            await(survivorsInterrupted, "invokeAny to interrupt the survivors");
        }
    }

    private void invokeAnyAllFail() throws Exception {
        try (ExecutorService executor = virtualPerTask.get()) {
            List<Callable<String>> tasks = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                tasks.add(() -> {
                    throw new IllegalStateException("fails");
                });
            }
            assertThatThrownBy(() -> executor.invokeAny(tasks)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(IllegalStateException.class).hasMessage("fails");
            assertThat(executor.invokeAny(List.<Callable<String>>of(() -> null))).isNull();
        }
    }

    private void invokeAnyEdges() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        try (ExecutorService executor = virtualPerTask.get()) {
            assertThatThrownBy(() -> executor.invokeAny(List.of())).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> executor.invokeAny(List.<Callable<String>>of(() -> {
                try {
                    never.await();
                    return "never";
                } catch (InterruptedException e) {
                    interrupted.countDown();
                    throw e;
                }
            }), 20, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            await(interrupted, "the timed-out task to be interrupted");
        }
    }

    private void freshThreadState() throws Exception {
        ThreadLocal<String> local = new ThreadLocal<>();
        InheritableThreadLocal<String> inheritable = new InheritableThreadLocal<>();
        ClassLoader submitterLoader = Thread.currentThread().getContextClassLoader();
        ClassLoader strange = new ClassLoader(null) { };
        inheritable.set("from-submitter");
        List<String> problems = new CopyOnWriteArrayList<>();
        try (ExecutorService executor = virtualPerTask.get()) {
            // One at a time, so that a recycling implementation hands each task the previous one's thread.
            for (int i = 0; i < 200; i++) {
                int round = i;
                executor.submit(() -> {
                    Thread me = Thread.currentThread();
                    if (me.isInterrupted()) {
                        problems.add(round + ": interrupted at start");
                    }
                    if (local.get() != null) {
                        problems.add(round + ": ThreadLocal " + local.get());
                    }
                    if (!"from-submitter".equals(inheritable.get())) {
                        problems.add(round + ": InheritableThreadLocal " + inheritable.get());
                    }
                    if (me.getContextClassLoader() != submitterLoader) {
                        problems.add(round + ": context class loader " + me.getContextClassLoader());
                    }
                    // leave a mess for the next task
                    local.set("task-" + round);
                    inheritable.set("task-" + round);
                    me.setContextClassLoader(strange);
                    me.interrupt();
                    return null;
                }).get();
            }
        } finally {
            inheritable.remove();
        }
        assertThat(problems).isEmpty();
    }

    private void inheritableThreadLocals() throws Exception {
        InheritableThreadLocal<String> inheritable = new InheritableThreadLocal<>();
        inheritable.set("parent");
        try {
            ThreadFactory noInherit = Thread.ofVirtual().inheritInheritableThreadLocals(false).factory();
            try (ExecutorService executor = perTask.apply(noInherit)) {
                for (int i = 0; i < 10; i++) {
                    assertThat(executor.submit(inheritable::get).get()).isNull();
                }
            }
            try (ExecutorService executor = perTask.apply(Thread.ofVirtual().factory())) {
                for (int i = 0; i < 10; i++) {
                    assertThat(executor.submit(inheritable::get).get()).isEqualTo("parent");
                }
            }
        } finally {
            inheritable.remove();
        }
    }

    /**
     * Cancel, shutdownNow and invokeAny send interrupts while other tasks start and end on the same
     * (possibly recycled) threads. A task that is never meant to be interrupted checks it never is.
     */
    private void interruptsStayWithTheirTask() throws Exception {
        AtomicInteger strayInterrupts = new AtomicInteger();
        AtomicInteger innocentRuns = new AtomicInteger();
        Callable<String> innocent = () -> {
            // Never interrupted by anyone: any interrupt seen here was meant for someone else. It
            // sleeps so that it holds its (recycled) thread while interrupts fly, without using a core.
            if (Thread.currentThread().isInterrupted()) {
                strayInterrupts.incrementAndGet();
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException stray) {
                strayInterrupts.incrementAndGet();
            }
            innocentRuns.incrementAndGet();
            return "ok";
        };
        CountDownLatch never = new CountDownLatch(1);
        Callable<String> victim = () -> {
            try {
                never.await();
            } catch (InterruptedException expected) {
                // the interrupt for this task arrived; return it to the pool quickly
            }
            return "victim";
        };
        ExecutorService innocents = virtualPerTask.get();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> feederFailure = new AtomicReference<>();
        // Virtual feeders, one task at a time each: they take the threads that the interrupted
        // executors' tasks just left on the carriers' free lists, so a misdirected interrupt lands
        // on an innocent.
        List<Thread> feeders = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            feeders.add(Thread.ofVirtual().start(() -> {
                while (!stop.get()) {
                    try {
                        innocents.submit(innocent).get();
                    } catch (Throwable e) {
                        feederFailure.set(e);
                        return;
                    }
                }
            }));
        }
        try {
            for (int round = 0; round < 300; round++) {
                try (ExecutorService executor = virtualPerTask.get()) {
                    Future<String> a = executor.submit(victim);
                    Future<String> b = executor.submit(innocent);
                    a.cancel(true);
                    b.get();
                    if (round % 3 == 0) {
                        executor.submit(victim);
                        executor.shutdownNow();
                    } else {
                        // the finally of invokeAny interrupts every task it started, finished or not
                        executor.invokeAny(List.of(() -> "fast", () -> "fast too", victim));
                    }
                }
            }
        } finally {
            stop.set(true);
            for (Thread feeder : feeders) {
                feeder.join(TimeUnit.SECONDS.toMillis(WAIT_S));
            }
            innocents.close();
        }
        assertThat(feederFailure.get()).isNull();
        assertThat(feeders).noneMatch(Thread::isAlive);
        assertThat(innocentRuns.get()).isGreaterThan(300);
        assertThat(strayInterrupts).hasValue(0);
    }

    private void noTaskLostOrRunTwice() throws Exception {
        int submitters = 4;
        int perSubmitter = 2_000;
        AtomicInteger[] runs = new AtomicInteger[submitters * perSubmitter];
        for (int i = 0; i < runs.length; i++) {
            runs[i] = new AtomicInteger();
        }
        try (ExecutorService executor = virtualPerTask.get()) {
            List<Thread> threads = new ArrayList<>();
            for (int s = 0; s < submitters; s++) {
                int base = s * perSubmitter;
                // half platform, half virtual submitters: both paths into the recycler
                Thread.Builder builder = s % 2 == 0 ? Thread.ofPlatform() : Thread.ofVirtual();
                threads.add(builder.start(() -> {
                    for (int i = 0; i < perSubmitter; i++) {
                        int id = base + i;
                        executor.execute(() -> runs[id].incrementAndGet());
                    }
                }));
            }
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(WAIT_S));
            }
        }
        List<Integer> wrong = new ArrayList<>();
        for (int i = 0; i < runs.length; i++) {
            if (runs[i].get() != 1) {
                wrong.add(i);
            }
        }
        assertThat(wrong).as("tasks not run exactly once").isEmpty();
    }
}
