package dev.vtrecycler.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The scheduler gauges read from the default scheduler itself (the JDK 21-23 source), on whatever
 * JDK runs the tests: they follow a scheduler that is really saturated, and where the JDK has the
 * MXBean (24+), both sources agree.
 */
class SchedulerMetersTest {

    @Test
    void theDefaultSchedulerIsReachable() {
        ForkJoinPool pool = SchedulerMeters.defaultScheduler();
        assertThat(pool).as("VirtualThread.DEFAULT_SCHEDULER (needs --add-opens java.base/java.lang)").isNotNull();
    }

    @Test
    void poolSourceRegistersTheSameNamesAsTheBean() {
        MeterRegistry fromPool = new SimpleMeterRegistry();
        SchedulerMeters.bind(fromPool, null);
        assertThat(names(fromPool)).containsExactlyInAnyOrder(
                "jvm.threads.virtual.parallelism", "jvm.threads.virtual.pool.size",
                "jvm.threads.virtual.live{scheduling.status=mounted}", "jvm.threads.virtual.live{scheduling.status=queued}");

        MeterRegistry whatever = new SimpleMeterRegistry();
        new SchedulerMeters().bindTo(whatever); // the bean where the JDK has it, the pool where not
        assertThat(names(whatever)).isEqualTo(names(fromPool));
        assertThat(value(whatever, "jvm.threads.virtual.parallelism", null))
                .isEqualTo(value(fromPool, "jvm.threads.virtual.parallelism", null));
    }

    @Test
    void mountedAndQueuedFollowASaturatedScheduler() throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();
        SchedulerMeters.bind(registry, null);
        int parallelism = (int) value(registry, "jvm.threads.virtual.parallelism", null);
        assertThat(parallelism).isEqualTo(SchedulerMeters.defaultScheduler().getParallelism()).isPositive();

        AtomicBoolean release = new AtomicBoolean();
        CountDownLatch spinning = new CountDownLatch(parallelism);
        List<Thread> threads = new ArrayList<>();
        try {
            // One spinning virtual thread per carrier: none of them unmounts, so every carrier is taken ...
            for (int i = 0; i < parallelism; i++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    spinning.countDown();
                    while (!release.get()) {
                        Thread.onSpinWait();
                    }
                }));
            }
            assertThat(spinning.await(30, TimeUnit.SECONDS)).isTrue();
            // ... and three more can only wait in the queues.
            for (int i = 0; i < 3; i++) {
                threads.add(Thread.ofVirtual().start(() -> { }));
            }
            awaitTrue(() -> value(registry, "jvm.threads.virtual.live", "mounted") == parallelism
                    && value(registry, "jvm.threads.virtual.live", "queued") >= 3);
            assertThat(value(registry, "jvm.threads.virtual.pool.size", null)).isGreaterThanOrEqualTo(parallelism);
        } finally {
            release.set(true);
            for (Thread t : threads) {
                t.join(30_000);
            }
        }
        awaitTrue(() -> value(registry, "jvm.threads.virtual.live", "queued") == 0);
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 30 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static double value(MeterRegistry registry, String name, String status) {
        var search = registry.find(name);
        if (status != null) {
            search = search.tag("scheduling.status", status);
        }
        return search.gauge().value();
    }

    private static List<String> names(MeterRegistry registry) {
        return registry.getMeters().stream()
                .map(m -> m.getId().getName() + m.getId().getTags().stream()
                        .map(t -> t.getKey() + "=" + t.getValue()).reduce((a, b) -> a + "," + b)
                        .map(t -> "{" + t + "}").orElse(""))
                .sorted().toList();
    }
}
