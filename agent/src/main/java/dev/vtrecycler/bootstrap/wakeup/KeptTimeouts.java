package dev.vtrecycler.bootstrap.wakeup;

import java.util.concurrent.ForkJoinTask;

/**
 * The quiet tasks a {@link ReusableTimeout} keeps until the marker proves them out of the scheduler
 * (its point 13), oldest first, each with its need. Owner thread only: no synchronization.
 *
 * <p>A first-in-first-out ring, so a timed park looks at one task, not all: needs only grow along it
 * (each is {@code tickets + 1} read when it was taken, and {@code tickets} only grows; a task that
 * takes a new need, for its cleanup round, goes to the back), so when the oldest need is not reached
 * no later one is. It starts at {@link #FIRST} slots, made at the first task kept, and doubles when a
 * task finds it full, up to {@link #MAX} (allocation only while it grows); beyond that a quiet task is
 * dropped, which costs nothing but its re-arm.
 */
final class KeptTimeouts {
    static final int FIRST = 16;
    /**
     * About 80 KB with the tasks, for a thread that outpaces a starved delay scheduler thread: the
     * early wake-ups of one of its turns (about 300 at one every 6-8 µs when it comes round every 2 ms,
     * docs/scheduling.md, Results), with room for the turns it misses.
     */
    static final int MAX = 1024;

    private ForkJoinTask<?>[] tasks;
    private long[] needs;
    private int head;
    private int size;

    boolean isEmpty() {
        return size == 0;
    }

    ForkJoinTask<?> oldest() {
        return tasks[head];
    }

    long oldestNeed() {
        return needs[head];
    }

    /** The newest need: covering it covers every need kept (none is higher). */
    long newestNeed() {
        return needs[(head + size - 1) & (tasks.length - 1)];
    }

    /**
     * Removes the oldest task. A ring grown past {@link #FIRST} is let go when it empties: a thread
     * whose burst of early wake-ups is over (every kept task re-armed or dropped) does not hold 16 KB
     * of slots for the rest of its life; the next burst grows a new one (a few arrays per burst).
     */
    void removeOldest() {
        tasks[head] = null;
        head = (head + 1) & (tasks.length - 1);
        if (--size == 0 && tasks.length > FIRST) {
            tasks = null;
            needs = null;
            head = 0;
        }
    }

    /**
     * The oldest task goes to the back with {@code need} (its cleanup round's, the highest so far):
     * never lets the ring go or grows it, so nothing is allocated.
     */
    void moveOldestToBack(long need) {
        ForkJoinTask<?> t = tasks[head];
        tasks[head] = null;
        head = (head + 1) & (tasks.length - 1);
        int tail = (head + size - 1) & (tasks.length - 1);
        tasks[tail] = t;
        needs[tail] = need;
    }

    /** Slots in the ring now (0 before the first task kept, or after a grown ring was let go). */
    int capacity() {
        return tasks == null ? 0 : tasks.length;
    }

    /** Keeps {@code t} with {@code need} as the newest; false when full at {@link #MAX} (dropped). */
    boolean add(ForkJoinTask<?> t, long need) {
        if (tasks == null) {
            tasks = new ForkJoinTask<?>[FIRST];
            needs = new long[FIRST];
        } else if (size == tasks.length && !grow()) {
            return false;
        }
        int tail = (head + size) & (tasks.length - 1);
        tasks[tail] = t;
        needs[tail] = need;
        size++;
        return true;
    }

    private boolean grow() {
        int n = tasks.length;
        if (n >= MAX) {
            return false;
        }
        ForkJoinTask<?>[] t = new ForkJoinTask<?>[n * 2];
        long[] d = new long[n * 2];
        for (int i = 0; i < n; i++) {
            t[i] = tasks[(head + i) & (n - 1)];
            d[i] = needs[(head + i) & (n - 1)];
        }
        tasks = t;
        needs = d;
        head = 0;
        return true;
    }

    /** For tests. */
    int size() {
        return size;
    }
}
