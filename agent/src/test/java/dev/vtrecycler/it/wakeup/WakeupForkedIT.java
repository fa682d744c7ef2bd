package dev.vtrecycler.it.wakeup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtrecycler.it.support.ForkedJvm;
import dev.vtrecycler.it.support.JvmtiFlag;
import dev.vtrecycler.it.support.Scrape;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reusable wake-up tasks (issue 9) in forked JVMs: every wake-up scenario gives the same exact
 * results as without the agent, also under {@code -Xverify:all}; a wake-up allocates nothing with
 * {@code wakeups=reuse} and the JDK's adapter with {@code wakeups=jdk}; the metrics say which.
 */
class WakeupForkedIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(4);
    private static final String PIN_ACCESS = "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED";
    private static final int WAKEUPS = 100_000;

    /** The scenarios' results without the agent, computed once per JVMTI case (same flag, same scenarios). */
    private static final java.util.Map<JvmtiFlag, List<String>> EXPECTED = new java.util.EnumMap<>(JvmtiFlag.class);

    private static synchronized List<String> resultsWithoutAgent(JvmtiFlag jvmti) throws Exception {
        List<String> results = EXPECTED.get(jvmti);
        if (results == null) {
            List<String> options = new ArrayList<>(jvmti.jvmOptions());
            options.add(PIN_ACCESS);
            List<String> skipped = jvmti.scenariosTheJdkCannotRun();
            ForkedJvm plain = run(options, WakeupScenariosMain.class, skipped.toArray(String[]::new));
            results = lines(plain, "RESULT ");
            assertThat(results).as(plain.transcript()).hasSize(9 - skipped.size());
            EXPECTED.put(jvmti, results);
        }
        return results;
    }

    private static ForkedJvm run(List<String> options, Class<?> main, String... args) throws Exception {
        try (ForkedJvm jvm = ForkedJvm.start(options, main, args)) {
            assertThat(jvm.waitFor(TIMEOUT)).as(jvm.transcript()).isZero();
            return jvm;
        }
    }

    private static List<String> lines(ForkedJvm jvm, String prefix) {
        return jvm.stdoutLines().stream().filter(l -> l.startsWith(prefix)).toList();
    }

    private static List<String> agent(String args, String... more) {
        List<String> options = new ArrayList<>(List.of(more));
        options.add(ForkedJvm.javaagent("mode=recycle,port=none" + args));
        return options;
    }

    /** Also with the JVMTI flag the README offers ({@link JvmtiFlag}): the scenarios park and wake in every way there is. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"plain, TRANSITIONS_ON", "-Xverify:all, TRANSITIONS_ON", "plain, TRANSITIONS_OFF", "-Xverify:all, TRANSITIONS_OFF"})
    void everyWakeupScenarioMatchesTheJvmWithoutTheAgent(String variant, JvmtiFlag jvmti) throws Exception {
        // With the flag off on JDK 24+, the JDK alone hangs in the monitor scenarios (a HotSpot bug, see
        // JvmtiFlag and JvmtiMonitorBugIT): those are left out, here and in the JVM without the agent.
        List<String> skipped = jvmti.scenariosTheJdkCannotRun();
        List<String> expected = resultsWithoutAgent(jvmti);
        assertThat(expected).contains("RESULT rendezvous " + (WakeupScenariosMain.HANDOFFS / 4) * (WakeupScenariosMain.HANDOFFS / 4 + 1) / 2 * 4);

        List<String> more = new ArrayList<>(jvmti.jvmOptions());
        more.add(PIN_ACCESS);
        if (!variant.equals("plain")) {
            more.add(variant);
        }
        List<String> options = agent("", more.toArray(String[]::new));
        ForkedJvm recycled = run(options, WakeupScenariosMain.class, skipped.toArray(String[]::new));
        assertThat(lines(recycled, "RESULT ")).as(recycled.transcript()).isEqualTo(expected);
        assertThat(recycled.agentLines()).as(recycled.transcript())
                .anyMatch(l -> l.contains("active: mode=recycle, wakeups=reuse"))
                .noneMatch(l -> l.contains("not applied") || l.contains("not in force"))
                .filteredOn(l -> l.contains("warning"))
                .as("the one warning: the JDK's monitor bug, where the JDK has it")
                .hasSize(jvmti.jdkHasMonitorBug() ? 1 : 0)
                .allMatch(l -> l.contains("-XX:-DoJVMTIVirtualThreadTransitions on JDK "));
        String counters = lines(recycled, "COUNTERS ").get(0);
        assertThat(counters).as(recycled.transcript()).contains("advice-errors=0 ").endsWith("wakeup-failures=0");
        // at least one wake-up per hand-off: the reusable tasks carried them all
        assertThat(Long.parseLong(counters.replaceAll(".*wakeups=(\\d+).*", "$1")))
                .isGreaterThanOrEqualTo(WakeupScenariosMain.HANDOFFS);
        assertThat(recycled.stderrLines()).noneMatch(l -> l.contains("VerifyError") || l.contains("Exception"));
    }

    @Test
    void aReusedWakeupAllocatesNothingAndTheJdkOneItsAdapter() throws Exception {
        ForkedJvm reuse = run(agent(""), WakeupAllocationMain.class, Integer.toString(WAKEUPS), "3");
        ForkedJvm jdk = run(agent(",wakeups=jdk"), WakeupAllocationMain.class, Integer.toString(WAKEUPS), "3");
        double reuseBytes = minRound(reuse);
        double jdkBytes = minRound(jdk);
        System.out.println("[wakeup IT] bytes per wake-up: reuse " + lines(reuse, "ROUND") + ", jdk " + lines(jdk, "ROUND"));
        assertThat(reuseBytes).as(reuse.transcript()).isLessThan(1.0);
        // ForkJoinPool.execute's RunnableExecuteAction: 24 bytes with compressed oops, 32 without
        // (object alignment); anything else would mean the loop does not measure wake-ups
        assertThat(jdkBytes).as(jdk.transcript()).isBetween(20.0, 48.0);
        assertThat(lines(reuse, "COUNTERS").get(0)).doesNotContain("wakeups=0").doesNotContain("absent");
        assertThat(lines(jdk, "COUNTERS").get(0)).isEqualTo("COUNTERS wakeups=0");
        assertThat(jdk.agentLines()).anyMatch(l -> l.contains("active: mode=recycle, wakeups=jdk"));
    }

    /** The quietest measured round: other JVM threads can only add allocation, never remove it. */
    private static double minRound(ForkedJvm jvm) {
        return lines(jvm, "ROUND ").stream().mapToDouble(l -> Double.parseDouble(l.substring(6))).min().orElseThrow();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mode=recycle,wakeups=reuse", "mode=recycle,wakeups=jdk", "mode=observe"})
    void metricsSayWhichWakeupsAreInForce(String args) throws Exception {
        try (ForkedJvm jvm = ForkedJvm.start(List.of(ForkedJvm.javaagent(args + ",port=0,host=127.0.0.1")),
                WakeupAllocationMain.class, "20000", "1", "hold")) {
            int port = jvm.metricsPort();
            jvm.awaitStdout(l -> l.startsWith("COUNTERS"), TIMEOUT);
            Scrape scrape = Scrape.of(port);
            boolean reuse = args.endsWith("wakeups=reuse");
            assertThat(scrape.body()).contains("# HELP vtrecycler_wakeups_total ")
                    .contains("# HELP vtrecycler_wakeup_failures_total ")
                    .containsPattern("vtrecycler_info\\{[^}]*wakeups=\"" + (reuse ? "reuse" : "jdk") + "\"");
            if (reuse) {
                assertThat(scrape.value("vtrecycler_wakeups_total")).as(scrape.body()).isGreaterThanOrEqualTo(60_000);
            } else {
                assertThat(scrape.value("vtrecycler_wakeups_total")).as(scrape.body()).isZero();
            }
            assertThat(scrape.value("vtrecycler_wakeup_failures_total")).isZero();
            assertThat(scrape.value("vtrecycler_advice_errors_total")).isZero();
        }
    }
}
