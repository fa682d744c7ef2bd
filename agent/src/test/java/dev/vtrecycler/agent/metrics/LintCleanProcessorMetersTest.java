package dev.vtrecycler.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Micrometer's processor meters as the agent exports them: no name promtool rejects, the CPU count
 * under Micrometer's name, the process CPU time in seconds. With promtool on the PATH the scrape is
 * also linted here (PrometheusDashboardIT lints the agent's whole scrape).
 */
class LintCleanProcessorMetersTest {

    private static String scrape(boolean replaced) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        if (replaced) {
            registry.config().meterFilter(LintCleanProcessorMeters.REPLACED);
        }
        new ProcessorMetrics().bindTo(registry);
        if (replaced) {
            registry.getPrometheusRegistry().register(new LintCleanProcessorMeters());
        }
        return registry.scrape();
    }

    @Test
    void keepsTheCpuCountNameAndExportsCpuTimeInSeconds() {
        String text = scrape(true);

        assertThat(text).contains("# TYPE system_cpu_count untyped\n")
                .contains("system_cpu_count " + (double) Runtime.getRuntime().availableProcessors())
                .contains("# TYPE process_cpu_seconds_total counter\n")
                .contains("process_cpu_usage")
                .doesNotContain("process_cpu_time_ns", "# TYPE system_cpu_count gauge");
        double seconds = text.lines().filter(l -> l.startsWith("process_cpu_seconds_total "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst().orElseThrow();
        assertThat(seconds).isPositive().isLessThan(1e6); // seconds, not nanoseconds
    }

    @Test
    void promtoolAcceptsTheReplacementAndRejectsMicrometersNames() throws Exception {
        Optional<Path> promtool = onPath("promtool");
        if (promtool.isEmpty()) {
            System.err.println("[test] promtool not on PATH: lint skipped (PrometheusDashboardIT requires it in CI)");
            return;
        }
        assertThat(lint(promtool.get(), scrape(true))).isEmpty();
        // and the check is real: Micrometer's own names fail it
        assertThat(lint(promtool.get(), scrape(false)))
                .contains("process_cpu_time_ns_total metric names should not contain abbreviated units")
                .contains("system_cpu_count non-histogram and non-summary metrics should not have \"_count\" suffix");
    }

    private static String lint(Path promtool, String text) throws Exception {
        Path in = Files.createTempFile("scrape", ".txt");
        Path out = Files.createTempFile("promtool", ".txt");
        try {
            Files.writeString(in, text, StandardCharsets.UTF_8);
            Process p = new ProcessBuilder(promtool.toString(), "check", "metrics")
                    .redirectInput(in.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            return Files.readString(out, StandardCharsets.UTF_8).strip();
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
        }
    }

    private static Optional<Path> onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
