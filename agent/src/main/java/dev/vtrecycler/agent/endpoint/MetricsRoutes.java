package dev.vtrecycler.agent.endpoint;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
    /** bcrypt checks that fail on one connection before it is closed (a user may mistype twice). */
    static final int MAX_FAILED_PASSWORDS_PER_CONNECTION = 3;
    private static final Response UNAUTHORIZED = Response.text(401, "unauthorized\n")
            .withHeader("WWW-Authenticate", BasicAuth.CHALLENGE);

    private final BasicAuth auth; // null: no authentication
    private final Function<Request, Response> threads; // null: threads-endpoint=false
    private final Map<String, SharedScrape> scrapes = new ConcurrentHashMap<>();

    MetricsRoutes(PrometheusMeterRegistry registry, BasicAuth auth, Function<Request, Response> threads) {
        this.registry = registry;
        this.auth = auth;
        this.threads = threads;
    }

    @Override
    public Response apply(Request request) {
        if (!request.head() && !request.method().equals("GET")) {
            return Response.text(405, "method not allowed\n").withHeader("Allow", "GET, HEAD");
        }
        return switch (request.path()) {
            case "/metrics" -> metrics(request);
            case "/-/healthy" -> Response.text(200, "vtrecycler is healthy\n");
            case "/threads", "/threads.txt" -> threads != null ? threads.apply(request) : Response.text(404, "not found: try /metrics\n");
            default -> Response.text(404, "not found: try /metrics\n");
        };
    }

    private Response metrics(Request request) {
        if (auth != null) {
            switch (auth.check(request.header("authorization"), request.hooks())) {
                case OK -> { }
                case UNAUTHENTICATED -> { // no or malformed credentials: no bcrypt ran (a browser's first try)
                    return UNAUTHORIZED;
                }
                case DENIED -> {
                    // bcrypt ran and failed: a connection gets a few tries, then it is closed
                    boolean last = request.hooks().passwordFailed() >= MAX_FAILED_PASSWORDS_PER_CONNECTION;
                    return last ? UNAUTHORIZED.closing() : UNAUTHORIZED;
                }
                case BUSY -> { // answered at once and cheaply; the connection may stay
                    return Response.text(503, "too many password checks at once, try again\n").withHeader("Retry-After", "1");
                }
                case ABANDONED -> {
                    return Response.text(503, "connection closed while waiting\n").closing(); // nobody is listening
                }
            }
        }
        String contentType = formats.findWriter(request.header("accept")).getContentType();
        try {
            byte[] body = scrapes.computeIfAbsent(contentType, this::sharedScrape).get(request.hooks());
            return new Response(200, contentType, body, Map.of(), false);
        } catch (InterruptedException e) {
            return Response.text(503, "connection closed while waiting\n").closing(); // nobody is listening
        } catch (Exception e) {
            // a failing meter must not kill the connection's thread; Prometheus marks the target down
            return Response.text(500, "scrape failed: " + e.getClass().getSimpleName() + "\n").closing();
        }
    }

    /** One per content type (text 0.0.4, OpenMetrics, ...): a handful at most. */
    private SharedScrape sharedScrape(String contentType) {
        return new SharedScrape(() -> {
            ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
            registry.scrape(body, contentType);
            return body.toByteArray();
        });
    }
}
