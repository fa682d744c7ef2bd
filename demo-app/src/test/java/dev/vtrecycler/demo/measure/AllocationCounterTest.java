package dev.vtrecycler.demo.measure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The reason AllocationCounter uses the total: a virtual thread's allocation must be in it. */
class AllocationCounterTest {
    static volatile Object sink;

    @Test
    void countsWhatAVirtualThreadAllocates() throws InterruptedException {
        AllocationCounter.requireSupported();
        int arrays = 64;
        int arrayBytes = 256 * 1024;
        long before = AllocationCounter.totalAllocatedBytes();

        Thread.ofVirtual().start(() -> {
            for (int i = 0; i < arrays; i++) {
                sink = new byte[arrayBytes];
            }
        }).join();

        long allocated = AllocationCounter.totalAllocatedBytes() - before;
        assertThat(allocated).isGreaterThanOrEqualTo((long) arrays * arrayBytes);
    }
}
