package dev.vtrecycler.it.wakeup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtrecycler.it.support.ForkedJvm;
import dev.vtrecycler.it.support.Scrape;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9's fail-open path: on a JDK whose {@code VirtualThread} lacks the wake-up shape (here this
 * JDK with the field renamed, {@link JdkWithoutWakeupShape}), {@code mode=recycle} leaves the JDK's
 * wake-ups alone, says so in one line, reports {@code wakeups="jdk"} (what is in force, not what
 * was asked for), and still recycles threads.
 */
class WakeupShapeMissingIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @Test
    void recyclingWorksWithTheJdksWakeupsAndOneLineSaysWhy(@TempDir Path patch) throws Exception {
        List<String> options = List.of(JdkWithoutWakeupShape.patchModuleOption(patch),
                ForkedJvm.javaagent("mode=recycle,port=0,host=127.0.0.1"));
        try (ForkedJvm jvm = ForkedJvm.start(options, WakeupFallbackMain.class)) {
            int port = jvm.metricsPort();
            jvm.awaitStdout(l -> l.startsWith("COUNTERS"), TIMEOUT);

            long exact = (long) WakeupFallbackMain.ROUNDS * WakeupFallbackMain.TASKS * (WakeupFallbackMain.TASKS + 1) / 2;
            assertThat(jvm.stdoutLines()).as(jvm.transcript())
                    .contains("RESULT virtual-driver " + exact, "RESULT platform-driver " + exact);

            // one line names the problem; the other is the usual startup line, saying what is in force
            assertThat(jvm.agentLines()).as(jvm.transcript()).hasSize(2);
            assertThat(jvm.agentLines()).as(jvm.transcript()).filteredOn(l -> l.contains("wakeups=reuse not"))
                    .singleElement().asString()
                    .startsWith("[vtrecycler] wakeups=reuse not applied: java.lang.VirtualThread has no Runnable "
                            + JdkWithoutWakeupShape.FIELD + " field")
                    .endsWith("wake-ups keep the JDK's task adapters");
            assertThat(jvm.agentLines()).as(jvm.transcript())
                    .anyMatch(l -> l.contains("active: mode=recycle, wakeups=jdk, timers=jdk, metrics on "));
            assertThat(jvm.stderrLines()).noneMatch(l -> l.contains("Exception") || l.contains("Error"));

            Scrape scrape = Scrape.of(port);
            assertThat(scrape.body()).containsPattern("vtrecycler_info\\{[^}]*mode=\"recycle\"")
                    .containsPattern("vtrecycler_info\\{[^}]*wakeups=\"jdk\"");
            assertThat(scrape.value("vtrecycler_wakeups_total")).as(scrape.body()).isZero();
            assertThat(scrape.value("vtrecycler_wakeup_failures_total")).isZero();
            assertThat(scrape.value("vtrecycler_advice_errors_total")).isZero();
            // recycled threads from both lists: the virtual driver's carrier list and the global one
            assertThat(scrape.value("vtrecycler_tasks_total{source=\"local\"}")).as(scrape.body()).isPositive();
            assertThat(scrape.value("vtrecycler_tasks_total{source=\"global\"}")).as(scrape.body()).isPositive();
            assertThat(jvm.stdoutLines()).as(jvm.transcript()).contains("COUNTERS advice-errors=0 wakeups=0");

            jvm.send("exit");
            assertThat(jvm.waitFor(TIMEOUT)).as(jvm.transcript()).isZero();
        }
    }

    /**
     * The field without adapt call sites: the reusable task is installed, but only wake-ups through
     * {@code scheduler.execute} reuse it. The label says so ({@code wakeups="execute-only"}, not
     * {@code reuse}), and so do the startup lines; recycling and the program's results are unchanged.
     */
    @Test
    void withoutAdaptSitesTheLabelSaysExecuteOnly(@TempDir Path patch) throws Exception {
        List<String> options = List.of(JdkWithoutWakeupShape.patchModuleOptionWithoutAdaptSites(patch),
                ForkedJvm.javaagent("mode=recycle,port=0,host=127.0.0.1"));
        try (ForkedJvm jvm = ForkedJvm.start(options, WakeupFallbackMain.class)) {
            int port = jvm.metricsPort();
            jvm.awaitStdout(l -> l.startsWith("COUNTERS"), TIMEOUT);
            long exact = (long) WakeupFallbackMain.ROUNDS * WakeupFallbackMain.TASKS * (WakeupFallbackMain.TASKS + 1) / 2;
            assertThat(jvm.stdoutLines()).as(jvm.transcript())
                    .contains("RESULT virtual-driver " + exact, "RESULT platform-driver " + exact);
            assertThat(jvm.agentLines()).as(jvm.transcript())
                    .anyMatch(l -> l.contains("only wake-ups through scheduler.execute reuse their task"))
                    .anyMatch(l -> l.contains("active: mode=recycle, wakeups=execute-only, timers="
                            + (Runtime.version().feature() >= 25 ? "reuse" : "jdk") + ", metrics on ")); // the task is there
            Scrape scrape = Scrape.of(port);
            assertThat(scrape.body()).as(scrape.body()).containsPattern("vtrecycler_info\\{[^}]*wakeups=\"execute-only\"");
            assertThat(scrape.value("vtrecycler_advice_errors_total")).isZero();
            jvm.send("exit");
            assertThat(jvm.waitFor(TIMEOUT)).as(jvm.transcript()).isZero();
        }
    }
}
