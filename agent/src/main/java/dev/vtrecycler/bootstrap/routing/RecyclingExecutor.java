package dev.vtrecycler.bootstrap.routing;

import dev.vtrecycler.bootstrap.context.TaskContext;
import dev.vtrecycler.bootstrap.recycler.Recycler;

import dev.vtrecycler.bootstrap.recycler.PlainTask;
import dev.vtrecycler.bootstrap.recycler.TaskHandle;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
 * <li>Interrupts go to tasks, never to threads: shutdownNow interrupts this executor's running tasks
 *     through their pooled workers' (owner, seq) tokens ({@link ExecutorTasks}), never a task of
 *     another executor that a recycled thread runs now; a cancelled {@link FutureTask} interrupts its
 *     runner itself, and FutureTask.run does not return before that interrupt was delivered, so it
 *     cannot leak into the thread's next task either.</li>
 * <li>Allocation: {@code execute} allocates nothing of its own on a recycled thread (the task's
 *     state rides in the pooled worker's reused fields); {@code submit} allocates its
 *     {@link FutureTask} (and, for a Runnable, the adapter FutureTask makes); a factory with a name
 *     prefix allocates each name, as the JDK does.</li>
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
    private final Recycler recycler;
    private final ThreadFactory factory;
    private final Thread.UncaughtExceptionHandler handler;
    private final boolean inheritInheritableThreadLocals;
    private final ExecutorTasks tasks;

    /** @param factory the JDK's virtual thread factory ({@link JdkVirtualThreads#isJdkVirtualFactory}) */
    RecyclingExecutor(Recycler recycler, ThreadFactory factory) {
        this.recycler = Objects.requireNonNull(recycler);
        this.factory = factory;
        this.handler = JdkVirtualThreads.factoryHandler(factory);
        this.inheritInheritableThreadLocals = JdkVirtualThreads.factoryInherits(factory);
        this.tasks = new ExecutorTasks(recycler);
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public void shutdown() {
        tasks.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
        if (!isTerminated()) {
            tasks.shutdown();
            tasks.interruptAll();
        }
        return List.of(); // like the JDK: every task was already started, none is waiting
    }

    @Override
    public boolean isShutdown() {
        return tasks.state() >= ExecutorTasks.SHUTDOWN;
    }

    @Override
    public boolean isTerminated() {
        return tasks.state() >= ExecutorTasks.TERMINATED;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit);
        return tasks.awaitTermination(timeout, unit);
    }

    @Override
    public void close() {
        if (isTerminated()) {
            return;
        }
        tasks.shutdown();
        boolean interrupted = false;
        boolean done = false;
        while (!done) {
            try {
                done = awaitTermination(1L, TimeUnit.DAYS);
            } catch (InterruptedException e) {
                if (!interrupted) {
                    // An interrupted closer interrupts the tasks once, then keeps waiting for them.
                    tasks.interruptAll();
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- starting tasks

    /**
     * Starts {@code task} at once, counted by {@link ExecutorTasks#accept} before the hand-off (so a
     * racing shutdown either waits for it or makes this reject it, as in the JDK). Returns its handle
     * only when {@code wantHandle} (invokeAny), else null: the recycled path then allocates nothing.
     */
    TaskHandle start(Runnable task, Object submitted, boolean wantHandle) {
        Objects.requireNonNull(task);
        if (isShutdown()) {
            throw new RejectedExecutionException();
        }
        // Drawn here, at submission, as ThreadPerTaskExecutor draws it when it creates the thread.
        String name = JdkVirtualThreads.factoryNextName(factory);
        Object context = TaskContext.capture(submitted);
        if (!tasks.accept()) {
            throw new RejectedExecutionException();
        }
        boolean started = false;
        try {
            TaskHandle handle = null;
            if (RouteSwitch.recycles(RouteSwitch.EXECUTOR) && recycler.recycles()) {
                if (wantHandle) {
                    handle = recycler.startOwned(tasks, task, context, name, handler, inheritInheritableThreadLocals);
                } else {
                    recycler.executeOwned(tasks, task, context, name, handler, inheritInheritableThreadLocals);
                }
            } else {
                Thread fresh = tasks.startFresh(task, context, name, handler, inheritInheritableThreadLocals);
                handle = wantHandle ? new PlainTask(fresh) : null;
            }
            started = true;
            return handle;
        } finally {
            if (!started) {
                tasks.taskEnded(); // it never ran: uncount it; the failure goes to the caller
            }
        }
    }

    @Override
    public void execute(Runnable task) {
        start(task, task, false);
    }

    @Override
    public <T> Future<T> submit(Callable<T> task) {
        Objects.requireNonNull(task);
        return submitTask(new FutureTask<>(task), task);
    }

    @Override
    public Future<?> submit(Runnable task) {
        Objects.requireNonNull(task);
        return submitTask(new FutureTask<>(task, null), task);
    }

    @Override
    public <T> Future<T> submit(Runnable task, T result) {
        Objects.requireNonNull(task);
        return submitTask(new FutureTask<>(task, result), task);
    }

    /** {@code submitted}: the caller's own task object, for {@link TaskContext#capture}. */
    private <T> Future<T> submitTask(FutureTask<T> future, Object submitted) {
        start(future, submitted, false);
        return future;
    }

    // ---------------------------------------------------------------- bulk

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        return BulkInvocations.invokeAll(this, tasks, false, 0L);
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException {
        return BulkInvocations.invokeAll(this, tasks, true, System.nanoTime() + unit.toNanos(timeout));
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        try {
            return BulkInvocations.invokeAny(this, tasks, false, 0L);
        } catch (TimeoutException e) {
            throw new InternalError(e); // untimed: cannot happen
        }
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        Objects.requireNonNull(unit);
        return BulkInvocations.invokeAny(this, tasks, true, System.nanoTime() + unit.toNanos(timeout));
    }

    @Override
    public String toString() {
        String s = switch (tasks.state()) {
            case ExecutorTasks.RUNNING -> "running";
            case ExecutorTasks.SHUTDOWN -> "shutting down";
            default -> "terminated";
        };
        return "RecyclingExecutor@" + Integer.toHexString(System.identityHashCode(this)) + "[" + s
                + ", tasks=" + tasks.running() + "]";
    }
}
