package dev.vtrecycler.it.frameworks;

import dev.vtrecycler.it.support.JvmtiFlag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real servers under the agent (recycle mode, every class verified): a few thousand requests from
 * this JVM, none failed, and the requests' virtual threads reused. Each prints one {@code [framework]}
 * line with the figures the README's framework table quotes.
 */
class FrameworksIT {
    private static final int REQUESTS = 3000;
    private static final int CONCURRENCY = 8;

    private static Map<String, Long> serve(String server, JvmtiFlag jvmti) throws Exception {
        // JDK 24+ with the flag off: a server whose own code owns a monitor while it blocks (the JDK's
        // HttpServer) can meet the HotSpot monitor bug (JvmtiFlag, docs/jdk-versions.md) and stall: the full
        // build saw 2,218 of 3,000 requests in 122 s. Not the agent's to fix; the README says not to use the
        // flag there. JDK 21 runs these cases.
        org.junit.jupiter.api.Assumptions.assumeFalse(jvmti.jdkHasMonitorBug(),
                "JDK 24+ with -XX:-DoJVMTIVirtualThreadTransitions: HotSpot monitor bug, see JvmtiFlag");
        try (FrameworkForks.Served served = FrameworkForks.server(true, jvmti, server, true)) {
            LoadClient.Result load = LoadClient.run(served.port(), CONCURRENCY, REQUESTS, Duration.ofMinutes(2));
            Map<String, Long> stats = FrameworkForks.stats(served.jvm());
            System.out.printf("[framework] %s (%s): %d ok, %d failed in %.1f s; handler ran on %d distinct threads for %d requests"
                            + " (%d on virtual threads); recycler tasks %d, reused %d; routed starts %d, recycling executors %d;"
                            + " sites direct/reflective/local %d/%d/%d; handled again on the same/a new connection %d/%d%n",
                    server, jvmti, load.ok(), load.failed(), load.seconds(), stats.get("distinctThreads"), stats.get("requests"),
                    stats.get("virtual"), stats.get("recyclerTasks"), stats.get("reusedTasks"), stats.get("routedStarts"),
                    stats.get("executors"), stats.get("sitesDirect"), stats.get("sitesReflective"), stats.get("sitesLocal"),
                    stats.get("againSameConnection"), stats.get("againNewConnection"));
            assertThat(load.failed()).as(served.jvm().transcript()).isZero();
            assertThat(load.ok()).isEqualTo(REQUESTS);
            // "None run twice": a request id the handler saw twice on its connection is a task run twice.
            // The same id on a new connection is the client resending a GET whose kept-alive
            // connection it found closed: two requests to the server, each handled once. (One CI run on
            // JDK 21 once counted 3,001 handled for 3,000 answered, before these ids told the two apart.)
            assertThat(stats.get("againSameConnection")).as("requests handled twice").isZero();
            assertThat(stats.get("requests") - stats.get("againNewConnection")).isEqualTo(REQUESTS);
            assertThat(served.jvm().agentLines()).as("no agent complaint").noneMatch(l -> l.contains("left ") || l.contains("could not"));
            return stats;
        }
    }

    /** Tomcat 11.0.27: Jre21Compat's startMethod.invoke(builder, r), routed by the reflective rewrite. */
    @ParameterizedTest
    @EnumSource(JvmtiFlag.class)
    void tomcatWithVirtualThreadsReusesThem(JvmtiFlag jvmti) throws Exception {
        Map<String, Long> stats = serve("tomcat", jvmti);
        assertThat(stats.get("virtual")).isEqualTo(REQUESTS);
        assertThat(stats.get("sitesReflective")).isPositive();
        // Tomcat may serve a pipelined next request in the same task: a little under one start per request
        assertThat(stats.get("routedStarts")).isGreaterThan(REQUESTS / 2);
        assertThat(stats.get("reusedTasks")).as("tasks on a recycled thread").isGreaterThan(REQUESTS / 2);
        assertThat(stats.get("distinctThreads")).as("thread reuse").isLessThan(REQUESTS / 2);
    }

