package dev.vtrecycler.bootstrap.routing;

import dev.vtrecycler.bootstrap.recycler.TaskHandle;

/**
 * One task of a {@link RecyclingExecutor}: runs the user's task, tells the executor when it is done,
 * and takes interrupts meant for it.
 *
 * <p>An interrupt is never sent to a thread, only to this task: through the recycler's
 * {@link TaskHandle}, which delivers it only while the thread still runs this task, so a thread that
 * has moved on to a later task never sees it. Two gaps are closed with the {@link #interruptRequested}
 * flag: an interrupt that arrives before the handle exists (the recycler has not returned from
 * {@code start} yet), and one that arrives before the task body began. The JDK behaves the same way
 * there, because interrupting a thread that is not started yet leaves it interrupted when it starts.
 *
 * <p>Why no interrupt is lost: {@link #interrupt()} writes the flag then reads the handle;
 * {@link #started} writes the handle then reads the flag; {@link #run()} reads the flag before the
 * body. Both fields are volatile, so at least one side sees the other's write (Dekker), and the task
 * is interrupted either by its own thread, by the interrupter, or by the starter. Delivering it twice
 * is harmless: interrupt status is a flag.
 */
final class RoutedTask implements Runnable {
    private final RecyclingExecutor executor;
    private final Runnable task;
    private volatile TaskHandle handle;
    private volatile boolean interruptRequested;

    RoutedTask(RecyclingExecutor executor, Runnable task) {
        this.executor = executor;
        this.task = task;
    }

    @Override
    public void run() {
        try {
            if (interruptRequested) {
                Thread.currentThread().interrupt();
            }
            task.run();
        } finally {
            executor.taskComplete(this);
        }
    }

    /** Records the recycler's handle once start returned. */
    void started(TaskHandle h) {
        handle = h;
        if (interruptRequested) {
            h.interrupt();
        }
    }

    /** Interrupts this task if it has not finished; a no-op once it has. */
    void interrupt() {
        interruptRequested = true;
        TaskHandle h = handle;
        if (h != null) {
            h.interrupt();
        }
    }

    /** The thread running this task right now, or null (not yet running, or done). For diagnostics. */
    Thread thread() {
        TaskHandle h = handle;
        return h == null ? null : h.thread();
    }
}
