package dev.vtrecycler.it.timer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtrecycler.it.support.ForkedJvm;
import dev.vtrecycler.it.support.Scrape;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reusable timeouts (issue 19) in forked JVMs: every timed-park scenario of
 * {@link TimedParkScenariosMain} prints exactly what it prints without the agent, with
 * {@code mode=schedule} and {@code mode=recycle}, plain and under {@code -Xverify:all}; the
 * metrics say which parts are on and how the timeouts were armed; a JDK without the shape keeps
 * its own timers with one line.
 */
class TimedParkForkedIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(6);
    private static final String OPENS = "--add-opens=java.base/java.lang=ALL-UNNAMED";

    private static List<String> expected;
    /** Timers are reused on JDK 25 (its DelayScheduler); JDK 21's unparker keeps its own tasks (docs/scheduling.md). */
    private static final boolean REUSES_TIMERS = Runtime.version().feature() >= 25;

    private static synchronized List<String> resultsWithoutAgent() throws Exception {
        if (expected == null) {
            ForkedJvm plain = run(List.of(OPENS));
            expected = lines(plain, "RESULT ");
            assertThat(expected).as(plain.transcript()).hasSize(14)
                    .contains("RESULT timeouts early=0 done=1600 lost=0", "RESULT same-deadline early=0 lost=0");
        }
        return expected;
    }

    private static ForkedJvm run(List<String> options) throws Exception {
        try (ForkedJvm jvm = ForkedJvm.start(options, TimedParkScenariosMain.class)) {
            assertThat(jvm.waitFor(TIMEOUT)).as(jvm.transcript()).isZero();
            return jvm;
        }
    }

    private static List<String> lines(ForkedJvm jvm, String prefix) {
        return jvm.stdoutLines().stream().filter(l -> l.startsWith(prefix)).toList();
    }

    private static long counter(ForkedJvm jvm, String name) {
        return Long.parseLong(lines(jvm, "COUNTERS ").get(0).replaceAll(".*" + name + "=(\\d+).*", "$1"));
    }

    /**
     * timers=reuse is the default on JDK 25; {@code timers=jdk} turns it off; on JDK 21 (no shape) a
     * default falls back silently and an explicit {@code timers=reuse} says why in one line.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mode=schedule", "mode=schedule -Xverify:all", "mode=recycle -Xverify:all",
            "mode=schedule,timers=jdk", "mode=recycle,timers=reuse"})
    void everyTimedParkScenarioMatchesTheJvmWithoutTheAgent(String variant) throws Exception {
        String[] parts = variant.split(" ");
        boolean jdkAsked = parts[0].contains("timers=jdk");
        boolean reuseAsked = parts[0].contains("timers=reuse");
        List<String> expected = resultsWithoutAgent();
        String mode = parts[0].split(",")[0];
        List<String> options = new ArrayList<>(List.of(OPENS, ForkedJvm.javaagent(parts[0] + ",port=none")));
        if (parts.length > 1) {
            options.add(parts[1]);
        }
        ForkedJvm jvm = run(options);
        assertThat(lines(jvm, "RESULT ")).as(jvm.transcript()).isEqualTo(expected);
        assertThat(jvm.stderrLines()).noneMatch(l -> l.contains("VerifyError") || l.contains("Exception"));
        if (jdkAsked || !REUSES_TIMERS) { // the JDK's timers, nothing counted; on JDK 21 one line only if asked
            assertThat(jvm.agentLines()).as(jvm.transcript())
                    .anyMatch(l -> l.contains("active: " + mode + ", wakeups=reuse, timers=jdk"))
                    .filteredOn(l -> l.contains("timers=reuse not applied")).hasSize(reuseAsked ? 1 : 0);
            assertThat(lines(jvm, "COUNTERS ")).containsExactly("COUNTERS reused=0 allocated=0");
            return;
        }
        assertThat(jvm.agentLines()).as(jvm.transcript())
                .anyMatch(l -> l.contains("active: " + mode + ", wakeups=reuse, timers=reuse"))
                .noneMatch(l -> l.contains("not applied") || l.contains("not in force") || l.contains("warning"));
        // every timed park on a ForkJoinPool scheduler went through the reusable timeout, and the
        // scenarios' thousands of sequential timed parks that expired re-armed tasks
        assertThat(counter(jvm, "reused")).as(jvm.transcript()).isPositive();
        assertThat(counter(jvm, "reused") + counter(jvm, "allocated")).as(jvm.transcript()).isGreaterThan(4_000);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mode=schedule", "mode=recycle", "mode=observe"})
    void metricsSayWhichPartsAreOnAndHowTimeoutsWereArmed(String args) throws Exception {
        List<String> options = List.of(OPENS, ForkedJvm.javaagent(args + ",port=0,host=127.0.0.1"));
        try (ForkedJvm jvm = ForkedJvm.start(options, TimedParkScenariosMain.class, "hold")) {
            int port = jvm.metricsPort();
            jvm.awaitStdout(l -> l.startsWith("COUNTERS"), TIMEOUT);
            Scrape scrape = Scrape.of(port);
            String mode = args.substring("mode=".length()).split(",")[0];
            boolean timers = !mode.equals("observe") && REUSES_TIMERS; // the default where the shape is
            boolean wakeups = !mode.equals("observe");
            assertThat(scrape.body()).contains("# HELP vtrecycler_timed_parks_total ")
                    .containsPattern("vtrecycler_info\\{[^}]*mode=\"" + mode + "\"")
                    .containsPattern("vtrecycler_info\\{[^}]*timers=\"" + (timers ? "reuse" : "jdk") + "\"")
                    .containsPattern("vtrecycler_info\\{[^}]*wakeups=\"" + (wakeups ? "reuse" : "jdk") + "\"");
            double reused = scrape.value("vtrecycler_timed_parks_total{timer=\"reused\"}");
            double allocated = scrape.value("vtrecycler_timed_parks_total{timer=\"allocated\"}");
            if (timers) {
                assertThat(reused).as(scrape.body()).isPositive();
                assertThat(reused + allocated).as(scrape.body()).isGreaterThan(4_000);
            } else {
                assertThat(reused + allocated).as(scrape.body()).isZero();
            }
            assertThat(scrape.value("vtrecycler_advice_errors_total")).isZero();
            if (mode.equals("schedule")) {
                // nothing pooled, nothing routed: the recycler is not there at all
                assertThat(scrape.body()).doesNotContain("vtrecycler_tasks_total").doesNotContain("vtrecycler_routed");
            }
            jvm.send("exit");
            assertThat(jvm.waitFor(TIMEOUT)).as(jvm.transcript()).isZero();
        }
    }

    @Test
    void aJdkWithoutTheShapeKeepsItsTimersWithOneLine(@TempDir Path patch) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(REUSES_TIMERS,
                "JDK " + Runtime.version().feature() + " has no such shape itself: the other tests check it fails open");
        List<String> options = List.of(OPENS, JdkWithoutTimerShape.patchModuleOption(patch),
                ForkedJvm.javaagent("mode=schedule,timers=reuse,port=none"));
        ForkedJvm jvm = run(options);
        assertThat(lines(jvm, "RESULT ")).as(jvm.transcript()).isEqualTo(resultsWithoutAgent());
        assertThat(jvm.agentLines()).as(jvm.transcript()).hasSize(2);
        assertThat(jvm.agentLines()).as(jvm.transcript()).filteredOn(l -> l.contains("timers=reuse not"))
                .singleElement().asString()
                .startsWith("[vtrecycler] timers=reuse not applied: java.lang.VirtualThread.afterYield has no schedule(this::parkTimeoutExpired")
                .endsWith("timed parks keep the JDK's timer tasks");
        assertThat(jvm.agentLines()).anyMatch(l -> l.contains("active: mode=schedule, wakeups=reuse, timers=jdk"));
        assertThat(lines(jvm, "COUNTERS ")).containsExactly("COUNTERS reused=0 allocated=0");
        // the default, not asked for: the same fallback without a line
        ForkedJvm quiet = run(List.of(OPENS, JdkWithoutTimerShape.patchModuleOption(patch),
                ForkedJvm.javaagent("mode=schedule,port=none")));
        assertThat(quiet.agentLines()).as(quiet.transcript()).singleElement().asString()
                .contains("active: mode=schedule, wakeups=reuse, timers=jdk");
    }
}
