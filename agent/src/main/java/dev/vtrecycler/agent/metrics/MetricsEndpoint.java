package dev.vtrecycler.agent.metrics;

import dev.vtrecycler.agent.diagnostics.ThreadDumps;
import dev.vtrecycler.agent.endpoint.EndpointServer;
import dev.vtrecycler.agent.endpoint.Limits;
import dev.vtrecycler.agent.endpoint.WebConfig;
import dev.vtrecycler.agent.endpoint.WebConfigException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /metrics} (Prometheus text 0.0.4 or OpenMetrics, chosen from {@code Accept}) and
 * {@code /-/healthy}; anything else is 404. Optional TLS and basic auth from a web configuration
 * file in the Prometheus exporter-toolkit format.
 *
 * <p>Served by the agent's own small HTTP server ({@link EndpointServer}: deadlines, a connection
 * cap, platform daemon threads, never virtual threads), not the JDK's {@code HttpServer}, whose
 * only read timeouts are JVM-wide properties shared with the host.
 */
public final class MetricsEndpoint {
    private final EndpointServer server;

    private MetricsEndpoint(EndpointServer server) {
        this.server = server;
    }

    /**
     * Reads the web configuration (if any), binds and starts. Throws WebConfigException for a
     * file it cannot use (the message is one line naming the file and the problem), IOException
     * for a bind failure (e.g. BindException for a port in use). {@code threads} non-null: also {@code /threads}.
     */
    public static MetricsEndpoint start(String host, int port, Optional<Path> webConfig, Limits limits,
                                        PrometheusMeterRegistry registry, ThreadDumps threads)
            throws IOException, WebConfigException {
        WebConfig web = webConfig.isPresent() ? WebConfig.load(webConfig.get()) : new WebConfig(Optional.empty(), Map.of());
        try {
            return new MetricsEndpoint(EndpointServer.serveMetrics(new InetSocketAddress(host, port), limits, web, registry, threads));
        } catch (WebConfigException e) {
            // certificate and key files are read here: name the configuration file, as for its own errors
            throw new WebConfigException("web-config " + webConfig.orElseThrow() + ": " + e.getMessage());
        }
    }

    public int port() {
        return server.port();
    }

    /** {@code https} with a {@code tls_server_config}, else {@code http}. */
    public String scheme() {
        return server.tls() ? "https" : "http";
    }

    public void stop() {
        server.stop();
    }
}
