package dev.vtrecycler.it.governor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtrecycler.it.support.ForkedJvm;
import dev.vtrecycler.it.support.Scrape;
import java.time.Duration;
import java.util.List;
import java.util.function.DoublePredicate;
import org.junit.jupiter.api.Test;

/**
 * fallback=auto, tested the way it runs: a forked JVM with the agent, a submitter flooding the
 * executor route, and the test hook making one path dearer in CPU. The governor must send the route
 * to fresh threads while recycled hand-offs are slow, back to recycling when fresh starts are the
 * slow ones, with {@code vtrecycler_route_recycling} showing each decision, and no task lost or run
 * twice across the switches. With fallback=off the same slow hand-offs never switch the route.
 */
class RouteGovernorIT {
    private static final Duration SWITCH_WITHIN = Duration.ofSeconds(60);
    private static final String GAUGE = "vtrecycler_route_recycling{route=\"executor\"}";
    private static final String SLOW_RECYCLED = "COST recycled=40000,fresh=0";
    private static final String SLOW_FRESH = "COST recycled=0,fresh=40000";

    private static ForkedJvm start(String fallback) throws Exception {
        return ForkedJvm.start(List.of(
                ForkedJvm.javaagent("mode=recycle,port=0,fallback=" + fallback),
                "-Dvtrecycler.governor.epoch-ms=100",
                "-Dvtrecycler.governor.warmup-epochs=3",
                "-Dvtrecycler.test.route-cost=recycled=0,fresh=0"), RouteGovernorMain.class);
    }

    @Test
    void aLosingRouteFallsBackToFreshThreadsAndReturnsWhenRecyclingPaysAgain() throws Exception {
        try (ForkedJvm jvm = start("auto")) {
            int port = jvm.metricsPort();
            assertThat(jvm.readLine(Duration.ofSeconds(30))).isEqualTo("EXECUTOR RecyclingExecutor");
            awaitSample(port, "vtrecycler_route_tasks_total{path=\"recycled\",route=\"executor\"}", v -> v > 1000);
            assertThat(Scrape.of(port).value(GAUGE)).isEqualTo(1.0);

            assertThat(jvm.ask(SLOW_RECYCLED)).isEqualTo("OK");
            awaitSample(port, GAUGE, v -> v == 0.0);
            double freshAfterSwitch = Scrape.of(port).value("vtrecycler_route_tasks_total{path=\"fresh\",route=\"executor\"}");
            awaitSample(port, "vtrecycler_route_tasks_total{path=\"fresh\",route=\"executor\"}",
                    v -> v > freshAfterSwitch + 1000);

            assertThat(jvm.ask(SLOW_FRESH)).isEqualTo("OK");
            awaitSample(port, GAUGE, v -> v == 1.0);

            // measured in a real JVM (all threads' allocation, carriers' included): a recycled task here
            // allocates far less than a fresh thread's start, well inside what a tie keeps recycled (0.85).
            // Awaited, not read once: the switch back changes the task rate, the governor then forgets the
            // old load's evidence, and the ratio is NaN until three new probes have measured it.
            awaitSample(port, "vtrecycler_route_bytes_ratio{route=\"executor\"}", v -> v >= 0.0 && v <= 0.85);

            Scrape last = Scrape.of(port);
            assertThat(last.value("vtrecycler_route_switches_total{route=\"executor\"}")).isGreaterThanOrEqualTo(2);
            assertThat(last.value("vtrecycler_advice_errors_total")).isZero();
            jvm.send("STOP");
            String result = jvm.awaitStdout(l -> l.startsWith("RESULT"), Duration.ofSeconds(60));
            assertThat(result).as(jvm.transcript()).matches("RESULT submitted=\\d+ lost=0 twice=0");
        }
    }

    @Test
    void withFallbackOffSlowHandOffsNeverSwitchTheRoute() throws Exception {
        try (ForkedJvm jvm = start("off")) {
            int port = jvm.metricsPort();
            assertThat(jvm.readLine(Duration.ofSeconds(30))).isEqualTo("EXECUTOR RecyclingExecutor");
            assertThat(jvm.ask(SLOW_RECYCLED)).isEqualTo("OK");
            awaitSample(port, "vtrecycler_route_tasks_total{path=\"recycled\",route=\"executor\"}", v -> v > 5000);
            Thread.sleep(2000); // 20 epochs: auto switches within a few seconds of this
            Scrape scrape = Scrape.of(port);
            assertThat(scrape.value(GAUGE)).isEqualTo(1.0);
            assertThat(scrape.value("vtrecycler_route_tasks_total{path=\"fresh\",route=\"executor\"}")).isZero();
            jvm.send("STOP");
            assertThat(jvm.awaitStdout(l -> l.startsWith("RESULT"), Duration.ofSeconds(60)))
                    .matches("RESULT submitted=\\d+ lost=0 twice=0");
        }
    }

    private static void awaitSample(int port, String sample, DoublePredicate condition) throws Exception {
        long deadline = System.nanoTime() + SWITCH_WITHIN.toNanos();
        double last = Double.NaN;
        while (System.nanoTime() < deadline) {
            Scrape scrape = Scrape.of(port);
            if (scrape.has(sample)) {
                last = scrape.value(sample);
                if (condition.test(last)) {
                    return;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError(sample + " never met the condition; last value " + last);
    }
}
