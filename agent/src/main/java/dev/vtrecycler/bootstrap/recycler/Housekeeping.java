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
    /** When the last GC drain ran (the recycler's start before the first): see {@link #drainGlobalAfterGc}. */
    private long lastDrainNanos = coarseNanos;
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

    /**
     * GC drain (Go's markrootFreeGStacks, but the threads go, not just their stacks): retires the
     * global list's threads that have been idle since before the previous drain, i.e. through a
     * whole GC cycle. Go frees every global stack at every GC, but in Go the global list is an
     * overflow; here it is where every task of a platform-thread submitter (Tomcat's poller, Jetty's
     * selectors, the JDK server's dispatcher) comes from, and a small heap collects several times a
     * second: draining all of it at every GC retired threads that were about to be reused, and the
     * submitters started new ones instead (Tomcat at 48 MB, 64 connections flat out, 26 s: 829-1,616
     * threads retired by GC drains and 1,047-1,990 started; with this rule 12-63 and 302-398). A
     * thread still in circulation is re-stamped at every return ({@link ReturnPath}); one left
     * unused from one GC to the next goes, so an idle pool still empties within two collections.
     */
    int drainGlobalAfterGc() {
        long now = System.nanoTime();
        // Stamp first: a worker that returns from now on is stamped >= now (the clock is monotonic),
        // so at the next drain it counts as used in this cycle. A return that read the clock just
        // before this write is stamped older and may go one GC early: benign, it is only memory.
        coarseNanos = now;
        long idleBefore = lastDrainNanos;
        lastDrainNanos = now;
        int retired = retireGlobal(idleBefore, false);
        stats.rejectedGc.add(retired);
        return retired;
    }

    /**
     * Retires the global list's workers idle since before {@code idleBefore} (all of them with
     * {@code all}); returns how many, for the caller's reason to count.
     */
    private int retireGlobal(long idleBefore, boolean all) {
        GlobalList global = lists.global;
        if (global.isEmpty()) {
            return 0;
        }
        Worker[] out = new Worker[global.size()]; // racy size: removeIdleSince takes at most this many
        int removed;
        global.lock();
        try {
            removed = global.removeIdleSince(idleBefore, all, out);
        } finally {
            global.unlock();
        }
        int retired = 0;
        for (int i = 0; i < removed; i++) {
            if (out[i].tryRetireIdle(Worker.IDLE_GLOBAL)) {
                retired++;
                pendingWakes.wakeOrDefer(out[i]);
            }
        }
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
        // now - idleSince >= limit, i.e. idle since before now - limit + 1
        retired += retireGlobal(now - limit + 1, false);
        stats.rejectedIdle.add(retired);
    }

    /** Retires every idle thread (closing a test recycler): the global list, then every local entry. */
    void retireAllIdle() {
        stats.rejectedGc.add(retireGlobal(0, true));
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
