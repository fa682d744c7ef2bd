package dev.vtrecycler.bootstrap.routing;

import dev.vtrecycler.bootstrap.recycler.TaskHandle;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

/**
 * {@code invokeAll} and {@code invokeAny} of the {@link RecyclingExecutor}, as the JDK's
 * {@code ThreadPerTaskExecutor} does them: built on the executor's own start, so they add no
 * contract of their own. They may allocate per task (futures, lists, the invokeAny wrapper): bulk
 * calls are not the per-task path issue 19 counts.
 */
final class BulkInvocations {
    private BulkInvocations() {}

    /** Starts all, waits for each in order (until the deadline); whatever has not finished is cancelled. */
    static <T> List<Future<T>> invokeAll(RecyclingExecutor executor, Collection<? extends Callable<T>> tasks,
                                         boolean timed, long deadline)
            throws InterruptedException {
        Objects.requireNonNull(tasks);
        List<Future<T>> futures = new ArrayList<>(tasks.size());
        int waited = 0;
        try {
            for (Callable<T> task : tasks) {
                futures.add(executor.submit(task));
            }
            for (; waited < futures.size(); waited++) {
                Future<T> future = futures.get(waited);
                if (future.isDone()) {
                    continue;
                }
                try {
                    if (timed) {
                        future.get(deadline - System.nanoTime(), NANOSECONDS);
                    } else {
                        future.get();
                    }
                } catch (TimeoutException e) {
                    break;
                } catch (ExecutionException | CancellationException ignore) {
                    // the future reports it; invokeAll only waits
                }
            }
            return futures;
        } finally {
            for (int i = waited; i < futures.size(); i++) {
                futures.get(i).cancel(true);
            }
        }
    }

    /** Starts all; the first success wins; every task still running afterwards is interrupted. */
    static <T> T invokeAny(RecyclingExecutor executor, Collection<? extends Callable<T>> tasks,
                           boolean timed, long deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        int size = tasks.size();
        if (size == 0) {
            throw new IllegalArgumentException("'tasks' is empty");
        }
        AnyResult<T> any = new AnyResult<>(Thread.currentThread());
        List<InterruptibleTask> started = new ArrayList<>(size);
        try {
            for (Callable<T> task : tasks) {
                if (started.size() == size) {
                    break; // the collection grew while we iterated; the JDK also stops at the size it saw
                }
                Objects.requireNonNull(task);
                InterruptibleTask interruptible = new InterruptibleTask(() -> {
                    try {
                        any.succeeded(task.call());
                    } catch (Throwable failure) {
                        any.failed(failure);
                    }
                });
                TaskHandle handle = executor.start(interruptible, task, true);
                started.add(interruptible);
                interruptible.started(handle);
            }
            if (started.isEmpty()) {
                throw new IllegalArgumentException("'tasks' is empty");
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            return any.await(started.size(), timed, deadline);
        } finally {
            for (InterruptibleTask task : started) {
                task.interrupt(); // a no-op for tasks that are done
            }
        }
    }

}