    /** Jetty 12, the JDK HttpServer: the JDK's virtual executor, replaced at Executors. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"jetty, TRANSITIONS_ON", "jetty, TRANSITIONS_OFF", "httpserver, TRANSITIONS_ON", "httpserver, TRANSITIONS_OFF"})
    void executorBasedServersReuseThreads(String server, JvmtiFlag jvmti) throws Exception {
        Map<String, Long> stats = serve(server, jvmti);
        assertThat(stats.get("virtual")).isEqualTo(REQUESTS);
        assertThat(stats.get("executors")).isPositive();
        assertThat(stats.get("reusedTasks")).isGreaterThan(REQUESTS / 2);
        assertThat(stats.get("distinctThreads")).isLessThan(REQUESTS / 2);
    }

    /** The fields of a {@code SPRING <executor> k=v ...} line. */
    private static Map<String, String> springLine(dev.vtrecycler.it.support.ForkedJvm jvm, String executor) {
        String line = jvm.stdoutLines().stream().filter(l -> l.startsWith("SPRING " + executor + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no line for " + executor + "\n" + jvm.transcript()));
        System.out.println("[framework] " + line);
        Map<String, String> fields = new java.util.HashMap<>();
        for (String pair : line.split(" ")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                fields.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return fields;
    }

    /**
     * Spring 7: VirtualThreadTaskExecutor ({@code factory.newThread(task).start()}, a call site) and
     * SimpleAsyncTaskExecutor ({@code this.newThread(task).start()}, advice on doExecute) are routed,
     * reuse threads and keep their thread names; SimpleAsyncTaskExecutor with a task termination
     * timeout keeps its threads, so nothing is routed and close() still waits for its running tasks.
     * With {@code fallback=off}: by default the governor starts Spring's route on fresh threads
     * ({@code RouteGovernor.FRESH_ON_TIE}), and this tests the routing itself.
     */
    @ParameterizedTest
    @EnumSource(JvmtiFlag.class)
    void springExecutors(JvmtiFlag jvmti) throws Exception {
        dev.vtrecycler.it.support.ForkedJvm jvm = FrameworkForks.start(
                FrameworkForks.options("mode=recycle,fallback=off,port=none", jvmti), SpringExecutorsMain.class);
        try (jvm) {
            assertThat(jvm.waitFor(FrameworkForks.TIMEOUT)).as(jvm.transcript()).isZero();
        }
        int tasks = SpringExecutorsMain.TASKS;
        assertRoutedAndReused(springLine(jvm, "VirtualThreadTaskExecutor"), tasks);
        assertRoutedAndReused(springLine(jvm, "SimpleAsyncTaskExecutor"), tasks);

        Map<String, String> overriding = springLine(jvm, "SimpleAsyncTaskExecutor+newThreadOverride");
        assertThat(overriding).containsEntry("finished", "true").containsEntry("routedStarts", "0")
                .containsEntry("named", Integer.toString(tasks));

        Map<String, String> tracking = springLine(jvm, "SimpleAsyncTaskExecutor+terminationTimeout");
        assertThat(tracking).containsEntry("finished", "true").containsEntry("virtual", Integer.toString(tasks))
                .containsEntry("routedStarts", "0").containsEntry("distinctThreads", Integer.toString(tasks));
        assertThat(jvm.stdoutLines()).as(jvm.transcript()).contains("CLOSE waited=true", "RESULT ok");
    }

    /** An executor whose every start was routed: all tasks on named virtual threads, most of them reused. */
    private static void assertRoutedAndReused(Map<String, String> line, int tasks) {
        assertThat(line).containsEntry("finished", "true").containsEntry("virtual", Integer.toString(tasks))
                .containsEntry("named", Integer.toString(tasks));
        assertThat(Long.parseLong(line.get("routedStarts"))).isEqualTo(tasks);
        assertThat(Long.parseLong(line.get("reusedTasks"))).isGreaterThan(tasks / 2);
        assertThat(Long.parseLong(line.get("distinctThreads"))).isLessThan(tasks / 2);
    }

    /**
     * Helidon 4 keeps one virtual thread per connection for the connection's life: requests on kept-alive
     * connections share their connection's thread with or without the agent. Only a new connection
     * could get a recycled thread; nothing to assert about reuse beyond correctness.
     */
    @Test
    void helidonServesCorrectly() throws Exception {
        Map<String, Long> stats = serve("helidon", JvmtiFlag.TRANSITIONS_ON);
        assertThat(stats.get("virtual")).isEqualTo(REQUESTS);
    }
}
