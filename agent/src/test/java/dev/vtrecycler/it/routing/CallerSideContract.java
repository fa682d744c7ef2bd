package dev.vtrecycler.it.routing;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The executor contract as the submitting thread sees it, part of {@link ExecutorContract} (run on
 * the JDK's executor in-process and on the recycling one in a forked JVM, so both must give the
 * JDK's results):
 * <ul>
 * <li>the caller interrupted while it blocks in {@code invokeAny}, untimed and timed
 *     {@code invokeAll}: the JDK's {@code ThreadPerTaskExecutorTest} interrupts the caller once its
 *     stack shows a {@code ThreadPerTaskExecutor} frame, which a recycling executor's caller never
 *     shows, so those tests cannot run under the agent; these do the same by waiting for the tasks
 *     to have started instead ({@code close} with a running task is
 *     {@code ExecutorContract.interruptedClose});</li>
 * <li>an exception thrown by an {@code InheritableThreadLocal.childValue} while a task starts
 *     reaches the submitter as it is, not wrapped;</li>
 * <li>the order of "the executor counts the task done" and "the uncaught-exception handler runs":
 *     the JDK's {@code TaskRunner} counts the task done in a {@code finally}, before the throw
 *     reaches the handler, so {@code close()} returns while a handler still runs; a
 *     {@code submit}ted task's failure goes to its future, never to the handler.</li>
 * </ul>
 */
final class CallerSideContract {
    private final Function<ThreadFactory, ExecutorService> perTask;
    private final Supplier<ExecutorService> virtualPerTask;

    CallerSideContract(Function<ThreadFactory, ExecutorService> perTask, Supplier<ExecutorService> virtualPerTask) {
        this.perTask = perTask;
        this.virtualPerTask = virtualPerTask;
    }

    List<ExecutorContract.NamedCheck> checks() {
        return List.of(
                new ExecutorContract.NamedCheck("caller interrupted in invokeAny: InterruptedException, tasks interrupted",
                        () -> interruptedCaller(Mode.INVOKE_ANY)),
                new ExecutorContract.NamedCheck("caller interrupted in invokeAll: InterruptedException, tasks cancelled",
                        () -> interruptedCaller(Mode.INVOKE_ALL)),
                new ExecutorContract.NamedCheck("caller interrupted in timed invokeAll: InterruptedException, tasks cancelled",
                        () -> interruptedCaller(Mode.INVOKE_ALL_TIMED)),
                new ExecutorContract.NamedCheck("a childValue exception reaches the submitter unwrapped", this::childValueThrows),
                new ExecutorContract.NamedCheck("execute: the task counts as done before its uncaught-exception handler returns",
                        this::doneBeforeHandler),
                new ExecutorContract.NamedCheck("submit: a failure goes to the future, never to the handler", this::submitNeverReachesHandler));
    }

    private enum Mode { INVOKE_ANY, INVOKE_ALL, INVOKE_ALL_TIMED }

    private void interruptedCaller(Mode mode) throws Exception {
        int n = 3;
        CountDownLatch started = new CountDownLatch(n);
        CountDownLatch interrupted = new CountDownLatch(n);
        CountDownLatch never = new CountDownLatch(1);
        Callable<String> blocker = () -> {
            started.countDown();
            try {
                never.await();
                return "never";
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
        };
        List<Callable<String>> tasks = List.of(blocker, blocker, blocker);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        try (ExecutorService executor = virtualPerTask.get()) {
            Thread caller = Thread.ofPlatform().name("contract-caller").start(() -> {
                try {
                    switch (mode) {
                        case INVOKE_ANY -> executor.invokeAny(tasks);
                        case INVOKE_ALL -> executor.invokeAll(tasks);
                        case INVOKE_ALL_TIMED -> executor.invokeAll(tasks, 1, TimeUnit.DAYS);
                    }
                    thrown.set(new AssertionError(mode + " returned"));
                } catch (Throwable t) {
                    thrown.set(t);
                }
            });
            await(started, "the tasks to start");
            caller.interrupt();
            caller.join(TimeUnit.SECONDS.toMillis(ExecutorContract.WAIT_S));
            assertThat(caller.isAlive()).as(mode + " still blocked after the interrupt").isFalse();
            assertThat(thrown.get()).as(mode + " threw").isInstanceOf(InterruptedException.class);
            await(interrupted, "every task to be interrupted");
            assertThat(executor.submit(() -> "after").get()).isEqualTo("after");
        }
    }

    /** A failure of the application's own type, thrown by childValue while a thread is being made. */
    static final class ChildValueFailure extends RuntimeException {
        ChildValueFailure() {
            super("childValue failed on purpose");
        }
    }

    private void childValueThrows() throws Exception {
        InheritableThreadLocal<String> failing = new InheritableThreadLocal<>() {
            @Override
            protected String childValue(String parentValue) {
                throw new ChildValueFailure();
            }
        };
        failing.set("parent");
        try (ExecutorService executor = virtualPerTask.get()) {
            assertThatThrownBy(() -> executor.execute(() -> { })).isExactlyInstanceOf(ChildValueFailure.class);
            assertThatThrownBy(() -> executor.submit(() -> "x")).isExactlyInstanceOf(ChildValueFailure.class);
            failing.remove();
            // nothing was left half-started: the executor still runs tasks and close() returns
            assertThat(executor.submit(() -> "after").get()).isEqualTo("after");
        } finally {
            failing.remove();
        }
    }

    private void doneBeforeHandler() throws Exception {
        CountDownLatch handlerEntered = new CountDownLatch(1);
        CountDownLatch releaseHandler = new CountDownLatch(1);
        ThreadFactory factory = Thread.ofVirtual().uncaughtExceptionHandler((t, e) -> {
            handlerEntered.countDown();
            try {
                releaseHandler.await(ExecutorContract.WAIT_S, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }).factory();
        ExecutorService executor = perTask.apply(factory);
        try {
            executor.execute(() -> {
                throw new IllegalStateException("on purpose");
            });
            await(handlerEntered, "the uncaught-exception handler");
            executor.shutdown();
            // The handler is still blocked: the JDK has counted the task done already.
            assertThat(executor.awaitTermination(ExecutorContract.WAIT_S, TimeUnit.SECONDS))
                    .as("terminated while the handler runs").isTrue();
        } finally {
            releaseHandler.countDown();
            executor.close();
        }
    }

    private void submitNeverReachesHandler() throws Exception {
        AtomicInteger handled = new AtomicInteger();
        ThreadFactory factory = Thread.ofVirtual().uncaughtExceptionHandler((t, e) -> handled.incrementAndGet()).factory();
        Future<Object> future;
        try (ExecutorService executor = perTask.apply(factory)) {
            future = executor.submit(() -> {
                throw new IllegalStateException("on purpose");
            });
            assertThatThrownBy(future::get).hasCauseInstanceOf(IllegalStateException.class);
            // a later execute that throws does reach the handler: the check can see a handler call
            CountDownLatch reported = new CountDownLatch(1);
            ExecutorService second = perTask.apply(Thread.ofVirtual().uncaughtExceptionHandler((t, e) -> reported.countDown()).factory());
            try (second) {
                second.execute(() -> {
                    throw new IllegalStateException("reaches the handler");
                });
                await(reported, "the second executor's handler");
            }
        }
        assertThat(handled).as("handler calls for a submitted task").hasValue(0);
    }

    private static void await(CountDownLatch latch, String what) throws InterruptedException {
        if (!latch.await(ExecutorContract.WAIT_S, TimeUnit.SECONDS)) {
            throw new AssertionError("timed out waiting for " + what);
        }
    }
}
