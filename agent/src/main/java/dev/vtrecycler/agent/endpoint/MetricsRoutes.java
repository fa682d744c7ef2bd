package dev.vtrecycler.agent.endpoint;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.function.Function;

/**
 * What the endpoint answers: {@code /metrics} (Prometheus text 0.0.4 or OpenMetrics, chosen from
 * {@code Accept}; basic auth when {@code basic_auth_users} is configured), {@code /-/healthy}
 * (never authenticated, like Prometheus' own), 404 for other paths, 405 for methods other than
 * GET and HEAD.
 */
final class MetricsRoutes implements Function<Request, Response> {
    private final PrometheusMeterRegistry registry;
    private final ExpositionFormats formats = ExpositionFormats.init();
    private final BasicAuth auth; // null: no authentication

    MetricsRoutes(PrometheusMeterRegistry registry, BasicAuth auth) {
        this.registry = registry;
        this.auth = auth;
    }

    @Override
    public Response apply(Request request) {
        if (!request.head() && !request.method().equals("GET")) {
            return Response.text(405, "method not allowed\n").withHeader("Allow", "GET, HEAD");
        }
        return switch (request.path()) {
            case "/metrics" -> metrics(request);
            case "/-/healthy" -> Response.text(200, "vtrecycler is healthy\n");
            default -> Response.text(404, "not found: try /metrics\n");
        };
    }

    private Response metrics(Request request) {
        if (auth != null) {
            switch (auth.check(request.header("authorization"), request.waiting())) {
                case OK -> { }
                // a failed check closes the connection: one bcrypt run per connection, not per pipelined request
                case DENIED -> {
                    return Response.text(401, "unauthorized\n").withHeader("WWW-Authenticate", BasicAuth.CHALLENGE).closing();
                }
                case BUSY, ABANDONED -> {
                    return Response.text(503, "too many password checks at once, try again\n")
                            .withHeader("Retry-After", "1").closing();
                }
            }
        }
        try {
            ExpositionFormatWriter writer = formats.findWriter(request.header("accept"));
            ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
            registry.scrape(body, writer.getContentType());
            return new Response(200, writer.getContentType(), body.toByteArray(), Map.of(), false);
        } catch (IOException | RuntimeException e) {
            // a failing meter must not kill the connection's thread; Prometheus marks the target down
            return Response.text(500, "scrape failed: " + e.getClass().getSimpleName() + "\n").closing();
        }
    }
}
