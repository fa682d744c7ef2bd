package dev.vtrecycler.demo.measure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThreadReuseTest {

    @Test
    void countsDistinctIdsAndIgnoresEmptySlots() {
        long[] ids = {7, 3, 7, 0, 3, 9, 0};

        assertThat(ThreadReuse.of(ids, ids.length)).isEqualTo(new ResultLine.Reuse(5, 3));
    }

    @Test
    void onlyTheFirstCountSlotsCount() {
        long[] ids = {1, 2, 3, 4};

        assertThat(ThreadReuse.of(ids, 2)).isEqualTo(new ResultLine.Reuse(2, 2));
    }

    @Test
    void plainVirtualThreadsAreNeverReused() throws InterruptedException {
        long[] ids = new long[50];
        Thread[] threads = new Thread[ids.length];
        for (int i = 0; i < ids.length; i++) {
            int slot = i;
            threads[i] = Thread.ofVirtual().start(() -> ids[slot] = Thread.currentThread().threadId());
        }
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(ThreadReuse.of(ids, ids.length)).isEqualTo(new ResultLine.Reuse(50, 50));
    }
}
