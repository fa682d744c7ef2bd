package dev.vtrecycler.bootstrap.recycler;

/** A task on a pooled thread: the worker plus the task's handoff sequence number. */
final class RecycledTask implements TaskHandle {
    private final Worker worker;
    private final long seq;

    RecycledTask(Worker worker, long seq) {
        this.worker = worker;
        this.seq = seq;
    }

    Worker worker() {
        return worker;
    }

    long seq() {
        return seq;
    }

    @Override
    public boolean interrupt() {
        return worker.interrupt(seq);
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
