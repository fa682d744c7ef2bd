package dev.vtrecycler.demo.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code service-ab --server} with every server, once each, briefly, with the agent recycling: each
 * server JVM starts from the demo jar (Spring Boot included, so the shading works), answers its route
 * on virtual threads (service-ab checks the first answer), carries both steps without a failed
 * request, and its recycler counters are read from the agent's endpoint at the end. A smoke run: the
 * figures themselves are not asserted. About a minute on 2 quiet cores.
 */
class ServiceAbServersIT {
    private static final List<String> SERVERS = List.of("jetty", "tomcat", "spring", "spring-async", "jdk");

    @Test
    void everyServerRunsOnceAndReportsItsRecyclerCounters() throws Exception {
        DemoJar.Result result = DemoJar.run(300, "service-ab", "--quick", "--server", String.join(",", SERVERS),
                "--configs", "recycle", "--warmup", "1", "--step", "1", "--work", "empty", "--heap", "128m");

        assertThat(result.exitCode()).as("stderr:\n" + result.stderr()).isZero();
        List<String> lines = result.stdout().lines().toList();
        assertThat(lines.stream().filter(l -> l.startsWith("== "))).hasSize(SERVERS.size());
        for (int i = 0; i < SERVERS.size(); i++) {
            String server = SERVERS.get(i);
            assertThat(lines).anyMatch(l -> l.startsWith("== " + server + ": "));
            assertThat(result.stderr()).contains("service-ab [" + (i + 1) + "/5] " + server
                    + " mode=recycle round 1: max (16 in flight): achieved");
        }
        assertThat(lines.stream().filter(l -> l.startsWith("failed requests, all rounds"))).hasSize(SERVERS.size());
        assertThat(lines.stream().filter(l -> l.matches("max \\(16 in flight\\) +0"))).hasSize(SERVERS.size());
        // tasks by source after every server's run: the agent's endpoint was found and read
        assertThat(lines.stream().filter(l -> l.matches(
                "mode=recycle +vtrecycler_tasks_total\\{source=\"global\"\\} +[\\d,]+ +[\\d,]+"))).hasSize(SERVERS.size());
        assertThat(result.stderr()).doesNotContain("recycler series not read").doesNotContain("Sharing is only supported");
    }

    /**
     * The allocation floor ({@code --configs no-agent,platform-threads}): the server JVMs of the second
     * column run the route on platform threads (service-ab checks the first answer says so and fails
     * the run otherwise), carry the load without a failed request, and get a column of their own.
     */
    @Test
    void theFloorColumnRunsOnPlatformThreads() throws Exception {
        DemoJar.Result result = DemoJar.run(300, "service-ab", "--quick", "--server", "spring-async",
                "--configs", "no-agent,platform-threads", "--warmup", "1", "--step", "1", "--work", "empty", "--heap", "128m");

        assertThat(result.exitCode()).as("stderr:\n" + result.stderr()).isZero();
        assertThat(result.stderr()).contains("handlers on platform threads (a pool)")
                .contains("handlers on virtual threads");
        assertThat(result.stdout()).contains("platform threads");
        assertThat(result.stdout().lines()).anyMatch(l -> l.matches("max \\(16 in flight\\) +0 +0"));
    }

    /**
     * {@code --cpus 1/0}: the server JVM sees one processor (taskset took), the header says where each
     * ran, and the run with a neighbour on the server's CPU completes without a failed request.
     */
    @Test
    void aPinnedServerRunsOnItsOwnCpu() throws Exception {
        assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "needs 2 CPUs to split");
        DemoJar.Result result = DemoJar.run(300, "service-ab", "--quick", "--server", "jdk", "--configs", "recycle",
                "--warmup", "1", "--step", "1", "--work", "empty", "--heap", "128m", "--cpus", "1/0", "--neighbour", "1");

        assertThat(result.exitCode()).as("stderr:\n" + result.stderr()).isZero();
        assertThat(result.stderr()).contains("handlers on virtual threads, 1 processor; work: ")
                .contains("neighbour JVM with 1 busy thread(s)");
        assertThat(result.stdout()).contains("server on CPU(s) 1, load generator on CPU(s) 0");
        assertThat(result.stdout().lines()).anyMatch(l -> l.matches("max \\(16 in flight\\) +0"));
    }
}
