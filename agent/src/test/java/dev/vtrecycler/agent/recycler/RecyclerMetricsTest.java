package dev.vtrecycler.agent.recycler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtrecycler.bootstrap.recycler.Recycler;
import dev.vtrecycler.bootstrap.recycler.RecyclerSettings;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RecyclerMetricsTest {

    @Test
    void scrapesExactlyTheIssuesNames() throws Exception {
        Recycler recycler = Recycler.install(RecyclerSettings.defaults());
        CountDownLatch ran = new CountDownLatch(3);
        Thread.ofVirtual().start(() -> {
            for (int i = 0; i < 3; i++) {
                recycler.start(ran::countDown, null, null, false);
            }
        }).join();
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new RecyclerMetrics(recycler).bindTo(registry);
        String scrape = registry.scrape();

        List<String> samples = scrape.lines()
                .filter(l -> l.startsWith("vtrecycler_"))
                .map(l -> l.substring(0, l.lastIndexOf(' ')))
                .sorted()
                .collect(Collectors.toList());
        assertThat(samples).containsExactly(
                "vtrecycler_foreign_interrupts_total",
                "vtrecycler_new_stack_chunks_total",
                "vtrecycler_pooled_stack_bytes{scope=\"global\"}",
                "vtrecycler_pooled_stack_bytes{scope=\"local\"}",
                "vtrecycler_pooled_threads{scope=\"global\"}",
                "vtrecycler_pooled_threads{scope=\"local\"}",
                "vtrecycler_refilled_threads_total",
                "vtrecycler_refills_total",
                "vtrecycler_rejections_total{reason=\"error\"}",
                "vtrecycler_rejections_total{reason=\"gc\"}",
                "vtrecycler_rejections_total{reason=\"idle\"}",
                "vtrecycler_rejections_total{reason=\"open_scope\"}",
                "vtrecycler_rejections_total{reason=\"stack\"}",
                "vtrecycler_spilled_threads_total",
                "vtrecycler_spills_total",
                "vtrecycler_stack_limit_bytes",
                "vtrecycler_tasks_total{source=\"global\"}",
                "vtrecycler_tasks_total{source=\"local\"}",
                "vtrecycler_tasks_total{source=\"new\"}");

        // every family has a description and the right type
        assertThat(scrape).contains("# HELP vtrecycler_tasks_total Tasks run by the recycler");
        assertThat(scrape).contains("# TYPE vtrecycler_tasks_total counter");
        assertThat(scrape).contains("# TYPE vtrecycler_pooled_stack_bytes gauge");
        assertThat(scrape).contains("# TYPE vtrecycler_stack_limit_bytes gauge");
        assertThat(scrape.lines().filter(l -> l.startsWith("# HELP vtrecycler_")).count()).isEqualTo(11);

        // values come from the recycler
        assertThat(value(scrape, "vtrecycler_stack_limit_bytes")).isEqualTo(recycler.stackLimitBytes());
        double tasks = value(scrape, "vtrecycler_tasks_total{source=\"local\"}")
                + value(scrape, "vtrecycler_tasks_total{source=\"global\"}")
                + value(scrape, "vtrecycler_tasks_total{source=\"new\"}");
        assertThat(tasks).isEqualTo(recycler.stats().tasksFromLocal() + recycler.stats().tasksFromGlobal()
                + recycler.stats().tasksFromNew());
        assertThat(tasks).isGreaterThanOrEqualTo(3);
    }

    private static double value(String scrape, String sample) {
        Matcher m = Pattern.compile("^" + Pattern.quote(sample) + " (\\S+)$", Pattern.MULTILINE).matcher(scrape);
        assertThat(m.find()).as(sample).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
