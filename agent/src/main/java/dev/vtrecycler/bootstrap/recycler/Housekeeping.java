package dev.vtrecycler.bootstrap.recycler;

/**
 * What the housekeeper does (Go: {@code markrootFreeGStacks} at GC and {@code gfpurge}), kept apart
 * from the thread that does it so tests can run a pass by hand: drain the global list after a GC,
 * retire threads idle longer than idle-timeout, purge dead carriers' lists, and keep the coarse
 * clock that idle stamps use.
 */
final class Housekeeping {
    private final RecyclerSettings settings;
    private final FreeLists lists;
    /** Null when per-carrier lists are unavailable. */
    private final CarrierLists carrierLists;
    private final RecyclerStats stats;
    final PendingWakes pendingWakes = new PendingWakes();
    /** {@link System#nanoTime()} as of the last pass: cheap "now" for idle stamps. */
    private volatile long coarseNanos = System.nanoTime();
    /** How stale {@link #coarseNanos} may be (the housekeeper's period; 0 without one). */
    volatile long clockSlackNanos;

    Housekeeping(RecyclerSettings settings, FreeLists lists, CarrierLists carrierLists, RecyclerStats stats) {
        this.settings = settings;
        this.lists = lists;
        this.carrierLists = carrierLists;
        this.stats = stats;
    }

    long coarseNanos() {
        return coarseNanos;
    }

    /** GC drain (Go's markrootFreeGStacks, but the threads go, not just their stacks). */
    int drainGlobalAfterGc() {
        GlobalList global = lists.global;
        Worker[] all;
        global.lock();
        try {
            all = global.takeAll();
        } finally {
            global.unlock();
        }
        int retired = 0;
        for (Worker w : all) {
            if (w.tryRetireIdle(Worker.IDLE_GLOBAL)) {
                retired++;
                pendingWakes.wakeOrDefer(w);
            }
        }
        stats.rejectedGc.add(retired);
        return retired;
    }

    /** One pass: refresh the coarse clock, retire idle threads, purge dead carriers. */
    void pass() {
        long now = System.nanoTime();
        coarseNanos = now;
        pendingWakes.retry();
        retireIdle(now);
        if (carrierLists != null) {
            carrierLists.purgeDeadCarriers();
        }
    }

    private void retireIdle(long now) {
        // idleSinceNanos is stamped with coarseNanos, up to one pass period old: allow for it.
        long limit = settings.idleTimeoutNanos() + clockSlackNanos;
        int retired = 0;
        if (carrierLists != null) {
            for (LocalList local : carrierLists.all()) {
                Worker[] items = local.items;
                int n = Math.min(local.size, items.length); // racy read: see LocalList
                for (int i = 0; i < n; i++) {
                    Worker w = items[i];
                    if (w != null && Worker.kind(w.state()) == Worker.IDLE_LOCAL
                            && now - w.idleSinceNanos >= limit && w.tryRetireIdle(Worker.IDLE_LOCAL)) {
                        retired++; // its entry stays until the owner's next get/spill drops it
                        pendingWakes.wakeOrDefer(w);
                    }
                }
            }
        }
        GlobalList global = lists.global;
        if (!global.isEmpty()) {
            Worker[] out = new Worker[global.size()];
            int removed;
            global.lock();
            try {
                removed = global.removeIf(w -> now - w.idleSinceNanos >= limit, out);
            } finally {
                global.unlock();
            }
            for (int i = 0; i < removed; i++) {
                if (out[i].tryRetireIdle(Worker.IDLE_GLOBAL)) {
                    retired++;
                    pendingWakes.wakeOrDefer(out[i]);
                }
            }
        }
        stats.rejectedIdle.add(retired);
    }

    /** Retires every idle thread (closing a test recycler): the global list, then every local entry. */
    void retireAllIdle() {
        drainGlobalAfterGc();
        if (carrierLists == null) {
            return;
        }
        for (LocalList local : carrierLists.all()) {
            Worker[] items = local.items;
            for (int i = 0; i < items.length; i++) {
                Worker w = items[i];
                if (w != null && w.tryRetireIdle(Worker.IDLE_LOCAL)) {
                    pendingWakes.wakeOrDefer(w);
                }
            }
        }
    }
}
