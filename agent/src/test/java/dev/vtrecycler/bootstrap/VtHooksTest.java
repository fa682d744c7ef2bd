package dev.vtrecycler.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hooks called the way the advice calls them (no agent here: this JVM's VirtualThread is not
 * instrumented, so these calls are the only ones): every thread counted, one in 64 timed.
 */
class VtHooksTest {
    private static final int THREADS = 1000;

    @BeforeAll
    static void preloadAndMeasureOnce() throws Exception {
        assertThat(VtHooks.preload()).as("carrier cells in use").isNull();
        // Until one duration is measured every thread is timed; get that phase over with.
        Thread.ofVirtual().start(() -> VtHooks.ended(VtHooks.started())).join();
        assertThat(VtHooks.DURATION.hasMeasured()).isTrue();
    }

    @Test
    void everyThreadIsCountedAndOneIn64IsTimed() throws Exception {
        long started = VtHooks.STARTED.sum();
        long ended = VtHooks.ended();
        long live = VtHooks.live();
        AtomicInteger wrongChoices = new AtomicInteger();
        AtomicInteger timed = new AtomicInteger();
        AtomicInteger mustBeTimed = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                boolean mustTime = (Thread.currentThread().threadId() & (VtHooks.TIMED_ONE_IN - 1)) == 0;
                if (mustTime) {
                    mustBeTimed.incrementAndGet();
                }
                long start = VtHooks.started();
                boolean wasTimed = start != VtHooks.UNTIMED;
                if (wasTimed != mustTime) {
                    wrongChoices.incrementAndGet();
                }
                if (wasTimed) {
                    timed.incrementAndGet();
                }
                Thread.yield(); // may end on another carrier than it started on
                VtHooks.ended(start);
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(VtHooks.STARTED.sum() - started).isEqualTo(THREADS);
        assertThat(VtHooks.ended() - ended).isEqualTo(THREADS);
        assertThat(VtHooks.live()).isEqualTo(live);
        assertThat(wrongChoices).hasValue(0);
        // thread ids are handed out one by one, so about 1000 / 64 of them end in six zero bits
        assertThat(timed.get()).isEqualTo(mustBeTimed.get()).isGreaterThan(0);
    }
}
