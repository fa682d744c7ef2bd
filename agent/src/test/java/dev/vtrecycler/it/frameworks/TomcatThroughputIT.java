package dev.vtrecycler.it.frameworks;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A measurement, not a check (skipped unless {@code -Dvtrecycler.ab.rounds=N}): embedded Tomcat 11
 * with virtual threads, without and with the agent (recycle mode), interleaved in one run on one
 * machine, alternating which goes first. Per arm and round: a fresh server JVM, a warm-up, then a
 * timed closed-loop load from this JVM; requests per second, and the server's bytes allocated per
 * request (ThreadMXBean total allocated bytes over the timed load, divided by its requests). Asserts
 * only that no request failed. Run:
 * <pre>mvn -B -q -pl agent -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=TomcatThroughputIT -Dvtrecycler.ab.rounds=5</pre>
 */
class TomcatThroughputIT {
    private static final int CONCURRENCY = 8;

    private record Sample(double perSecond, double bytesPerRequest) {}

    private static Sample measure(boolean agent, Duration warmUp, Duration timed) throws Exception {
        try (FrameworkForks.Served served = FrameworkForks.server(agent, "tomcat", false)) {
            LoadClient.Result warm = LoadClient.run(served.port(), CONCURRENCY, Long.MAX_VALUE, warmUp);
            assertThat(warm.failed()).isZero();
            Map<String, Long> before = FrameworkForks.stats(served.jvm());
            LoadClient.Result load = LoadClient.run(served.port(), CONCURRENCY, Long.MAX_VALUE, timed);
            Map<String, Long> after = FrameworkForks.stats(served.jvm());
            assertThat(load.failed()).as(served.jvm().transcript()).isZero();
            long requests = after.get("requests") - before.get("requests");
            double bytes = (double) (after.get("allocatedBytes") - before.get("allocatedBytes")) / requests;
            if (agent) {
                assertThat(after.get("reusedTasks") - before.get("reusedTasks")).as("routed and reused").isPositive();
            }
            return new Sample(load.perSecond(), bytes);
        }
    }

    @Test
    void tomcatWithAndWithoutTheAgent() throws Exception {
        int rounds = Integer.getInteger("vtrecycler.ab.rounds", 0);
        Assumptions.assumeTrue(rounds > 0, "a measurement: set -Dvtrecycler.ab.rounds=N to run it");
        Duration warmUp = Duration.ofSeconds(Integer.getInteger("vtrecycler.ab.warmup", 8));
        Duration timed = Duration.ofSeconds(Integer.getInteger("vtrecycler.ab.seconds", 12));
        List<Double> ratios = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            boolean agentFirst = round % 2 == 0;
            Sample first = measure(agentFirst, warmUp, timed);
            Sample second = measure(!agentFirst, warmUp, timed);
            Sample without = agentFirst ? second : first;
            Sample with = agentFirst ? first : second;
            ratios.add(with.perSecond() / without.perSecond());
            System.out.printf("[tomcat A/B] round %d (%s first): without agent %.0f req/s, %.0f B/req;"
                            + " with agent %.0f req/s, %.0f B/req; ratio %.3f%n", round, agentFirst ? "agent" : "plain",
                    without.perSecond(), without.bytesPerRequest(), with.perSecond(), with.bytesPerRequest(),
                    with.perSecond() / without.perSecond());
        }
        List<Double> sorted = ratios.stream().sorted().toList();
        System.out.printf("[tomcat A/B] throughput ratio with/without: median %.3f, min %.3f, max %.3f over %d rounds%n",
                sorted.get(sorted.size() / 2), sorted.get(0), sorted.get(sorted.size() - 1), rounds);
    }
}
