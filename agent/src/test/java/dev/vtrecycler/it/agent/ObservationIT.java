package dev.vtrecycler.it.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtrecycler.it.apps.ControlledApp;
import dev.vtrecycler.it.support.ForkedJvm;
import dev.vtrecycler.it.support.Scrape;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The agent as users run it: -javaagent, a known number of virtual threads, the endpoint scraped. */
class ObservationIT {
    private static final int THREADS = 1000;

    @ParameterizedTest(name = "mode={0}")
    @ValueSource(strings = {"observe", "recycle"})
    void countersMoveByExactlyTheThreadsStartedAndLiveReturnsToBaseline(String mode) throws Exception {
        try (ForkedJvm app = ForkedJvm.start(
                List.of("-Xverify:all", ForkedJvm.javaagent("mode=" + mode + ",port=0,host=127.0.0.1")),
                ControlledApp.class)) {
            int port = app.metricsPort();
            assertThat(app.readLine(Duration.ofSeconds(30))).isEqualTo("ready");
            Scrape before = Scrape.of(port);

            assertThat(app.ask("start-kept " + THREADS)).isEqualTo("ok " + THREADS);

            Scrape after = awaitTerminated(port, before.value("vtrecycler_virtual_threads_terminated_total") + THREADS);
            assertThat(after.value("vtrecycler_virtual_threads_created_total")
                    - before.value("vtrecycler_virtual_threads_created_total")).isEqualTo(THREADS);
            assertThat(after.value("vtrecycler_virtual_threads_terminated_total")
                    - before.value("vtrecycler_virtual_threads_terminated_total")).isEqualTo(THREADS);
            assertThat(after.value("vtrecycler_virtual_thread_duration_seconds_count")
                    - before.value("vtrecycler_virtual_thread_duration_seconds_count")).isEqualTo(THREADS);
            assertThat(after.value("vtrecycler_virtual_threads_live"))
                    .isEqualTo(before.value("vtrecycler_virtual_threads_live"));
            assertThat(after.value("vtrecycler_advice_errors_total")).isZero();
            assertThat(after.body()).contains("vtrecycler_info{jdk=\"" + Runtime.version() + "\",mode=\"" + mode + "\"");
            assertThat(app.agentLines()).anyMatch(l -> l.contains("active: mode=" + mode));
            assertThat(app.stderrLines()).noneMatch(l -> l.contains("VerifyError") || l.contains("warning: self-check"));
        }
    }

    @Test
    void endpointNegotiatesFormatAndServesHealthAnd404() throws Exception {
        try (ForkedJvm app = ForkedJvm.start(List.of(ForkedJvm.javaagent("mode=observe,port=0,host=127.0.0.1")),
                ControlledApp.class)) {
            int port = app.metricsPort();
            HttpResponse<String> text = Scrape.get(port, "/metrics", null);
            assertThat(text.statusCode()).isEqualTo(200);
            assertThat(text.headers().firstValue("Content-Type")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("text/plain; version=0.0.4"));
            assertThat(text.body()).contains("# TYPE vtrecycler_virtual_threads_created_total counter")
                    .contains("jvm_gc_memory_allocated_bytes_total")
                    .contains("jvm_memory_used_bytes")
                    .contains("jvm_threads_live_threads")
                    .contains("jvm_classes_loaded_classes");

            HttpResponse<String> om = Scrape.get(port, "/metrics", "application/openmetrics-text; version=1.0.0");
            assertThat(om.headers().firstValue("Content-Type")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("application/openmetrics-text; version=1.0.0"));
            assertThat(om.body()).contains("# TYPE vtrecycler_virtual_threads_created counter").endsWith("# EOF\n");

            HttpResponse<String> healthy = Scrape.get(port, "/-/healthy", null);
            assertThat(healthy.statusCode()).isEqualTo(200);
            assertThat(Scrape.get(port, "/nope", null).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void jfrMetersAndSchedulerGaugesWhenAsked() throws Exception {
        try (ForkedJvm app = ForkedJvm.start(List.of(ForkedJvm.javaagent("mode=observe,port=0,host=127.0.0.1,jfr=true")),
                ControlledApp.class)) {
            Scrape scrape = Scrape.of(app.metricsPort());
            assertThat(scrape.body()).contains("jvm_threads_virtual_pinned_seconds")
                    .contains("jvm_threads_virtual_submit_failed_total");
            if (Runtime.version().feature() >= 24) {
                assertThat(scrape.body()).contains("jvm_threads_virtual_parallelism");
            }
        }
    }

    /** afterDone runs on the carrier just after join() returns: poll briefly for the last few. */
    private static Scrape awaitTerminated(int port, double expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Scrape scrape;
        do {
            scrape = Scrape.of(port);
            if (scrape.value("vtrecycler_virtual_threads_terminated_total") >= expected) {
                return scrape;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        return scrape;
    }
}
