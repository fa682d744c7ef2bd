package dev.vtrecycler.bootstrap.recycler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RecyclerSmokeTest {
    @Test
    void runsTasksAndReusesThreads() throws Exception {
        Recycler r = Recycler.create(RecyclerSettings.defaults(), true);
        try {
            System.err.println("idle=" + r.idleStackBytes() + " limit=" + r.stackLimitBytes()
                    + " perCarrier=" + r.perCarrierLists() + " gate=" + r.gateEnabled());
            AtomicInteger runs = new AtomicInteger();
            Thread.ofVirtual().start(() -> {
                for (int round = 0; round < 100; round++) {
                    CountDownLatch done = new CountDownLatch(100);
                    for (int i = 0; i < 100; i++) {
                        r.start(() -> { runs.incrementAndGet(); done.countDown(); }, null, null, false);
                    }
                    try {
                        done.await();
                    } catch (InterruptedException e) {
                        throw new RuntimeException(e);
                    }
                }
            }).join();
            assertThat(runs.get()).isEqualTo(10_000);
            RecyclerStats s = r.stats();
            System.err.println("local=" + s.tasksFromLocal() + " global=" + s.tasksFromGlobal() + " new=" + s.tasksFromNew()
                    + " spills=" + s.spills() + " refills=" + s.refills() + " pooledLocal=" + s.pooledLocal()
                    + " pooledGlobal=" + s.pooledGlobal() + " bytesLocal=" + s.pooledStackBytesLocal());
            assertThat(s.tasksFromLocal() + s.tasksFromGlobal() + s.tasksFromNew()).isEqualTo(10_001);
            assertThat(s.tasksFromNew()).isLessThan(10_000);
        } finally {
            r.close();
        }
    }
}
