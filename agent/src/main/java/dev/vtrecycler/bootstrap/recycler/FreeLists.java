package dev.vtrecycler.bootstrap.recycler;

import dev.vtrecycler.bootstrap.StripedCounter;

/**
 * Go's free-list rules ({@code gfput}, {@code gfget}, {@code gfpurge}) over one carrier's
 * {@link LocalList} and the {@link GlobalList}, and nothing else: callers provide the carrier's list
 * and keep the critical section on that carrier (pinned). Kept free of threads and pinning so unit
 * tests can pin the numbers (64 -> 31 stay / 33 move, refill to 32, LIFO) on plain lists.
 */
final class FreeLists {
    final int localCap;
    private final int spillWhileAtLeast;
    private final int refillWhileBelow;
    final GlobalList global;
    final StripedCounter spills;
    final StripedCounter spilledThreads;
    final StripedCounter refills;
    final StripedCounter refilledThreads;

    FreeLists(RecyclerSettings settings, GlobalList global, RecyclerStats stats) {
        this.localCap = settings.localCap();
        this.spillWhileAtLeast = settings.spillKeepBelow();
        this.refillWhileBelow = settings.refillTo();
        this.global = global;
        this.spills = stats.spills;
        this.spilledThreads = stats.spilledThreads;
        this.refills = stats.refills;
        this.refilledThreads = stats.refilledThreads;
    }

    /**
     * gfput: the worker (current kind FINISHED, owned by the caller) goes idle on the local list;
     * if the list then holds {@code >= localCap}, move the most recent entries to the global list
     * while it holds {@code >= localCap/2} (Go: 33 move, 31 stay). Leaves at most localCap-1.
     *
     * <p>Failure-safe: a throw before the push leaves the worker FINISHED and in no list (the
     * caller retires it); a throw in the spill after the push leaves it listed and idle, and a
     * later put spills first if an earlier spill failed and left the list full.
     */
    void put(LocalList local, Worker w) {
        if (Faults.ARMED) {
            Faults.at(Faults.Step.PUT);
        }
        if (local.size == local.items.length) {
            spill(local); // an earlier spill failed (OutOfMemoryError): make room first
        }
        w.publishIdle(Worker.IDLE_LOCAL);
        local.push(w);
        if (local.size >= localCap) {
            spill(local);
        }
        if (local.size > local.maxSizeAfterPut) {
            local.maxSizeAfterPut = local.size;
        }
    }

    private void spill(LocalList local) {
        int moved = 0;
        global.lock();
        try {
            global.ensureRoom(local.size); // before anything moves: nothing below allocates
            while (local.size >= spillWhileAtLeast) {
                Worker x = local.pop();
                if (x.tryMoveIdle(Worker.IDLE_LOCAL, Worker.IDLE_GLOBAL)) {
                    global.push(x);
                    moved++;
                }
                // else: retired while listed (idle timeout); its stale entry is dropped here
            }
        } finally {
            global.unlock();
        }
        spills.increment();
        spilledThreads.add(moved);
    }

    /**
     * gfget: pop the local list (LIFO); when it is empty and the global list is not, first move
     * entries from global while local holds {@code < localCap/2}. Returns an IDLE worker that is now
     * in no list (the caller claims it with {@link Worker#tryHand}), or null: start a new one.
     * Sets {@link LocalList#lastGetRefilled} so the caller can count the task's source.
     */
    Worker get(LocalList local) {
        local.lastGetRefilled = false;
        for (;;) {
            if (local.size == 0) {
                if (global.isEmpty() || refill(local) == 0) {
                    return null;
                }
                local.lastGetRefilled = true;
            }
            Worker w = local.pop();
            if (Worker.kind(w.state()) == Worker.IDLE_LOCAL) {
                if (Faults.ARMED) {
                    failPutBack(local, w, Faults.Step.LOCAL_POP);
                }
                return w;
            }
            // stale entry (retired while listed): drop it and look further
        }
    }

    /** Fault injection after a pop: a failure must put the worker back where it was. */
    private static void failPutBack(LocalList local, Worker w, Faults.Step step) {
        try {
            Faults.at(step);
        } catch (Throwable t) {
            local.push(w); // room: it was just popped
            throw t;
        }
    }

    private int refill(LocalList local) {
        int moved = 0;
        global.lock();
        try {
            while (local.size < refillWhileBelow) {
                Worker x = global.pop();
                if (x == null) {
                    break;
                }
                if (Faults.ARMED) {
                    try {
                        Faults.at(Faults.Step.REFILL_MOVE);
                    } catch (Throwable t) {
                        global.push(x); // room: it was just popped; still IDLE_GLOBAL
                        throw t;
                    }
                }
                if (x.tryMoveIdle(Worker.IDLE_GLOBAL, Worker.IDLE_LOCAL)) {
                    local.push(x);
                    moved++;
                }
            }
        } finally {
            global.unlock();
        }
        if (moved > 0) {
            refills.increment();
            refilledThreads.add(moved);
        }
        return moved;
    }

    /** gfget for a submitter that has no carrier (a platform thread): the global list only. */
    Worker getGlobal() {
        global.lock();
        try {
            Worker w = global.pop();
            if (Faults.ARMED && w != null) {
                try {
                    Faults.at(Faults.Step.GLOBAL_POP);
                } catch (Throwable t) {
                    global.push(w);
                    throw t;
                }
            }
            return w;
        } finally {
            global.unlock();
        }
    }

    /**
     * gfput onto the global list: a worker whose task came from a platform-thread submitter (which
     * takes from the global list only), or any worker in degraded mode (no per-carrier lists on this
     * JDK). Runs on the worker's own thread, unpinned: nothing in the critical section can park.
     */
    void putGlobal(Worker w) {
        global.lock();
        try {
            global.ensureRoom(1);
            w.publishIdle(Worker.IDLE_GLOBAL);
            global.push(w);
        } finally {
            global.unlock();
        }
    }

    /**
     * gfpurge: a dead carrier's list moves to the global list. Only once nobody can touch the list.
     * A failure (growing the global list) moves nothing; the caller keeps the list and retries.
     */
    int purge(LocalList dead) {
        int moved = 0;
        global.lock();
        try {
            global.ensureRoom(dead.size);
            while (dead.size > 0) {
                Worker x = dead.pop();
                if (x.tryMoveIdle(Worker.IDLE_LOCAL, Worker.IDLE_GLOBAL)) {
                    global.push(x);
                    moved++;
                }
            }
        } finally {
            global.unlock();
        }
        return moved;
    }
}
