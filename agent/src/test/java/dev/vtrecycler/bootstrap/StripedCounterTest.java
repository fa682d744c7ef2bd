package dev.vtrecycler.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The per-carrier cells: virtual threads count on their carrier's own cell without atomics,
 * platform threads on shared stripes, and no increment is ever lost, even while virtual threads
 * hop between carriers between increments. (The surefire JVM opens java.lang, as the agent does.)
 */
class StripedCounterTest {
    private static final int VIRTUAL = 64;
    /** More platform threads than stripes, so some must share a stripe (and would lose updates without atomics). */
    private static final int PLATFORM = 4 * CarrierStripes.STRIPES;
    private static final int INCREMENTS = 200_000;

    @BeforeAll
    static void lookUpCarriers() {
        assertThat(CarrierStripes.init()).as("carrier internals in the test JVM").isNull();
    }

    @Test
    void virtualThreadsUseTheirCarriersCellAndPlatformThreadsAStripe() throws Exception {
        int[] row = new int[1];
        Thread.ofVirtual().start(() -> row[0] = CarrierStripes.row()).join();
        assertThat(CarrierStripes.owned(row[0])).as("row %d of a virtual thread", row[0]).isTrue();

        Thread.ofPlatform().start(() -> row[0] = CarrierStripes.row()).join();
        assertThat(CarrierStripes.owned(row[0])).as("row %d of a platform thread", row[0]).isFalse();
        assertThat(row[0]).isBetween(CarrierStripes.CARRIER_ROWS, CarrierStripes.ROWS - 1);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void noIncrementIsLostWhileThreadsMoveBetweenCarriers() throws Exception {
        StripedCounter counter = new StripedCounter();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < VIRTUAL; i++) {
            threads.add(Thread.ofVirtual().start(() -> countAfter(go, counter, true)));
        }
        for (int i = 0; i < PLATFORM; i++) {
            threads.add(Thread.ofPlatform().start(() -> countAfter(go, counter, false)));
        }
        go.countDown();
        long seen = 0;
        for (Thread t : threads) {
            while (t.isAlive()) {
                long now = counter.sum();
                assertThat(now).as("sum never goes backwards").isGreaterThanOrEqualTo(seen);
                seen = now;
                t.join(1);
            }
        }
        assertThat(counter.sum()).isEqualTo((long) (VIRTUAL + PLATFORM) * INCREMENTS);
    }

    private static void countAfter(CountDownLatch go, StripedCounter counter, boolean yieldOften) {
        try {
            go.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        for (int i = 0; i < INCREMENTS; i++) {
            if ((i & 7) == 0) {
                counter.add(2);
                i++;
            } else {
                counter.increment();
            }
            if (yieldOften && (i & 63) == 0) {
                Thread.yield(); // unmounts: the next increment may run on another carrier
            }
        }
    }
}
