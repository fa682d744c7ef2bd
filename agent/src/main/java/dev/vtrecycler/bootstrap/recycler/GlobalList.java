package dev.vtrecycler.bootstrap.recycler;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The global free list (Go: {@code sched.gFree}), LIFO, behind a spin lock.
 *
 * <p>Why a spin lock: callers hold it while pinned to a carrier (spill and refill run inside a
 * local list's critical section), where a parking lock would block the whole carrier, and every
 * critical section is a short loop over at most {@code localCap/2 + 1} references that calls
 * nothing that can park. A holder is never preempted by another virtual thread (virtual threads
 * only unmount when they park), so waiting for it is bounded by the OS scheduler; past a few
 * spins we {@link Thread#yield()} the carrier's OS thread.
 *
 * <p>Invariant: every entry is IDLE_GLOBAL. Workers reach this list only by a successful
 * IDLE_LOCAL -> IDLE_GLOBAL CAS and leave it (under the lock) before any other transition, so
 * unlike local lists it never holds stale entries, and {@link #size} is the exact count.
 */
final class GlobalList {
    private static final VarHandle LOCK;

    static {
        try {
            LOCK = MethodHandles.lookup().findVarHandle(GlobalList.class, "lock", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // via LOCK
    private volatile int lock;
    private Worker[] items = new Worker[64];
    /** Guarded by the lock; read racily by gauges and by the empty check before a refill. */
    private volatile int size;
    /** Sum of {@link Worker#stackBytes} over the entries; guarded by the lock. */
    private volatile long stackBytes;

    void lock() {
        int spins = 0;
        while (!LOCK.compareAndSet(this, 0, 1)) {
            if (++spins < 100) {
                Thread.onSpinWait();
            } else {
                spins = 0;
                platformYield();
            }
        }
    }

    /**
     * Gives the OS thread away without unmounting: Thread.yield() on a virtual thread would
     * yield the continuation, which we must not do while pinned in a critical section (it is a
     * no-op then anyway, but on a platform thread it is the right thing).
     */
    private static void platformYield() {
        if (!Thread.currentThread().isVirtual()) {
            Thread.yield();
        }
    }

    void unlock() {
        LOCK.setRelease(this, 0);
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    long stackBytes() {
        return stackBytes;
    }

    /** Under the lock. The worker must already be IDLE_GLOBAL. */
    void push(Worker w) {
        int n = size;
        if (n == items.length) {
            // Growing allocates, but only on a spill that outgrows every previous one: amortized
            // away, and a GC drain empties the list anyway.
            items = Arrays.copyOf(items, n * 2);
        }
        items[n] = w;
        size = n + 1;
        stackBytes += w.stackBytes;
    }

    /** Under the lock; null when empty. */
    Worker pop() {
        int n = size - 1;
        if (n < 0) {
            return null;
        }
        Worker w = items[n];
        items[n] = null;
        size = n;
        stackBytes -= w.stackBytes;
        return w;
    }

    /** Under the lock: empties the list (GC drain) and returns what it held. */
    Worker[] takeAll() {
        Worker[] all = Arrays.copyOf(items, size);
        Arrays.fill(items, 0, size, null);
        size = 0;
        stackBytes = 0;
        return all;
    }

    /**
     * Under the lock: removes every entry matching (LIFO order kept for the rest). Used by the
     * housekeeper for idle retirement; the caller retires what it gets back.
     */
    int removeIf(java.util.function.Predicate<Worker> match, Worker[] out) {
        int kept = 0;
        int removed = 0;
        int n = size;
        long bytes = stackBytes;
        for (int i = 0; i < n; i++) {
            Worker w = items[i];
            if (removed < out.length && match.test(w)) {
                out[removed++] = w;
                bytes -= w.stackBytes;
            } else {
                items[kept++] = w;
            }
        }
        Arrays.fill(items, kept, n, null);
        size = kept;
        stackBytes = bytes;
        return removed;
    }
}
