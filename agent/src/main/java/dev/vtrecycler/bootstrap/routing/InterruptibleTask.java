package dev.vtrecycler.bootstrap.routing;

import dev.vtrecycler.bootstrap.recycler.TaskHandle;

/**
 * One task of an {@code invokeAny}, which must interrupt every task it started once it has a result,
 * begun or not: an interrupt that comes before the task's body began is recorded in
 * {@link #interruptRequested} and the task interrupts itself as it begins, as a JDK thread that is
 * interrupted before it starts starts interrupted. So the invoker never waits for a hand-off to a
 * thread not yet scheduled. Begun, the interrupt goes through the recycler's {@link TaskHandle},
 * which delivers it only while the thread still runs this task.
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
 * Delivering twice is harmless: interrupt status is a flag. Plain {@code execute} and {@code submit}
 * need none of this (see {@link ExecutorTasks}): only {@code invokeAny} pays for this object.
 */
final class InterruptibleTask implements Runnable {
    private final Runnable task;
    private volatile TaskHandle handle;
    private volatile boolean interruptRequested;
    private volatile boolean began;

    InterruptibleTask(Runnable task) {
        this.task = task;
    }

    @Override
    public void run() {
        began = true;
        if (interruptRequested) {
            Thread.currentThread().interrupt();
        }
        task.run();
    }

    /** Records the handle once the executor's start returned. */
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
