package dev.vtrecycler.bootstrap.routing;

import dev.vtrecycler.bootstrap.context.TaskContext;
import dev.vtrecycler.bootstrap.recycler.Recycler;
import dev.vtrecycler.bootstrap.recycler.TaskOwner;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bookkeeping of one {@link RecyclingExecutor}: its run state, how many of its tasks run, and
 * how to interrupt exactly those. The {@link TaskOwner} its recycled tasks are handed over with;
 * a field of the executor, never exposed, so no caller of the executor can run "owned" code.
 *
 * <p>No object per task. A task counts as running from its acceptance until its body returned
 * ({@link #accept} .. {@link #taskEnded}); the count is one atomic number, not a set of tasks, because
 * nothing needs to name them: recycled tasks are found, for an interrupt, in the pooled workers'
 * reused fields ({@link Recycler#interruptOwnedBy}); fresh threads (the route governor sent the
 * executor's route to fresh threads, or this JDK cannot recycle) are kept in {@link #freshThreads},
 * as the JDK's executor keeps all of its threads, since a fresh thread costs far more than its entry.
 * Why one atomic and not a striped count: termination needs an exact zero, and a sum over stripes
 * read while tasks start and end can read zero while one runs (its +1 read late in one stripe, a -1
 * read in another); making that sound costs a fence per update, which is what the atomic costs.
 *
 * <p>Shutdown and termination (all volatile, each a Dekker pair):
 * <ul>
 * <li>A submitter counts the task, then re-reads the state; {@link #shutdown} writes the state, then
 *     reads the count. So either the submitter sees the shutdown (and rejects, uncounting) or the
 *     shutdown sees the task (and waits for it).</li>
 * <li>A task's end decrements, then reads the state; shutdown writes the state, then reads the count.
 *     So at least one of them sees both and terminates (the CAS lets exactly one count down).</li>
 * <li>{@link #interruptAll} raises {@link #interruptRequested}, then walks the pooled workers and
 *     the fresh threads; a task reads the flag as it begins, after its worker's CAS out of HANDED
 *     (or after its fresh thread was registered and started). A task the walk missed began after
 *     the walk looked, so it sees the flag and interrupts itself: the JDK's "a thread interrupted
 *     before it starts starts interrupted".</li>
 * </ul>
 */
final class ExecutorTasks implements TaskOwner {
    static final int RUNNING = 0;
    static final int SHUTDOWN = 1;
    static final int TERMINATED = 2;

    private final Recycler recycler;
    private final AtomicInteger state = new AtomicInteger(RUNNING);
    private final AtomicLong running = new AtomicLong();
    private final CountDownLatch terminated = new CountDownLatch(1);
    /** Set by shutdownNow (or an interrupted close): every task that begins from now on interrupts itself. */
    private volatile boolean interruptRequested;
    /** Tasks on fresh threads only; recycled tasks are never in it. */
    private final Set<Thread> freshThreads = ConcurrentHashMap.newKeySet();

    ExecutorTasks(Recycler recycler) {
        this.recycler = recycler;
    }

    int state() {
        return state.get();
    }

    long running() {
        return running.get();
    }

    /** Counts a task about to start; false (nothing counted) once shut down: reject it. */
    boolean accept() {
        running.incrementAndGet();
        if (state.get() == RUNNING) {
            return true;
        }
        taskEnded();
        return false;
    }

    /** A task accepted by {@link #accept} has returned, or was never started after all. */
    void taskEnded() {
        if (running.decrementAndGet() == 0 && state.get() == SHUTDOWN) {
            tryTerminate();
        }
    }

    /** RUNNING -> SHUTDOWN (once); terminates at once when no task runs. */
    void shutdown() {
        if (state.compareAndSet(RUNNING, SHUTDOWN)) {
            tryTerminate();
        }
    }

    private void tryTerminate() {
        if (running.get() == 0 && state.compareAndSet(SHUTDOWN, TERMINATED)) {
            terminated.countDown();
        }
    }

    boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return state.get() == TERMINATED || terminated.await(timeout, unit);
    }

    /** Interrupts every task of this executor that has not returned, and every one that begins later. */
    void interruptAll() {
        interruptRequested = true;
        recycler.interruptOwnedBy(this);
        freshThreads.forEach(Thread::interrupt);
    }

    /** On the task's thread, pooled or fresh: the task's body, with its context, then its end. */
    @Override
    public void runOwned(Runnable task, Object context) {
        try {
            if (interruptRequested) {
                Thread.currentThread().interrupt();
            }
            Object scope = TaskContext.enter(context);
            try {
                task.run();
            } finally {
                TaskContext.exit(scope);
            }
        } finally {
            taskEnded();
        }
    }

    /**
     * A task on a fresh thread, as the JDK starts one: registered before it starts (an interrupt
     * before the start leaves it interrupted when it starts), unregistered when it ends.
     */
    Thread startFresh(Runnable task, Object context, String name, Thread.UncaughtExceptionHandler handler,
                      boolean inherit) {
        Thread thread = Recycler.unstartedFresh(() -> {
            try {
                runOwned(task, context);
            } finally {
                freshThreads.remove(Thread.currentThread());
            }
        }, name, handler, inherit);
        freshThreads.add(thread);
        try {
            thread.start();
        } catch (Throwable t) {
            freshThreads.remove(thread);
            throw t;
        }
        return thread;
    }
}
