package dev.vtrecycler.bootstrap.recycler;

/**
 * One carrier's free list (Go: {@code p.gFree}): a plain LIFO array, no allocation per put/get.
 *
 * <p>Only code running on {@link #owner} while pinned touches {@link #items}/{@link #size} for
 * writing, so no synchronization is needed (DESIGN 3: unpinned lists lost tasks). Two readers break
 * that rule on purpose, both benign: the housekeeper's idle scan and the gauges read the array
 * racily, and only ever act through a worker's state CAS (or merely count); a stale or torn view
 * costs at most one early/late retirement or a momentarily off gauge. After the owner dies
 * (gfpurge) nobody writes the list any more and the housekeeper empties it.
 *
 * <p>A worker retired while listed (idle timeout) leaves a stale entry until the owner's next
 * get or spill drops it: at most localCap-1 small Worker objects per carrier, which hold no thread,
 * loader or handler once their thread ended (WorkerLoop clears them).
 */
final class LocalList {
    /** The carrier this list belongs to; null for lists built by unit tests. */
    final Thread owner;
    final Worker[] items;
    int size;
    /** Set by {@link FreeLists#get}: whether that get had to refill from the global list. */
    boolean lastGetRefilled;
    /** Largest size any put left behind (test invariant: at most localCap-1). */
    int maxSizeAfterPut;

    LocalList(Thread owner, int localCap) {
        this.owner = owner;
        this.items = new Worker[localCap]; // a put reaches localCap at most, then spills
    }

    void push(Worker w) {
        items[size++] = w;
    }

    Worker pop() {
        int n = size - 1;
        Worker w = items[n];
        items[n] = null; // an idle list must not keep retired or handed-off workers reachable
        size = n;
        return w;
    }
}
