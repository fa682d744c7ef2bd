package dev.vtrecycler.bootstrap.recycler;

/** One started task. Valid forever; after the task ends its methods are no-ops / return false. */
public interface TaskHandle {
    /**
     * Interrupts the thread while (and only while) it still runs THIS task; never a later task that
     * reused the thread. Returns true if delivered.
     */
    boolean interrupt();

    /** True once the task has returned or thrown. */
    boolean isDone();

    /** The thread running this task while it runs; null once done. */
    Thread thread();
}
