package dev.vtrecycler.bootstrap.recycler;

import java.util.Arrays;

/**
 * The per-carrier free lists (Go: each P's {@code gFree}) and the pinned critical sections around
 * them: {@link #take} is gfget for a virtual submitter, {@link #put} is gfput for a finished worker.
 * Keeps the registry of every live carrier's list for the housekeeper (idle scan, gfpurge) and the
 * gauges.
 *
 * <p>Why pinned: a list belongs to one carrier and is touched only by code running on it; a virtual
 * thread that unmounted in the middle (a contended lock, a class load) would let another virtual
 * thread on the same carrier modify the same list (DESIGN 3: unpinned lists lost tasks and hung).
 */
final class CarrierLists {
    private final FreeLists lists;
    private final int localCap;
    /** Per-carrier lists keyed by carrier (a CarrierThreadLocal). */
    private final ThreadLocal<LocalList> byCarrier = JdkInternals.newCarrierLocal();
    private final Object registryLock = new Object();
    /** Every live carrier's list. Copy-on-write: readers (housekeeper, gauges) never lock. */
    private volatile LocalList[] registry = new LocalList[0];

    CarrierLists(FreeLists lists, int localCap) {
        this.lists = lists;
        this.localCap = localCap;
    }

    /**
     * gfget on the current (virtual) thread's carrier: an IDLE worker now in no list (its
     * {@link Worker#takenFromGlobal} says whether the global list had to refill), or null.
     */
    Worker take(Thread currentVirtual) {
        JdkInternals.pin();
        try {
            LocalList local = listOf(currentVirtual);
            Worker w = lists.get(local);
            if (w != null) {
                w.takenFromGlobal = local.lastGetRefilled;
            }
            return w;
        } finally {
            JdkInternals.unpin();
        }
    }

    /** gfput of a FINISHED worker on the carrier its own thread runs on. */
    void put(Worker w) {
        Thread self = w.thread;
        JdkInternals.pin();
        try {
            // The worker usually finishes on the carrier it last went idle on: skip the
            // carrier-local map lookup then (one volatile read of the carrier instead).
            LocalList local = w.lastList;
            if (local == null || local.owner != JdkInternals.carrierOf(self)) {
                local = listOf(self);
                w.lastList = local;
            }
            lists.put(local, w);
        } finally {
            JdkInternals.unpin();
        }
    }

    /** The current carrier's list; call only while pinned on a virtual thread. */
    private LocalList listOf(Thread currentVirtual) {
        LocalList local = byCarrier.get();
        if (local == null) {
            local = new LocalList(JdkInternals.carrierOf(currentVirtual), localCap);
            byCarrier.set(local);
            synchronized (registryLock) { // once per carrier; pinned, so a wait blocks only this carrier
                register(local);
            }
        }
        return local;
    }

    private void register(LocalList local) {
        LocalList[] grown = Arrays.copyOf(registry, registry.length + 1);
        grown[grown.length - 1] = local;
        registry = grown;
    }

    LocalList[] all() {
        return registry;
    }

    /** Test hook: registers a list as if a carrier had created it (to exercise gfpurge). */
    void registerForTest(LocalList list) {
        synchronized (registryLock) {
            register(list);
        }
    }

    /**
     * gfpurge: every list whose carrier died moves to the global list. Purge first, unregister
     * after: a purge that fails leaves the list registered, and the next pass retries it.
     */
    void purgeDeadCarriers() {
        for (LocalList local : registry) {
            if (local.owner != null && !local.owner.isAlive()) {
                lists.purge(local); // its owner is dead: nobody else can touch it now
                synchronized (registryLock) {
                    LocalList[] now = registry;
                    LocalList[] kept = new LocalList[now.length - 1];
                    int k = 0;
                    for (LocalList l : now) {
                        if (l != local) {
                            kept[k++] = l;
                        }
                    }
                    registry = kept;
                }
            }
        }
    }

    /** Gauges: idle workers (or their stack bytes) on the carrier lists, by racy scan (see LocalList). */
    long scan(boolean bytes) {
        long sum = 0;
        for (LocalList local : registry) {
            Worker[] items = local.items;
            int n = Math.min(local.size, items.length);
            for (int i = 0; i < n; i++) {
                Worker w = items[i];
                if (w != null && Worker.kind(w.state()) == Worker.IDLE_LOCAL) {
                    sum += bytes ? w.stackBytes : 1;
                }
            }
        }
        return sum;
    }
}
