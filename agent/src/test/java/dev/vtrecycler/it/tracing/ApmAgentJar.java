package dev.vtrecycler.it.tracing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real APM agent for {@link TracePropagationIT}: its jar (copied by maven-dependency-plugin to
 * {@code target/apm/<file>}, never on a class path), the settings that keep it off the network, and
 * what it does alone per submission style of {@link TracedStyles} (issue 15's table for OpenTelemetry;
 * measured for Elastic). The test program creates its spans with the OpenTelemetry API, which each
 * of these agents bridges onto its own tracer.
 */
record ApmAgentJar(String name, String file, List<String> settings, Map<String, String> aloneExpected) {

    private static final Map<String, String> EXECUTOR_STYLES_PROPAGATE = Map.of(
            "submit-lambda", "all", "factory-execute", "all", "supplyAsync", "all",
            "startVirtualThread-discarded", "none", "context-wrap-explicit", "all",
            "submit-anonymous-callable", "all", "execute-anonymous-runnable", "all",
            "invokeAll-lambda", "all", "no-span-at-submission", "none");

    static final ApmAgentJar OPENTELEMETRY = new ApmAgentJar("OpenTelemetry", "opentelemetry-javaagent.jar", List.of(
            "-Dotel.traces.exporter=none", "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none",
            "-Dotel.javaagent.logging=none"), EXECUTOR_STYLES_PROPAGATE);

    /** Port 9 (discard) on loopback: nothing listens, reports fail quietly. */
    static final ApmAgentJar ELASTIC = new ApmAgentJar("Elastic APM", "elastic-apm-agent.jar", List.of(
            "-Delastic.apm.server_url=http://127.0.0.1:9", "-Delastic.apm.service_name=vtrecycler-it",
            "-Delastic.apm.log_level=ERROR", "-Delastic.apm.central_config=false",
            "-Delastic.apm.metrics_interval=0ms", "-Delastic.apm.cloud_provider=none",
            // its OpenTelemetry API bridge
            "-Delastic.apm.enable_experimental_instrumentations=true"), EXECUTOR_STYLES_PROPAGATE);

    Path jar() {
        Path dir = Path.of(System.getProperty("vtrecycler.apm.agents", "target/apm"));
        Path jar = dir.resolve(file).toAbsolutePath();
        assertThat(jar).as("%s agent, copied by maven-dependency-plugin", name).isRegularFile();
        return jar;
    }

    String flag() {
        return "-javaagent:" + jar();
    }

    /** This agent's settings, dynamic agent loading allowed, then {@code agents} in that order. */
    List<String> options(String... agents) {
        List<String> options = new ArrayList<>(settings);
        options.add("-XX:+EnableDynamicAgentLoading");
        options.addAll(List.of(agents));
        return options;
    }
}
