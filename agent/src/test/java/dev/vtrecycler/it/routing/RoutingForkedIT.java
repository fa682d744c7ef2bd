package dev.vtrecycler.it.routing;

import com.sun.tools.attach.VirtualMachine;
import dev.vtrecycler.it.support.ForkedJvm;
import dev.vtrecycler.it.support.Scrape;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routing in forked JVMs with the agent in recycle mode: the executor contract on the recycling
 * executor, fire-and-forget starts, dynamic attach.
 */
class RoutingForkedIT {

    /** For a JVM that has exited: every check passed, at least {@code atLeastChecks} ran, exit 0. */
    private static void assertAllPassed(ForkedJvm jvm, int atLeastChecks) throws InterruptedException {
        assertThat(RoutingForks.lines(jvm, "CHECK FAIL")).as(jvm.transcript()).isEmpty();
        assertThat(RoutingForks.lines(jvm, "CHECK PASS")).as(jvm.transcript()).hasSizeGreaterThanOrEqualTo(atLeastChecks);
        assertThat(RoutingForks.lines(jvm, "RESULT ok")).as(jvm.transcript()).hasSize(1);
        assertThat(jvm.waitFor(Duration.ZERO)).as(jvm.transcript()).isZero();
    }

    @Test
    void executorContractHoldsForTheRecyclingExecutor() throws Exception {
        ForkedJvm result = RoutingForks.run(RoutingForks.agentOptions(""), ExecutorContractMain.class);
        System.out.println("[routing IT] " + RoutingForks.lines(result, "COUNTERS"));
        int contractChecks = new ExecutorContract(f -> null, () -> null).allChecks().size();
        assertAllPassed(result, contractChecks + 6);
    }

    @Test
    void observeModeRoutesNothingAndTheJdkExecutorKeepsItsContract() throws Exception {
        ForkedJvm result = RoutingForks.run(RoutingForks.agentOptions("observe", ""), ExecutorContractMain.class, "observe");
        int contractChecks = new ExecutorContract(f -> null, () -> null).allChecks().size();
        assertAllPassed(result, contractChecks + 1);
        assertThat(result.transcript()).contains("routedCallSites=0").contains("executors=0");
    }

    @Test
    void discardedStartsRunOnRecycledThreadsAndKeptThreadsAreUntouched() throws Exception {
        ForkedJvm result = RoutingForks.run(RoutingForks.agentOptions(""), FireAndForgetMain.class);
        System.out.println("[routing IT] " + RoutingForks.lines(result, "COUNTERS"));
        assertAllPassed(result, 9);
    }

    /** vtrecycler_tasks_total moves and the routing meters are exported, as Prometheus scrapes them. */
    @Test
    void metricsEndpointShowsRoutedTasksAndCallSites() throws Exception {
        try (ForkedJvm forked = RoutingForks.start(RoutingForks.agentOptions("host=127.0.0.1,port=0"),
                FireAndForgetMain.class, "hold")) {
            forked.awaitStdout(l -> l.startsWith("HOLD"), Duration.ofMinutes(2));
            Scrape scrape = Scrape.of(forked.metricsPort());
            assertThat(scrape.value("vtrecycler_tasks_total{source=\"local\"}")
                    + scrape.value("vtrecycler_tasks_total{source=\"global\"}")).as(scrape.body()).isPositive();
            assertThat(scrape.value("vtrecycler_routed_call_sites{kind=\"direct\"}")).as(scrape.body())
                    .isGreaterThanOrEqualTo(FireAndForgetMain.SITES);
            assertThat(scrape.has("vtrecycler_executors_total{kind=\"recycling\"}")).as(scrape.body()).isTrue();
            forked.send("EXIT");
            forked.waitFor(RoutingForks.TIMEOUT);
            assertAllPassed(forked, 9);
        }
    }

    @Test
    void excludedPackagesAreNotRewritten() throws Exception {
        ForkedJvm result = RoutingForks.run(RoutingForks.agentOptions("exclude=dev.vtrecycler.it"), FireAndForgetMain.class);
        // routing is off for this class: the routing checks fail, the kept-thread check still passes
        assertThat(RoutingForks.lines(result, "CHECK FAIL discarded Thread.startVirtualThread")).as(result.transcript()).hasSize(1);
        assertThat(RoutingForks.lines(result, "CHECK PASS a kept Thread")).as(result.transcript()).hasSize(1);
        assertThat(result.transcript()).as(result.transcript()).contains("routedCallSites=0");
    }

    @Test
    void dynamicAttachRetransformsLoadedClassesAndExecutors() throws Exception {
        try (ForkedJvm target = RoutingForks.start(List.of("-XX:+EnableDynamicAgentLoading"), AttachTargetMain.class)) {
            String ready = target.awaitStdout(l -> l.startsWith("READY "), Duration.ofSeconds(60));
            assertThat(ready).contains("java.util.concurrent.ThreadPerTaskExecutor");
            VirtualMachine vm = VirtualMachine.attach(Long.toString(target.pid()));
            try {
                vm.loadAgent(ForkedJvm.agentJar().toString(), "mode=recycle,port=none");
            } finally {
                vm.detach();
            }
            target.send("GO");
            target.waitFor(RoutingForks.TIMEOUT);
            System.out.println("[routing IT] attach: " + RoutingForks.lines(target, "COUNTERS"));
            assertAllPassed(target, 4);
        }
    }
}
