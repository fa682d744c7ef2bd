package dev.vtrecycler.bootstrap.routing;

import dev.vtrecycler.bootstrap.recycler.Recycler;
import dev.vtrecycler.bootstrap.recycler.RecyclerSettings;
import dev.vtrecycler.it.routing.ExecutorContract;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

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

    @TestFactory
    Stream<DynamicTest> recyclingExecutor() {
        return new ExecutorContract(Routes::executorFor, Routes::virtualExecutor)
                .checks().stream()
                .map(c -> DynamicTest.dynamicTest(c.name(), c.check()::run));
    }
}
