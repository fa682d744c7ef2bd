package dev.vtrecycler.agent.routing;

import dev.vtrecycler.bootstrap.recycler.Recycler;
import dev.vtrecycler.bootstrap.recycler.RecyclerSettings;
import dev.vtrecycler.bootstrap.routing.Routes;
import dev.vtrecycler.bootstrap.routing.RoutingStats;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.concurrent.ExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The routing meters as Prometheus shows them, following the bootstrap counters. */
class RoutingMetricsTest {
    private static double sample(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
        assertThat(m.find()).as("series %s in%n%s", series, scrape).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void exposesRoutedCallSitesAndRecyclingExecutors() {
        Recycler.install(RecyclerSettings.defaults());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new RoutingMetrics().bindTo(registry);

        String before = registry.scrape();
        assertThat(before).contains("# HELP vtrecycler_routed_call_sites ")
                .contains("# TYPE vtrecycler_routed_call_sites gauge")
                .contains("# TYPE vtrecycler_executors_total counter");
        double executors = sample(before, "vtrecycler_executors_total{kind=\"recycling\"}");
        double direct = sample(before, "vtrecycler_routed_call_sites{kind=\"direct\"}");
        double reflective = sample(before, "vtrecycler_routed_call_sites{kind=\"reflective\"}");
        double local = sample(before, "vtrecycler_routed_call_sites{kind=\"local\"}");
        assertThat(executors).isEqualTo(RoutingStats.executorsCreated());
        assertThat(direct + reflective + local).as("sum over kind is the total").isEqualTo(RoutingStats.routedCallSites());

        try (ExecutorService e1 = Routes.virtualExecutor(); ExecutorService e2 = Routes.virtualExecutor()) {
            assertThat(e1).isNotNull();
            assertThat(e2).isNotNull();
        }
        RoutingStats.callSitesRewritten(RoutingStats.DIRECT, 3);
        RoutingStats.callSitesRewritten(RoutingStats.REFLECTIVE, 2);
        RoutingStats.callSitesRewritten(RoutingStats.LOCAL, 1);
        String after = registry.scrape();
        assertThat(sample(after, "vtrecycler_executors_total{kind=\"recycling\"}")).isEqualTo(executors + 2);
        assertThat(sample(after, "vtrecycler_routed_call_sites{kind=\"direct\"}")).isEqualTo(direct + 3);
        assertThat(sample(after, "vtrecycler_routed_call_sites{kind=\"reflective\"}")).isEqualTo(reflective + 2);
        assertThat(sample(after, "vtrecycler_routed_call_sites{kind=\"local\"}")).isEqualTo(local + 1);
        RoutingStats.callSitesRewritten(RoutingStats.DIRECT, -3);
        RoutingStats.callSitesRewritten(RoutingStats.REFLECTIVE, -2);
        RoutingStats.callSitesRewritten(RoutingStats.LOCAL, -1);
    }
}
