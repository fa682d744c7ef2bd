package dev.vtrecycler.it.routing;

import com.sun.tools.attach.VirtualMachine;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routing in forked JVMs with the agent in recycle mode: the executor contract on the recycling
 * executor, fire-and-forget starts, dynamic attach.
 */
class RoutingForkedIT {

    private static void assertAllPassed(ForkedJvm.Result result, int atLeastChecks) {
        List<String> failed = ForkedJvm.lines(result.stdout(), "CHECK FAIL");
        assertThat(failed).as(result.all()).isEmpty();
        assertThat(ForkedJvm.lines(result.stdout(), "CHECK PASS")).as(result.all()).hasSizeGreaterThanOrEqualTo(atLeastChecks);
        assertThat(ForkedJvm.lines(result.stdout(), "RESULT ok")).as(result.all()).hasSize(1);
        assertThat(result.exitCode()).as(result.all()).isZero();
    }

    @Test
    void executorContractHoldsForTheRecyclingExecutor() throws Exception {
        ForkedJvm.Result result = ForkedJvm.run(ForkedJvm.agentOptions(""), ExecutorContractMain.class);
        System.out.println("[routing IT] agent: " + ForkedJvm.agentKind() + "; " + ForkedJvm.lines(result.stdout(), "COUNTERS"));
        int contractChecks = new ExecutorContract(f -> null, () -> null).allChecks().size();
        assertAllPassed(result, contractChecks + 6);
    }

    @Test
    void discardedStartsRunOnRecycledThreadsAndKeptThreadsAreUntouched() throws Exception {
        ForkedJvm.Result result = ForkedJvm.run(ForkedJvm.agentOptions(""), FireAndForgetMain.class);
        System.out.println("[routing IT] agent: " + ForkedJvm.agentKind() + "; " + ForkedJvm.lines(result.stdout(), "COUNTERS"));
        assertAllPassed(result, 9);
    }

    @Test
    void excludedPackagesAreNotRewritten() throws Exception {
        ForkedJvm.Result result = ForkedJvm.run(ForkedJvm.agentOptions("exclude=dev.vtrecycler.it"), FireAndForgetMain.class);
        // routing is off for this class: the routing checks fail, the kept-thread check still passes
        assertThat(ForkedJvm.lines(result.stdout(), "CHECK FAIL discarded Thread.startVirtualThread")).as(result.all()).hasSize(1);
        assertThat(ForkedJvm.lines(result.stdout(), "CHECK PASS a kept Thread")).as(result.all()).hasSize(1);
        assertThat(result.stdout()).as(result.all()).contains("routedCallSites=0");
    }

    @Test
    void dynamicAttachRetransformsLoadedClassesAndExecutors() throws Exception {
        List<String> options = List.of("-cp", String.join(java.io.File.pathSeparator, ForkedJvm.testClassPath()));
        if (ForkedJvm.realAgentRoutes()) {
            options = List.of("-cp", ForkedJvm.slimClassPath());
        }
        try (ForkedJvm.Forked target = ForkedJvm.start(options, AttachTargetMain.class)) {
            String ready = awaitLine(target, "READY ", Duration.ofSeconds(60));
            assertThat(ready).contains("java.util.concurrent.ThreadPerTaskExecutor");
            VirtualMachine vm = VirtualMachine.attach(Long.toString(target.process().pid()));
            try {
                if (ForkedJvm.realAgentRoutes()) {
                    vm.loadAgent(ForkedJvm.agentJar().toString(), "mode=recycle");
                } else {
                    vm.loadAgent(ForkedJvm.testAgentJar().toString(), "");
                }
            } finally {
                vm.detach();
            }
            OutputStream stdin = target.process().getOutputStream();
            stdin.write("GO\n".getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            ForkedJvm.Result result = target.await(ForkedJvm.TIMEOUT);
            System.out.println("[routing IT] attach: " + ForkedJvm.lines(result.stdout(), "AGENT") + ForkedJvm.lines(result.stdout(), "COUNTERS"));
            assertAllPassed(result, 4);
        }
    }

    private static String awaitLine(ForkedJvm.Forked forked, String prefix, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> lines = ForkedJvm.lines(forked.stdoutSoFar(), prefix);
            if (!lines.isEmpty()) {
                return lines.get(0);
            }
            if (!forked.process().isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no '" + prefix + "' line from the target: " + forked.stdoutSoFar()
                + "\n" + java.nio.file.Files.readString(forked.err()));
    }
}
