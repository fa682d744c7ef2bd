package dev.vtrecycler.bootstrap.routing;

import dev.vtrecycler.bootstrap.context.TaskContext;
import dev.vtrecycler.bootstrap.recycler.Recycler;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

/**
 * What {@code Executors.newVirtualThreadPerTaskExecutor()} and {@code newThreadPerTaskExecutor(f)}
 * (f the JDK's virtual factory) return in recycle mode: the contract of the JDK's
 * {@code ThreadPerTaskExecutor}, with each task run on a recycled virtual thread.
 *
 * <ul>
 * <li>Each task starts at once; the thread it runs on is named by the factory (its prefix and
 *     counter, drawn at submission as the JDK does), has the factory's uncaught-exception handler and
 *     inherits inheritable thread-locals iff the factory would.</li>
 * <li>shutdown / shutdownNow (interrupts running tasks) / close (waits; an interrupted closer
 *     interrupts the tasks, keeps waiting, then re-asserts its interrupt) / awaitTermination.</li>
 * <li>Terminated means every task has returned: a task is "running" from submission until its
 *     body returned, including a cancelled task that is still unwinding.</li>
 * <li>Interrupts go to tasks, never to threads (see {@link RoutedTask}); a cancelled
 *     {@link FutureTask} interrupts its runner itself, and FutureTask.run does not return before
 *     that interrupt was delivered, so it cannot leak into the thread's next task either.</li>
 * <li>An APM agent's trace context current at submission is current while the task runs, where
 *     that agent propagates it into the JDK's executor ({@link TaskContext}); it is captured for the
 *     object the caller passed (its Runnable, Callable or CompletableFuture task), as the agent's own
 *     executor advice decides it.</li>
 * </ul>
 * Not reproduced: the JDK registers its executor as a thread container for thread dumps
 * ({@code jcmd Thread.dump_to_file} groups threads by it); recycled threads show under the root
 * container.
 */
final class RecyclingExecutor implements ExecutorService {
    private static final int RUNNING = 0;
    private static final int SHUTDOWN = 1;
    private static final int TERMINATED = 2;

    private final Recycler recycler;
    private final ThreadFactory factory;
    private final Thread.UncaughtExceptionHandler handler;
    private final boolean inheritInheritableThreadLocals;

    private final Set<RoutedTask> running = ConcurrentHashMap.newKeySet();
    private final AtomicInteger state = new AtomicInteger(RUNNING);
    private final CountDownLatch terminated = new CountDownLatch(1);

    /** @param factory the JDK's virtual thread factory ({@link JdkVirtualThreads#isJdkVirtualFactory}) */
    RecyclingExecutor(Recycler recycler, ThreadFactory factory) {
        this.recycler = Objects.requireNonNull(recycler);
        this.factory = factory;
        this.handler = JdkVirtualThreads.factoryHandler(factory);
        this.inheritInheritableThreadLocals = JdkVirtualThreads.factoryInherits(factory);
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public void shutdown() {
        if (!isShutdown()) {
            shutdownAndTryTerminate(false);
        }
    }

    @Override
    public List<Runnable> shutdownNow() {
        if (!isTerminated()) {
            shutdownAndTryTerminate(true);
        }
        return List.of(); // like the JDK: every task was already started, none is waiting
    }

    @Override
    public boolean isShutdown() {
        return state.get() >= SHUTDOWN;
    }

    @Override
    public boolean isTerminated() {
        return state.get() >= TERMINATED;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit);
        return isTerminated() || terminated.await(timeout, unit);
    }

