package dev.vtrecycler.bootstrap.recycler;

/**
 * A task on a pooled thread: the worker plus the task's handoff sequence number. Allocated before
 * the worker is claimed (so an OutOfMemoryError cannot strike between a started task and its
 * handle), filled in by the submitting thread before it returns the handle: plain fields suffice,
 * other threads only see the handle through whatever publishes the submit's result.
 */
final class RecycledTask implements TaskHandle {
    private Worker worker;
    private long seq;

    RecycledTask() {
    }

    RecycledTask of(Worker worker, long seq) {
        this.worker = worker;
        this.seq = seq;
        return this;
    }

    Worker worker() {
        return worker;
    }

    long seq() {
        return seq;
    }

    @Override
    public boolean interrupt() {
        return TaskInterrupts.interrupt(worker, seq);
    }

    @Override
    public boolean isDone() {
        return !worker.isRunning(seq);
    }

    @Override
    public Thread thread() {
        return worker.isRunning(seq) ? worker.thread : null;
    }
}
