package dev.vtrecycler.bootstrap.recycler;

/**
 * Interrupts aimed at tasks, never at threads: one task through its (worker, seq) token (a
 * {@link TaskHandle}), or every task of one {@link TaskOwner} that runs on a pooled thread now
 * (the recycling executor's shutdownNow). A pooled thread moves on to other owners' tasks, so an
 * interrupt that named only the thread could reach a task it was not meant for.
 */
final class TaskInterrupts {
    private TaskInterrupts() {}

    /**
     * RUNNING(seq) -> INTERRUPTING(seq) -> interrupt -> RUNNING(seq). The worker's end-of-task CAS
     * waits out INTERRUPTING, and it clears the interrupt status only after, so an interrupt is
     * either delivered to this task or not at all; it can never reach a later one. Returns true if
     * delivered.
     */
    static boolean interrupt(Worker w, long seq) {
        for (int spins = 0; ; spins++) {
            long s = w.state();
            if (Worker.seq(s) != seq) {
                return false;
            }
            int k = Worker.kind(s);
            if (k == Worker.HANDED || k == Worker.TAKEN) {
                // The worker is about to start this task (it clears the interrupt status first):
                // deliver once it runs. Yield, not spin, past a few rounds: it may need our carrier.
                if (spins < 64) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
                continue;
            }
            if (k != Worker.RUNNING) {
                return false; // INTERRUPTING: another interrupt is being delivered right now; done
            }
            if (w.tryStartInterrupting(s)) {
                try {
                    w.thread.interrupt();
                } finally {
                    w.endInterrupting(s);
                }
                return true;
            }
        }
    }

    /**
     * Interrupts every task of {@code owner} handed to a pooled thread and not ended, each through
     * its (worker, seq) token, so a worker that has moved on to another owner's task is left alone
     * ({@link Worker#ownerWhileRunning} says why its racy read of the owner is sound). Returns how
     * many were delivered.
     *
     * <p>Not seen by this pass: a task whose hand-off comes after the pass read that worker's
     * state. The owner covers those itself (the recycling executor raises a volatile flag before
     * calling this, and each of its tasks reads the flag after its worker's CAS out of HANDED: one
     * side of that Dekker pair sees the other). The view of live workers is weakly consistent: a
     * worker created after the pass began may be missed, and its task then sees the flag the same
     * way.
     *
     * <p>Cost: one pass over every live pooled thread, idle ones included (one volatile read each):
     * proportional to the pool, not to the owner's tasks. Fine for shutdownNow and an interrupted
     * close, which are rare; not meant for a per-task path.
     */
    static int interruptOwnedBy(TaskOwner owner) {
        int delivered = 0;
        for (Worker w : PooledThreads.live()) {
            long s = w.state();
            if (Worker.taskRunning(Worker.kind(s)) && w.ownerWhileRunning(s) == owner
                    && interrupt(w, Worker.seq(s))) {
                delivered++;
            }
        }
        return delivered;
    }
}
