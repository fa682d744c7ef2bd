package dev.vtrecycler.bootstrap.routing;

import dev.vtrecycler.bootstrap.context.TaskContext;
import dev.vtrecycler.bootstrap.recycler.TaskHandle;

/**
 * One task of a {@link RecyclingExecutor}: runs the user's task, tells the executor when it is done,
 * and takes interrupts meant for it.
 *
 * <p>An interrupt is never sent to a thread, only to this task: through the recycler's
 * {@link TaskHandle}, which delivers it only while the thread still runs this task, so a thread that
 * has moved on to a later task never sees it. Before the body began (the recycler has not returned
 * from {@code start} yet, or its thread has not run us yet) the interrupt is only recorded in
 * {@link #interruptRequested} and the task interrupts itself as it begins. The JDK behaves the same
 * way there: interrupting a thread that is not started yet leaves it interrupted when it starts. That
 * also keeps the interrupter from waiting on the recycler's hand-off to a thread not yet scheduled.
 *
 * <p>Why no interrupt is lost (all three fields volatile, each pair a Dekker handshake, so at least
 * one side of each pair sees the other's write):
 * <ul>
 * <li>{@link #interrupt()} writes the flag, then reads {@link #began}; {@link #run()} writes
 *     {@code began}, then reads the flag. So either the body sees the flag and interrupts itself, or
 *     the interrupter sees {@code began}.</li>
 * <li>An interrupter that saw {@code began} but no handle yet: it wrote the flag before reading the
 *     handle; {@link #started} writes the handle, then reads the flag, and delivers.</li>
 * </ul>
 * Delivering twice is harmless: interrupt status is a flag.
 *
 * <p>{@link #context} is what {@link TaskContext#capture} took from the submitter (an APM agent's trace
 * context, usually null); it is current exactly while the user's task runs.
 */
final class RoutedTask implements Runnable {
    private final RecyclingExecutor executor;
    private final Runnable task;
    private final Object context;
    private volatile TaskHandle handle;
    private volatile boolean interruptRequested;
    private volatile boolean began;

    RoutedTask(RecyclingExecutor executor, Runnable task, Object context) {
        this.executor = executor;
        this.task = task;
        this.context = context;
    }

    @Override
    public void run() {
        try {
            began = true;
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
            executor.taskComplete(this);
        }
    }

    /** Records the recycler's handle once start returned. */
    void started(TaskHandle h) {
        handle = h;
        if (interruptRequested && began) {
            h.interrupt();
        }
    }

    /** Interrupts this task if it has not finished; a no-op once it has. */
    void interrupt() {
        interruptRequested = true;
        if (began) {
            TaskHandle h = handle;
            if (h != null) {
                h.interrupt();
            }
        }
    }
}
