package dev.vtrecycler.bootstrap.recycler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Go's gfput/gfget numbers on plain lists (no threads): 64 -> 31 stay / 33 move, refill to 32, LIFO. */
class FreeListsTest {
    private final RecyclerStats stats = new RecyclerStats();
    private final GlobalList global = new GlobalList();
    private final FreeLists lists = new FreeLists(RecyclerSettings.defaults(), global, stats);

    /** A worker as it is when its task has just ended (kind FINISHED), with no thread. */
    private static Worker finishedWorker() {
        Worker w = new Worker(null);
        w.stage(() -> { }, null, null, null, null, null, null, false);
        w.handFirst();
        assertThat(w.casState(w.state(), Worker.withKind(w.state(), Worker.FINISHED))).isTrue();
        return w;
    }

    private static List<Worker> workers(int n) {
        List<Worker> ws = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ws.add(finishedWorker());
        }
        return ws;
    }

    @Test
    void the64thPutSpills33AndKeeps31() {
        LocalList local = new LocalList(null, 64);
        List<Worker> ws = workers(64);
        for (int i = 0; i < 63; i++) {
            lists.put(local, ws.get(i));
        }
        assertThat(local.size).isEqualTo(63);
        assertThat(global.size()).isZero();
        assertThat(stats.spills()).isZero();

        lists.put(local, ws.get(63));

        assertThat(local.size).isEqualTo(31);
        assertThat(global.size()).isEqualTo(33);
        assertThat(stats.spills()).isEqualTo(1);
        assertThat(stats.spilledThreads()).isEqualTo(33);
        assertThat(local.maxSizeAfterPut).isEqualTo(63);
        // the 31 oldest stay local (LIFO: the most recent ones moved), all still IDLE in their scope
        for (int i = 0; i < 31; i++) {
            assertThat(local.items[i]).isSameAs(ws.get(i));
            assertThat(Worker.kind(ws.get(i).state())).isEqualTo(Worker.IDLE_LOCAL);
        }
        for (int i = 31; i < 64; i++) {
            assertThat(Worker.kind(ws.get(i).state())).isEqualTo(Worker.IDLE_GLOBAL);
        }
    }

    @Test
    void getIsLifo() {
        LocalList local = new LocalList(null, 64);
        List<Worker> ws = workers(5);
        ws.forEach(w -> lists.put(local, w));
        for (int i = 4; i >= 0; i--) {
            assertThat(lists.get(local)).isSameAs(ws.get(i));
            assertThat(local.lastGetRefilled).isFalse();
        }
        assertThat(lists.get(local)).isNull();
    }

    @Test
    void anEmptyLocalListRefillsTo32FromGlobal() {
        LocalList spiller = new LocalList(null, 64);
        List<Worker> ws = workers(128);
        ws.forEach(w -> lists.put(spiller, w));
        // 64th put spills 33, then puts 65..96 bring it back to 64 and spill 33 again, ...
        assertThat(global.size()).isGreaterThanOrEqualTo(33 * 2);
        int globalBefore = global.size();

        LocalList empty = new LocalList(null, 64);
        Worker got = lists.get(empty);

        assertThat(got).isNotNull();
        assertThat(empty.lastGetRefilled).isTrue();
        assertThat(stats.refills()).isEqualTo(1);
        assertThat(stats.refilledThreads()).isEqualTo(32);
        assertThat(global.size()).isEqualTo(globalBefore - 32);
        assertThat(empty.size).isEqualTo(31); // 32 moved, one popped
        // the next get is served locally without touching global
        assertThat(lists.get(empty)).isNotNull();
        assertThat(empty.lastGetRefilled).isFalse();
        assertThat(stats.refills()).isEqualTo(1);
    }

    @Test
    void aNonEmptyLocalListDoesNotRefill() {
        LocalList spiller = new LocalList(null, 64);
        workers(64).forEach(w -> lists.put(spiller, w));
        LocalList local = new LocalList(null, 64);
        lists.put(local, finishedWorker());
        assertThat(lists.get(local)).isNotNull();
        assertThat(stats.refills()).isZero();
        assertThat(global.size()).isEqualTo(33);
    }

    @Test
    void refillTakesWhatGlobalHasWhenBelow32() {
        LocalList spiller = new LocalList(null, 64);
        workers(64).forEach(w -> lists.put(spiller, w)); // 33 in global
        LocalList a = new LocalList(null, 64);
        lists.get(a); // takes 32
        LocalList b = new LocalList(null, 64);
        assertThat(lists.get(b)).isNotNull(); // takes the last 1
        assertThat(stats.refilledThreads()).isEqualTo(33);
        assertThat(b.size).isZero();
        assertThat(lists.get(b)).isNull();
    }

    @Test
    void staleEntriesAreDroppedByGetAndBySpill() {
        LocalList local = new LocalList(null, 64);
        List<Worker> ws = workers(64);
        for (int i = 0; i < 63; i++) {
            lists.put(local, ws.get(i));
        }
        // the housekeeper retires 10 of the most recent ones while they are listed
        for (int i = 53; i < 63; i++) {
            assertThat(ws.get(i).tryRetireIdle(Worker.IDLE_LOCAL)).isTrue();
        }
        lists.put(local, ws.get(63));
        assertThat(local.size).isEqualTo(31);
        assertThat(global.size()).isEqualTo(23); // 33 popped, 10 of them stale and dropped
        assertThat(stats.spilledThreads()).isEqualTo(23);

        FreeLists alone = new FreeLists(RecyclerSettings.defaults(), new GlobalList(), new RecyclerStats());
        LocalList other = new LocalList(null, 64);
        alone.put(other, finishedWorker());
        Worker live = other.items[0];
        alone.put(other, finishedWorker());
        Worker top = other.items[1];
        top.tryRetireIdle(Worker.IDLE_LOCAL);
        assertThat(alone.get(other)).isSameAs(live); // the stale top was skipped and dropped
        assertThat(other.size).isZero();
        assertThat(alone.get(other)).isNull();
    }

    @Test
    void platformSubmittersUseTheGlobalList() {
        LocalList spiller = new LocalList(null, 64);
        workers(64).forEach(w -> lists.put(spiller, w));
        Worker w = lists.getGlobal();
        assertThat(w).isNotNull();
        assertThat(Worker.kind(w.state())).isEqualTo(Worker.IDLE_GLOBAL);
        assertThat(global.size()).isEqualTo(32);
        w.stage(() -> { }, null, null, "x", null, null, null, false);
        assertThat(w.tryHand()).isEqualTo(2);
    }

    @Test
    void purgeMovesADeadCarriersListToGlobal() {
        LocalList dead = new LocalList(null, 64);
        List<Worker> ws = workers(10);
        ws.forEach(w -> lists.put(dead, w));
        ws.get(0).tryRetireIdle(Worker.IDLE_LOCAL);
        assertThat(lists.purge(dead)).isEqualTo(9);
        assertThat(dead.size).isZero();
        assertThat(global.size()).isEqualTo(9);
    }

    @Test
    void theRuleFollowsLocalCap() {
        FreeLists small = new FreeLists(new RecyclerSettings(8, 0, 1_000_000), global, stats);
        LocalList local = new LocalList(null, 8);
        workers(8).forEach(w -> small.put(local, w));
        assertThat(local.size).isEqualTo(3);   // spill while >= 4: 5 move, 3 stay
        assertThat(global.size()).isEqualTo(5);
        LocalList empty = new LocalList(null, 8);
        small.get(empty);
        assertThat(empty.size).isEqualTo(3);   // refilled to 4, one popped
    }

    /** The GC drain's rule on the list: only entries idle since before the stamp go, the rest keep their LIFO order. */
    @Test
    void aGcDrainTakesOnlyWhatWasIdleBeforeThePreviousDrain() {
        List<Worker> ws = workers(6);
        long previousDrain = 1_000;
        long[] idleSince = {10, 2_000, 999, 1_000, 5_000, -7}; // nanoTime may be negative
        global.lock();
        try {
            global.ensureRoom(ws.size());
            for (int i = 0; i < ws.size(); i++) {
                Worker w = ws.get(i);
                w.idleSinceNanos = idleSince[i];
                assertThat(w.casState(w.state(), Worker.withKind(w.state(), Worker.IDLE_GLOBAL))).isTrue();
                global.push(w);
            }
            Worker[] out = new Worker[ws.size()];
            int removed = global.removeIdleSince(previousDrain, false, out);

            assertThat(removed).isEqualTo(3);
            assertThat(out).startsWith(ws.get(0), ws.get(2), ws.get(5));
            assertThat(global.size()).isEqualTo(3);
            assertThat(global.pop()).isSameAs(ws.get(4)); // LIFO kept: the newest entry on top
            assertThat(global.pop()).isSameAs(ws.get(3)); // idle since exactly the drain: used in this cycle
            assertThat(global.pop()).isSameAs(ws.get(1));
        } finally {
            global.unlock();
        }
    }
}
