package dev.vtrecycler.it.tracing;

import com.sun.tools.attach.VirtualMachine;
import dev.vtrecycler.it.support.ForkedJvm;
import dev.vtrecycler.it.support.Scrape;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15: with the real OpenTelemetry Java agent, every submission style of {@link TracedStyles}
 * propagates (or not) the submitter's trace context with vtrecycler recycling exactly as with the
 * OpenTelemetry agent alone, in both {@code -javaagent} orders and with either agent attached
 * dynamically; the same for the Elastic APM agent in both orders; and tasks really ran on reused
 * threads. Each agent's baseline (alone) is measured in the same run and checked against the table.
 */
class TracePropagationIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(4);
    private static final Pattern ROW = Pattern.compile("ROW (\\S+) propagated=(\\d+) of=(\\d+) threads=(\\d+)");
    private static final String VTRECYCLER_ARGS = "mode=recycle,port=none";
    private static final ApmAgentJar OTEL = ApmAgentJar.OPENTELEMETRY;
    private static final ApmAgentJar ELASTIC = ApmAgentJar.ELASTIC;

    private static final Map<ApmAgentJar, Map<String, String>> ALONE = new ConcurrentHashMap<>();

    /** Test classes plus the application's OpenTelemetry API jars (test-scoped dependencies). */
    static String classPath() {
        List<String> entries = new ArrayList<>();
        entries.add(ForkedJvm.testClasses().toString());
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(p -> p.contains("opentelemetry-api") || p.contains("opentelemetry-context")
                        || p.contains("opentelemetry-common"))
                .forEach(entries::add);
        return String.join(File.pathSeparator, entries);
    }

    /** What {@code agent} alone does, measured once per test class and checked against its table. */
    private static Map<String, String> alone(ApmAgentJar agent) throws Exception {
        Map<String, String> rows = ALONE.get(agent);
        if (rows == null) {
            rows = runToEnd(agent.options(agent.flag()), null);
            assertThat(rows).as("%s agent alone", agent.name()).isEqualTo(agent.aloneExpected());
            ALONE.put(agent, rows);
        }
        return rows;
    }

    /**
     * Waits for the end; returns style to "all" / "none" / "partial n/m". With {@code recycledUnder}
     * (the APM agent's name) also checks that vtrecycler routed the executors, reused threads and
     * suppressed no error.
     */
    private static Map<String, String> run(ForkedJvm jvm, String recycledUnder) throws Exception {
        assertThat(jvm.waitFor(TIMEOUT)).as(jvm.transcript()).isZero();
        assertThat(jvm.stdoutLines()).as(jvm.transcript()).contains("RESULT done");
        Map<String, String> result = new LinkedHashMap<>();
        for (String line : jvm.stdoutLines()) {
            Matcher m = ROW.matcher(line);
            if (!m.matches()) {
                continue;
            }
            int propagated = Integer.parseInt(m.group(2));
            int tasks = Integer.parseInt(m.group(3));
            int threads = Integer.parseInt(m.group(4));
            result.put(m.group(1), propagated == tasks ? "all" : propagated == 0 ? "none" : "partial " + propagated + "/" + tasks);
            if (recycledUnder != null) {
                // reuse shown: fewer threads than tasks (the JDK's executor uses one per task)
                assertThat(threads).as("threads for %s\n%s", m.group(1), jvm.transcript()).isLessThan(tasks);
            }
        }
        assertThat(result.keySet()).as(jvm.transcript()).containsExactlyInAnyOrderElementsOf(OTEL.aloneExpected().keySet());
        if (recycledUnder != null) {
            assertThat(jvm.stdoutLines()).as(jvm.transcript()).contains("ADVICE_ERRORS 0")
                    .anyMatch(l -> l.startsWith("EXECUTOR ") && !l.equals("EXECUTOR java.util.concurrent.ThreadPerTaskExecutor"));
        }
        System.out.println("[tracing IT] " + (recycledUnder == null ? "alone " : "recycling under " + recycledUnder + " ")
                + jvm.stdoutLines().stream().filter(l -> l.startsWith("ROW") || l.startsWith("EXECUTOR")).toList());
        return result;
    }

    private static Map<String, String> runToEnd(List<String> options, String recycledUnder) throws Exception {
        try (ForkedJvm jvm = ForkedJvm.start(ForkedJvm.javaLauncher(), options, classPath(), TracePropagationMain.class)) {
            return run(jvm, recycledUnder);
        }
    }

    /** Starts with {@code options}, attaches {@code jar} with {@code args} while the program waits, then runs it. */
    private static Map<String, String> runWithAttach(List<String> options, Path jar, String args, String recycledUnder)
            throws Exception {
        try (ForkedJvm jvm = ForkedJvm.start(ForkedJvm.javaLauncher(), options, classPath(), TracePropagationMain.class, "wait")) {
            jvm.awaitStdout(l -> l.startsWith("READY "), Duration.ofMinutes(2));
            VirtualMachine vm = VirtualMachine.attach(Long.toString(jvm.pid()));
            try {
                vm.loadAgent(jar.toString(), args);
            } finally {
                vm.detach();
            }
            jvm.send("GO");
            return run(jvm, recycledUnder);
        }
    }

    private static void assertOpenTelemetryLine(ForkedJvm jvm) {
        assertThat(jvm.agentLines()).as(jvm.transcript()).anyMatch(l -> l.matches(
                "\\[vtrecycler] OpenTelemetry Java agent \\S+ detected: recycled tasks carry its trace context.*"));
    }

    @Test
    void openTelemetryThenVtrecycler() throws Exception {
        try (ForkedJvm jvm = ForkedJvm.start(ForkedJvm.javaLauncher(),
                OTEL.options(OTEL.flag(), ForkedJvm.javaagent(VTRECYCLER_ARGS)), classPath(), TracePropagationMain.class)) {
            assertThat(run(jvm, OTEL.name())).isEqualTo(alone(OTEL));
            assertOpenTelemetryLine(jvm);
        }
    }

    /** Also: once the OpenTelemetry agent started after ours, the line and vtrecycler_apm_agent_info say so. */
    @Test
    void vtrecyclerThenOpenTelemetry() throws Exception {
        List<String> options = OTEL.options(ForkedJvm.javaagent("mode=recycle,host=127.0.0.1,port=0"), OTEL.flag());
        try (ForkedJvm jvm = ForkedJvm.start(ForkedJvm.javaLauncher(), options, classPath(), TracePropagationMain.class, "hold")) {
            jvm.awaitStdout(l -> l.equals("RESULT done"), TIMEOUT);
            Scrape scrape = Scrape.of(jvm.metricsPort());
            assertThat(scrape.value("vtrecycler_apm_agent_info{agent=\"opentelemetry\",trace_context=\"carried\"}"))
                    .as(scrape.body()).isEqualTo(1.0);
            jvm.send("EXIT");
            assertThat(run(jvm, OTEL.name())).isEqualTo(alone(OTEL));
            assertOpenTelemetryLine(jvm);
        }
    }

    @Test
    void vtrecyclerAttachedToAJvmRunningOpenTelemetry() throws Exception {
        assertThat(runWithAttach(OTEL.options(OTEL.flag()), ForkedJvm.agentJar(), VTRECYCLER_ARGS, OTEL.name()))
                .isEqualTo(alone(OTEL));
    }

    @Test
    void openTelemetryAttachedToAJvmRunningVtrecycler() throws Exception {
        assertThat(runWithAttach(OTEL.options(ForkedJvm.javaagent(VTRECYCLER_ARGS)), OTEL.jar(), null, OTEL.name()))
                .isEqualTo(alone(OTEL));
    }

    @Test
    void elasticThenVtrecycler() throws Exception {
        assertThat(runToEnd(ELASTIC.options(ELASTIC.flag(), ForkedJvm.javaagent(VTRECYCLER_ARGS)), ELASTIC.name()))
                .isEqualTo(alone(ELASTIC));
    }

    @Test
    void vtrecyclerThenElastic() throws Exception {
        assertThat(runToEnd(ELASTIC.options(ForkedJvm.javaagent(VTRECYCLER_ARGS), ELASTIC.flag()), ELASTIC.name()))
                .isEqualTo(alone(ELASTIC));
    }
}
