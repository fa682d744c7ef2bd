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
 * nothing that can park or allocate ({@link #ensureRoom} allocates first, before anything moves).
 * A virtual holder is never preempted by another virtual thread (virtual threads only unmount when
 * they park), but a platform holder (a platform submitter, the housekeeper) can be preempted by
 * the OS; see {@link #lock()} for how waiters behave then.
 *
 * <p>Invariant: every entry is IDLE_GLOBAL. Workers reach this list only under the lock, by a
 * successful IDLE_LOCAL -> IDLE_GLOBAL CAS (spill, purge) or by publishing IDLE_GLOBAL themselves
 * (a platform submitter's worker coming back, {@link FreeLists#putGlobal}), and leave it (under the
 * lock) before any other transition, so unlike local lists it never holds stale entries, and
 * {@link #size} is the exact count.
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
    private static final int INITIAL_CAPACITY = 64;
    private Worker[] items = new Worker[INITIAL_CAPACITY];
    /** Guarded by the lock; read racily by gauges and by the empty check before a refill. */
    private volatile int size;
    /** Sum of {@link Worker#stackBytes} over the entries; guarded by the lock. */
    private volatile long stackBytes;

    void lock() {
        if (!LOCK.compareAndSet(this, 0, 1)) {
            lockContended();
        }
    }

    private static final int SPINS = 128;
    private static final int YIELDS = 16;
    private static final long MAX_BACKOFF_NANOS = 1_000_000;

    /**
     * Bounded spinning: {@value #SPINS} spin-waits, then (platform threads only) {@value #YIELDS}
     * OS yields, then sleeps that double from 10 us to 1 ms. Spinning forever was not safe: with a
     * preempted platform holder, every carrier that spills or refills would spin pinned, and on a
     * small machine the spinners take the very CPUs the holder needs to finish.
     *
     * <p>Why the waiting side is safe: a waiter holds nothing (the lock is not taken yet; pinning
     * holds only its own continuation), so sleeping cannot deadlock with the holder, whose critical
     * section never waits for anything. A pinned virtual waiter's sleep blocks its carrier's OS
     * thread, which is what its spinning did, minus the CPU. Sleep, not park: a sleeping virtual
     * thread keeps its park permit (VirtualThread.sleepNanos saves and restores it), so an unpark
     * aimed at the submitter's own code is never consumed here; and the interrupt status is kept.
     */
    private void lockContended() {
        long backoff = 10_000;
        boolean platform = !Thread.currentThread().isVirtual();
        for (int round = 0; !LOCK.compareAndSet(this, 0, 1); round++) {
            if (round < SPINS) {
                Thread.onSpinWait();
            } else if (platform && round < SPINS + YIELDS) {
                Thread.yield();
            } else {
                sleepKeepingInterrupt(backoff);
                backoff = Math.min(MAX_BACKOFF_NANOS, backoff * 2);
            }
        }
    }

    private static void sleepKeepingInterrupt(long nanos) {
        boolean interrupted = Thread.interrupted();
        try {
            Thread.sleep(0, (int) Math.min(nanos, 999_999));
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Test hook: true if nobody holds the lock. */
    boolean unlocked() {
        return (int) LOCK.getVolatile(this) == 0;
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

    /**
     * Under the lock, BEFORE any worker changes kind: makes room for {@code more} pushes. The only
     * allocation under the lock, so an OutOfMemoryError here leaves every worker where it was.
     * Grows only on a spill that outgrows every previous one: amortized away, and the GC drain
     * shrinks the array again after a burst.
     */
    void ensureRoom(int more) {
        if (Faults.ARMED) {
            Faults.at(Faults.Step.GLOBAL_GROW);
        }
        int needed = size + more;
        if (needed > items.length) {
            items = Arrays.copyOf(items, Math.max(needed, items.length * 2));
        }
    }

    /** Under the lock, after {@link #ensureRoom}: never allocates. The worker must already be IDLE_GLOBAL. */
    void push(Worker w) {
        int n = size;
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

    /**
     * Under the lock (GC drain, idle retirement): removes the entries idle since before
     * {@code stamp} (their {@link Worker#idleSinceNanos} is older; every entry with {@code all}), at
     * most {@code out.length}, into {@code out}; the rest keep their LIFO order. Allocates first, so a failure changes nothing; an array a burst
     * grew goes back to its initial size once what is left fits.
     */
    int removeIdleSince(long stamp, boolean all, Worker[] out) {
        if (Faults.ARMED) {
            Faults.at(Faults.Step.DRAIN);
        }
        Worker[] small = items.length > INITIAL_CAPACITY ? new Worker[INITIAL_CAPACITY] : null;
        int kept = 0;
        int removed = 0;
        int n = size;
        long bytes = stackBytes;
        for (int i = 0; i < n; i++) {
            Worker w = items[i];
            if (removed < out.length && (all || w.idleSinceNanos - stamp < 0)) {
                out[removed++] = w;
                bytes -= w.stackBytes;
            } else {
                items[kept++] = w;
            }
        }
        if (small != null && kept <= INITIAL_CAPACITY) {
            System.arraycopy(items, 0, small, 0, kept);
            items = small;
        } else {
            Arrays.fill(items, kept, n, null);
        }
        size = kept;
        stackBytes = bytes;
        return removed;
    }

    /** Test hook, under the lock: whether w is listed. */
    boolean contains(Worker w) {
        for (int i = 0; i < size; i++) {
            if (items[i] == w) {
                return true;
            }
        }
        return false;
    }

    /** Capacity of the backing array (test: it shrinks after a burst). */
    int capacity() {
        return items.length;
    }
}
