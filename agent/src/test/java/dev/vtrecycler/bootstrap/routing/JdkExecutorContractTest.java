package dev.vtrecycler.bootstrap.routing;

import dev.vtrecycler.it.routing.ExecutorContract;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * The executor contract against the JDK's own thread-per-task executor, no agent: proves the suite
 * describes the JDK's behaviour, so the recycling executor passing it means "same contract".
 */
class JdkExecutorContractTest {
    @TestFactory
    Stream<DynamicTest> jdkThreadPerTaskExecutor() {
        return new ExecutorContract(Executors::newThreadPerTaskExecutor, Executors::newVirtualThreadPerTaskExecutor)
                .allChecks().stream()
                .map(c -> DynamicTest.dynamicTest(c.name(), c.check()::run));
    }
}
