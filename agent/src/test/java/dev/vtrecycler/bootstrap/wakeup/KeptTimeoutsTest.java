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
    }
}
