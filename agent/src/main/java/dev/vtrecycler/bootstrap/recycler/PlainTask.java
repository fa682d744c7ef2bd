package dev.vtrecycler.bootstrap.recycler;

/** A task on a fresh, unshared virtual thread (recycling unavailable on this JDK, or a route the governor sent to fresh threads). */
public final class PlainTask implements TaskHandle {
    private final Thread thread;

    public PlainTask(Thread thread) {
        this.thread = thread;
    }

    @Override
    public boolean interrupt() {
        if (!thread.isAlive()) {
            return false;
        }
        thread.interrupt();
        return true;
    }

    @Override
    public boolean isDone() {
        return thread.getState() == Thread.State.TERMINATED;
    }

    @Override
    public Thread thread() {
        return isDone() ? null : thread;
    }
}