    @Override
    public void close() {
        if (isTerminated()) {
            return;
        }
        shutdownAndTryTerminate(false);
        boolean interrupted = false;
        boolean done = false;
        while (!done) {
            try {
                done = awaitTermination(1L, TimeUnit.DAYS);
            } catch (InterruptedException e) {
                if (!interrupted) {
                    // An interrupted closer interrupts the tasks once, then keeps waiting for them.
                    shutdownAndTryTerminate(true);
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void shutdownAndTryTerminate(boolean interruptTasks) {
        if (state.compareAndSet(RUNNING, SHUTDOWN)) {
            tryTerminate();
        }
        if (interruptTasks) {
            running.forEach(RoutedTask::interrupt);
        }
    }

    /**
     * Terminates if shut down and no task runs. Benign race: a task completing concurrently with
     * shutdown sees SHUTDOWN in {@link #taskComplete} or shutdown sees the set empty; both call this,
     * and the CAS lets exactly one of them count down.
     */
    private void tryTerminate() {
        if (running.isEmpty() && state.compareAndSet(SHUTDOWN, TERMINATED)) {
            terminated.countDown();
        }
    }

    void taskComplete(RoutedTask task) {
        running.remove(task);
        if (state.get() == SHUTDOWN) {
            tryTerminate();
        }
    }

    // ---------------------------------------------------------------- starting tasks

    /**
     * Starts {@code task} at once. The order (add to the set, then re-check RUNNING) mirrors the JDK:
     * a shutdown racing with this either sees the task in the set (and waits for it) or this sees
     * the shutdown (and rejects).
     */
    private RoutedTask start(Runnable task, Object submitted) {
        Objects.requireNonNull(task);
        if (isShutdown()) {
            throw new RejectedExecutionException();
        }
        // Drawn here, at submission, as ThreadPerTaskExecutor draws it when it creates the thread.
        String name = JdkVirtualThreads.factoryNextName(factory);
        RoutedTask routed = new RoutedTask(this, task, TaskContext.capture(submitted));
        running.add(routed);
        boolean started = false;
        try {
            if (state.get() == RUNNING) {
                routed.started(RouteSwitch.recycles(RouteSwitch.EXECUTOR)
                        ? recycler.start(routed, name, handler, inheritInheritableThreadLocals)
                        : recycler.startFresh(routed, name, handler, inheritInheritableThreadLocals));
                started = true;
            }
        } finally {
            if (!started) {
                taskComplete(routed);
            }
        }
        if (!started) {
            throw new RejectedExecutionException();
        }
        return routed;
    }

    @Override
    public void execute(Runnable task) {
        start(task, task);
    }

    @Override
    public <T> Future<T> submit(Callable<T> task) {
        return submitTask(task, task);
    }

    @Override
    public Future<?> submit(Runnable task) {
        return submitTask(Executors.callable(task), task);
    }

    @Override
    public <T> Future<T> submit(Runnable task, T result) {
        return submitTask(Executors.callable(task, result), task);
    }

    /** {@code submitted}: the caller's own task object, for {@link TaskContext#capture}. */
    private <T> Future<T> submitTask(Callable<T> task, Object submitted) {
        Objects.requireNonNull(task);
        FutureTask<T> future = new FutureTask<>(task);
        start(future, submitted);
        return future;
    }

    // ---------------------------------------------------------------- bulk

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        return invokeAll(tasks, false, 0L);
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException {
        return invokeAll(tasks, true, System.nanoTime() + unit.toNanos(timeout));
    }

    /** Starts all, waits for each in order (until the deadline); whatever has not finished is cancelled. */
    private <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, boolean timed, long deadline)
            throws InterruptedException {
        Objects.requireNonNull(tasks);
        List<Future<T>> futures = new ArrayList<>(tasks.size());
        int waited = 0;
        try {
            for (Callable<T> task : tasks) {
                futures.add(submit(task));
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

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        try {
            return invokeAny(tasks, false, 0L);
        } catch (TimeoutException e) {
            throw new InternalError(e); // untimed: cannot happen
        }
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        Objects.requireNonNull(unit);
        return invokeAny(tasks, true, System.nanoTime() + unit.toNanos(timeout));
    }

    /** Starts all; the first success wins; every task still running afterwards is interrupted. */
    private <T> T invokeAny(Collection<? extends Callable<T>> tasks, boolean timed, long deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        int size = tasks.size();
        if (size == 0) {
            throw new IllegalArgumentException("'tasks' is empty");
        }
        AnyResult<T> any = new AnyResult<>(Thread.currentThread());
        List<RoutedTask> started = new ArrayList<>(size);
        try {
            for (Callable<T> task : tasks) {
                if (started.size() == size) {
                    break; // the collection grew while we iterated; the JDK also stops at the size it saw
                }
                Objects.requireNonNull(task);
                started.add(start(() -> {
                    try {
                        any.succeeded(task.call());
                    } catch (Throwable failure) {
                        any.failed(failure);
                    }
                }, task));
            }
            if (started.isEmpty()) {
                throw new IllegalArgumentException("'tasks' is empty");
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            return any.await(started.size(), timed, deadline);
        } finally {
            for (RoutedTask task : started) {
                task.interrupt(); // a no-op for tasks that are done
            }
        }
    }

    @Override
    public String toString() {
        String s = switch (state.get()) {
            case RUNNING -> "running";
            case SHUTDOWN -> "shutting down";
            default -> "terminated";
        };
        return "RecyclingExecutor@" + Integer.toHexString(System.identityHashCode(this)) + "[" + s
                + ", tasks=" + running.size() + "]";
    }
}
