package dev.vtrecycler.it.tracing;

import com.sun.tools.attach.VirtualMachine;
import dev.vtrecycler.it.support.ForkedJvm;
import dev.vtrecycler.it.support.Scrape;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15: with the real OpenTelemetry Java agent, every submission style of {@link TracedStyles}
 * propagates (or not) the submitter's trace context with vtrecycler recycling exactly as with the
 * OpenTelemetry agent alone, in both {@code -javaagent} orders and with either agent attached
 * dynamically; and tasks really ran on reused threads.
 */
class TracePropagationIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(4);
    private static final Pattern ROW = Pattern.compile("ROW (\\S+) propagated=(\\d+) of=(\\d+) threads=(\\d+)");
    private static final String VTRECYCLER_ARGS = "mode=recycle,port=none";
    /** No exporter, no network: spans only need to exist and be current. */
    private static final List<String> OTEL_SETTINGS = List.of(
            "-Dotel.traces.exporter=none", "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none",
            "-Dotel.javaagent.logging=none", "-XX:+EnableDynamicAgentLoading");
    /** What the OpenTelemetry agent alone does, per style (issue 15's table). */
    private static final Map<String, String> OTEL_ALONE_EXPECTED = Map.of(
            "submit-lambda", "all", "factory-execute", "all", "supplyAsync", "all",
            "startVirtualThread-discarded", "none", "context-wrap-explicit", "all",
            "submit-anonymous-callable", "all", "execute-anonymous-runnable", "all",
            "invokeAll-lambda", "all", "no-span-at-submission", "none");

    private static Map<String, String> otelAlone;

    static Path otelAgent() {
        Path jar = Path.of(System.getProperty("vtrecycler.otel.agent.jar", "target/otel/opentelemetry-javaagent.jar"));
        assertThat(jar).as("the OpenTelemetry agent, copied by maven-dependency-plugin").isRegularFile();
        return jar.toAbsolutePath();
    }

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

    private static List<String> options(String... agents) {
        List<String> options = new ArrayList<>(OTEL_SETTINGS);
        options.addAll(List.of(agents));
        return options;
    }

    private static String otelFlag() {
        return "-javaagent:" + otelAgent();
    }

    /** Runs the styles to the end; returns style to "all" / "none" / "partial n/m", checking the run's sanity. */
    private static Map<String, String> run(ForkedJvm jvm, boolean recycling) throws Exception {
        assertThat(jvm.waitFor(TIMEOUT)).as(jvm.transcript()).isZero();
        return rows(jvm, recycling);
    }

    private static Map<String, String> rows(ForkedJvm jvm, boolean recycling) throws Exception {
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
            if (recycling) {
                // reuse shown: fewer threads than tasks (the JDK's executor would use one per task)
                assertThat(threads).as("threads for %s\n%s", m.group(1), jvm.transcript()).isLessThan(tasks);
            }
        }
        assertThat(result.keySet()).as(jvm.transcript()).containsExactlyInAnyOrderElementsOf(OTEL_ALONE_EXPECTED.keySet());
        if (recycling) {
            assertThat(jvm.stdoutLines()).as(jvm.transcript())
                    .contains("EXECUTOR dev.vtrecycler.bootstrap.routing.RecyclingExecutor", "ADVICE_ERRORS 0");
            assertThat(jvm.agentLines()).as(jvm.transcript())
                    .anyMatch(l -> l.matches("\\[vtrecycler] OpenTelemetry Java agent \\S+ detected: recycled tasks carry its trace context.*"));
        }
        System.out.println("[tracing IT] " + result + " " + jvm.stdoutLines().stream().filter(l -> l.startsWith("ROW")).toList());
        return result;
    }

    private static Map<String, String> runToEnd(List<String> options, boolean recycling) throws Exception {
        try (ForkedJvm jvm = ForkedJvm.start(ForkedJvm.javaLauncher(), options, classPath(), TracePropagationMain.class)) {
            return run(jvm, recycling);
        }
    }

    /** Starts with {@code options}, attaches {@code jar} with {@code args} while the program waits, then runs it. */
    private static Map<String, String> runWithAttach(List<String> options, Path jar, String args, boolean recycling)
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
            return run(jvm, recycling);
        }
    }

    @BeforeAll
    static void openTelemetryAlone() throws Exception {
        otelAlone = runToEnd(options(otelFlag()), false);
        // the baseline is the table; if a new agent version changes it, the comparison below still holds
        assertThat(otelAlone).as("OpenTelemetry agent alone").isEqualTo(OTEL_ALONE_EXPECTED);
    }

    @Test
    void openTelemetryThenVtrecycler() throws Exception {
        assertThat(runToEnd(options(otelFlag(), ForkedJvm.javaagent(VTRECYCLER_ARGS)), true)).isEqualTo(otelAlone);
    }

    /** Also: once the OpenTelemetry agent started after ours, vtrecycler_apm_agent_info says its context is carried. */
    @Test
    void vtrecyclerThenOpenTelemetry() throws Exception {
        List<String> options = options(ForkedJvm.javaagent("mode=recycle,host=127.0.0.1,port=0"), otelFlag());
        try (ForkedJvm jvm = ForkedJvm.start(ForkedJvm.javaLauncher(), options, classPath(), TracePropagationMain.class, "hold")) {
            jvm.awaitStdout(l -> l.equals("RESULT done"), TIMEOUT);
            Scrape scrape = Scrape.of(jvm.metricsPort());
            assertThat(scrape.value("vtrecycler_apm_agent_info{agent=\"opentelemetry\",trace_context=\"carried\"}"))
                    .as(scrape.body()).isEqualTo(1.0);
            jvm.send("EXIT");
            assertThat(run(jvm, true)).isEqualTo(otelAlone);
        }
    }

    @Test
    void vtrecyclerAttachedToAJvmRunningOpenTelemetry() throws Exception {
        assertThat(runWithAttach(options(otelFlag()), ForkedJvm.agentJar(), VTRECYCLER_ARGS, true)).isEqualTo(otelAlone);
    }

    @Test
    void openTelemetryAttachedToAJvmRunningVtrecycler() throws Exception {
        assertThat(runWithAttach(options(ForkedJvm.javaagent(VTRECYCLER_ARGS)), otelAgent(), null, true)).isEqualTo(otelAlone);
    }
}
