package dev.vtrecycler.bootstrap.routing;

import dev.vtrecycler.bootstrap.recycler.Recycler;
import dev.vtrecycler.bootstrap.recycler.RecyclerSettings;
import dev.vtrecycler.it.routing.ExecutorContract;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import dev.vtrecycler.bootstrap.recycler.RecyclerStats;

import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same contract against the recycling executor, in-process: built through {@link Routes}, the
 * entry points the Executors advice calls (the forked-JVM IT covers the advice itself).
 */
class RecyclingExecutorContractTest {
    @BeforeAll
    static void installRecycler() {
        Recycler.install(RecyclerSettings.defaults());
    }

    @Test
    void routesBuildRecyclingExecutorsOnlyForTheJdkVirtualFactory() {
        try (ExecutorService virtual = Routes.virtualExecutor();
             ExecutorService named = Routes.executorFor(Thread.ofVirtual().name("x-", 0).factory())) {
            assertThat(virtual).isInstanceOf(RecyclingExecutor.class);
            assertThat(named).isInstanceOf(RecyclingExecutor.class);
        }
        assertThat(Routes.executorFor(Thread.ofPlatform().factory())).isNull();
        assertThat(Routes.executorFor(Executors.defaultThreadFactory())).isNull();
        assertThat(Routes.executorFor(Thread.ofVirtual().factory()::newThread)).as("a wrapper is not the JDK's").isNull();
        assertThat(Routes.executorFor(null)).isNull();
    }

    /**
     * Without reuse the contract checks on fresh state and interrupts would prove nothing about
     * recycling: sequential tasks must mostly land on threads that ran an earlier task.
     */
    @Test
    void sequentialTasksReuseThreads() throws Exception {
        RecyclerStats stats = Recycler.get().stats();
        long reusedBefore = stats.tasksFromLocal() + stats.tasksFromGlobal();
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        int tasks = 200;
        // From a virtual thread: its carrier's free list is where finished workers park.
        Thread submitter = Thread.ofVirtual().start(() -> {
            try (ExecutorService executor = Routes.virtualExecutor()) {
                for (int i = 0; i < tasks; i++) {
                    threads.add(executor.submit(Thread::currentThread).get());
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        submitter.join();
        assertThat(threads.size()).as("distinct threads for %d sequential tasks", tasks).isLessThan(tasks);
        assertThat(stats.tasksFromLocal() + stats.tasksFromGlobal() - reusedBefore).isPositive();
    }

    @TestFactory
    Stream<DynamicTest> recyclingExecutor() {
        return new ExecutorContract(Routes::executorFor, Routes::virtualExecutor)
                .allChecks().stream()
                .map(c -> DynamicTest.dynamicTest(c.name(), c.check()::run));
    }

    /**
     * The same contract with the executor route sent to fresh threads, as the route governor does
     * when fresh threads cost less: the executor then keeps its fresh threads in a set for its
     * interrupts instead of finding its tasks in the pooled workers.
     */
    @TestFactory
    Stream<DynamicTest> recyclingExecutorOnFreshThreads() {
        return new ExecutorContract(Routes::executorFor, Routes::virtualExecutor)
                .allChecks().stream()
                .map(c -> DynamicTest.dynamicTest(c.name() + " [fresh route]", () -> {
                    RouteSwitch.set(RouteSwitch.EXECUTOR, false);
                    try {
                        c.check().run();
                    } finally {
                        RouteSwitch.set(RouteSwitch.EXECUTOR, true);
                    }
                }));
    }
}
