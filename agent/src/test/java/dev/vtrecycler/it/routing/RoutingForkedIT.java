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
        System.out.println("[routing IT] " + ForkedJvm.lines(result.stdout(), "COUNTERS"));
        int contractChecks = new ExecutorContract(f -> null, () -> null).allChecks().size();
        assertAllPassed(result, contractChecks + 6);
    }

    @Test
    void observeModeRoutesNothingAndTheJdkExecutorKeepsItsContract() throws Exception {
        ForkedJvm.Result result = ForkedJvm.run(ForkedJvm.agentOptions("observe", ""), ExecutorContractMain.class, "observe");
        int contractChecks = new ExecutorContract(f -> null, () -> null).allChecks().size();
        assertAllPassed(result, contractChecks + 1);
        assertThat(result.stdout()).contains("routedCallSites=0").contains("executors=0");
    }

    @Test
    void discardedStartsRunOnRecycledThreadsAndKeptThreadsAreUntouched() throws Exception {
        ForkedJvm.Result result = ForkedJvm.run(ForkedJvm.agentOptions(""), FireAndForgetMain.class);
        System.out.println("[routing IT] " + ForkedJvm.lines(result.stdout(), "COUNTERS"));
        assertAllPassed(result, 9);
    }

    /** vtrecycler_tasks_total moves and the routing meters are exported, as Prometheus scrapes them. */
    @Test
    void metricsEndpointShowsRoutedTasksAndCallSites() throws Exception {
        try (ForkedJvm.Forked forked = ForkedJvm.start(ForkedJvm.agentOptions("host=127.0.0.1,port=0"),
                FireAndForgetMain.class, "hold")) {
            awaitLine(forked, "HOLD", Duration.ofMinutes(2));
            String err = java.nio.file.Files.readString(forked.err());
            java.util.regex.Matcher url = java.util.regex.Pattern.compile("http://127\\.0\\.0\\.1:\\d+/metrics").matcher(err);
            assertThat(url.find()).as(err).isTrue();
            var client = java.net.http.HttpClient.newHttpClient();
            String scrape = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url.group())).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            double reused = sum(scrape, "vtrecycler_tasks_total{", "source=\"local\"")
                    + sum(scrape, "vtrecycler_tasks_total{", "source=\"global\"");
            assertThat(reused).as(scrape).isPositive();
            assertThat(sum(scrape, "vtrecycler_routed_call_sites", "")).as(scrape).isGreaterThanOrEqualTo(FireAndForgetMain.SITES);
            assertThat(scrape).contains("vtrecycler_executors_total{").contains("kind=\"recycling\"");
            OutputStream stdin = forked.process().getOutputStream();
            stdin.write("EXIT\n".getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            assertAllPassed(forked.await(ForkedJvm.TIMEOUT), 9);
        }
    }

    /** Sum of the samples of the series whose line starts with {@code prefix} and contains {@code label}. */
    private static double sum(String scrape, String prefix, String label) {
        return scrape.lines()
                .filter(l -> l.startsWith(prefix) && l.contains(label))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
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
        try (ForkedJvm.Forked target = ForkedJvm.start(List.of("-cp", ForkedJvm.slimClassPath()), AttachTargetMain.class)) {
            String ready = awaitLine(target, "READY ", Duration.ofSeconds(60));
            assertThat(ready).contains("java.util.concurrent.ThreadPerTaskExecutor");
            VirtualMachine vm = VirtualMachine.attach(Long.toString(target.process().pid()));
            try {
                vm.loadAgent(ForkedJvm.agentJar().toString(), "mode=recycle,port=none");
            } finally {
                vm.detach();
            }
            OutputStream stdin = target.process().getOutputStream();
            stdin.write("GO\n".getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            ForkedJvm.Result result = target.await(ForkedJvm.TIMEOUT);
            System.out.println("[routing IT] attach: " + ForkedJvm.lines(result.stdout(), "COUNTERS"));
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
