package dev.vtrecycler.bootstrap.recycler;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Retired workers whose wake-up failed (the scheduler's submit threw, e.g. OutOfMemoryError while
 * allocating its task): they are in no list and parked, so nothing else would ever let their
 * threads end. A Treiber stack linked through {@link Worker#nextPendingWake}, so recording one
 * allocates nothing; the housekeeper retries every pass.
 */
final class PendingWakes {
    private static final VarHandle HEAD;

    static {
        try {
            HEAD = MethodHandles.lookup().findVarHandle(PendingWakes.class, "head", Worker.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // via HEAD
    private volatile Worker head;

    /** Wakes a retired worker, or records it for a later try. Never throws. */
    void wakeOrDefer(Worker w) {
        try {
            w.wake();
        } catch (Throwable t) {
            Worker h;
            do {
                h = head;
                w.nextPendingWake = h;
            } while (!HEAD.compareAndSet(this, h, w));
        }
    }

    /** Housekeeper: retries every recorded wake-up (failures go back on the stack). */
    void retry() {
        for (Worker w = (Worker) HEAD.getAndSet(this, null); w != null; ) {
            Worker next = w.nextPendingWake;
            w.nextPendingWake = null;
            wakeOrDefer(w);
            w = next;
        }
    }

    boolean isEmpty() {
        return head == null;
    }
}
