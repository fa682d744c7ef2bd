package dev.vtrecycler.bootstrap.wakeup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ForkJoinTask;
import org.junit.jupiter.api.Test;

/** {@link KeptTimeouts}: oldest first across growth and wrap-around, capped at {@link KeptTimeouts#MAX}. */
class KeptTimeoutsTest {
    @Test
    void oldestFirstAcrossGrowthAndWrapAroundUpToTheCap() {
        KeptTimeouts kept = new KeptTimeouts();
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[KeptTimeouts.MAX + 10];
        for (int i = 0; i < tasks.length; i++) {
            tasks[i] = ForkJoinTask.adapt(() -> { });
        }
        for (int i = 0; i < 10; i++) { // wrap the first ring round before it grows
            kept.add(tasks[i], i + 1);
        }
        for (int i = 0; i < 5; i++) {
            assertThat(kept.oldest()).isSameAs(tasks[i]);
            kept.removeOldest();
        }
        for (int i = 10; i < tasks.length; i++) {
            boolean room = kept.size() < KeptTimeouts.MAX;
            assertThat(kept.add(tasks[i], i + 1)).isEqualTo(room);
        }
        assertThat(kept.size()).isEqualTo(KeptTimeouts.MAX);
        assertThat(kept.newestNeed()).isEqualTo(KeptTimeouts.MAX + 5);
        for (int i = 5; i < KeptTimeouts.MAX + 5; i++) {
            assertThat(kept.oldest()).isSameAs(tasks[i]);
            assertThat(kept.oldestNeed()).isEqualTo(i + 1);
            kept.removeOldest();
        }
        assertThat(kept.isEmpty()).isTrue();
        assertThat(kept.capacity()).as("a grown ring is let go once empty").isZero();
        kept.add(tasks[0], KeptTimeouts.MAX + 6);
        assertThat(kept.capacity()).isEqualTo(KeptTimeouts.FIRST);
        assertThat(kept.oldest()).isSameAs(tasks[0]);
    }

    @Test
    void theFirstRingIsKeptWhenItEmpties() {
        KeptTimeouts kept = new KeptTimeouts();
        kept.add(ForkJoinTask.adapt(() -> { }), 1);
        kept.removeOldest();
        assertThat(kept.capacity()).isEqualTo(KeptTimeouts.FIRST);
    }

    @Test
    void theOldestMovesToTheBackWithItsNewNeed() {
        KeptTimeouts kept = new KeptTimeouts();
        ForkJoinTask<?> a = ForkJoinTask.adapt(() -> { });
        ForkJoinTask<?> b = ForkJoinTask.adapt(() -> { });
        for (int i = 0; i < KeptTimeouts.FIRST; i++) { // grown once: 32 slots, head wrapped below
            kept.add(ForkJoinTask.adapt(() -> { }), i + 1);
        }
        kept.add(a, 100);
        for (int i = 0; i < KeptTimeouts.FIRST; i++) {
            kept.removeOldest();
        }
        kept.add(b, 101);
        kept.moveOldestToBack(102);
        assertThat(kept.size()).isEqualTo(2);
        assertThat(kept.oldest()).isSameAs(b);
        assertThat(kept.newestNeed()).isEqualTo(102);
        kept.removeOldest();
        assertThat(kept.oldest()).isSameAs(a);
        kept.moveOldestToBack(103); // alone in a grown ring: stays, the ring is not let go
        assertThat(kept.capacity()).isEqualTo(2 * KeptTimeouts.FIRST);
        assertThat(kept.oldestNeed()).isEqualTo(103);
    }
}
