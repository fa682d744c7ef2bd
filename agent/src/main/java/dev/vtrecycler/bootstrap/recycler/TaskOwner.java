package dev.vtrecycler.bootstrap.recycler;

/**
 * Whoever a pooled task belongs to (the recycling executor): the recycler hands the owner's tasks to
 * pooled threads and lets the owner run each one there, so that the owner's per-task bookkeeping
 * needs no object of its own. Defined here, implemented above ({@code bootstrap.routing}): the
 * recycler calls down into an interface it owns, never up into a package that uses it.
 *
 * <p>While the task runs, the pooled worker holds its owner in a reused field (see
 * {@link Worker#ownerWhileRunning}), which is how {@link TaskInterrupts#interruptOwnedBy} finds
 * the owner's running tasks without a set of them.
 */
public interface TaskOwner {
    /**
     * On the pooled thread, dressed as new and published RUNNING: runs {@code task} with
     * {@code context} (what the owner captured at submission) and accounts for its end. Throws only
     * what {@code task} threw; the worker reports that as a fresh thread would.
     */
    void runOwned(Runnable task, Object context);
}
