package dev.vtrecycler.agent.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code /metrics} (Prometheus text 0.0.4 or OpenMetrics, chosen from {@code Accept}) and
 * {@code /-/healthy}; anything else is 404.
 *
 * <p>Served by two platform daemon threads, never virtual threads: the agent must not observe (or
 * recycle) itself, and a scrape must not compete with the application's virtual threads for carriers.
 */
public final class MetricsEndpoint {
    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsEndpoint(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Binds and starts; throws IOException (e.g. BindException for a port in use). */
    public static MetricsEndpoint start(String host, int port, PrometheusMeterRegistry registry) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
        ExpositionFormats formats = ExpositionFormats.init();
        server.createContext("/", exchange -> handle(exchange, registry, formats));
        ExecutorService executor = new ThreadPoolExecutor(2, 2, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(64), platformDaemons(), new ThreadPoolExecutor.DiscardOldestPolicy());
        server.setExecutor(executor);
        server.start();
        return new MetricsEndpoint(server, executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static void handle(HttpExchange exchange, PrometheusMeterRegistry registry, ExpositionFormats formats)
            throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            boolean head = method.equals("HEAD");
            if (!head && !method.equals("GET")) {
                respond(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n", false);
            } else if (path.equals("/metrics")) {
                ExpositionFormatWriter writer = formats.findWriter(exchange.getRequestHeaders().getFirst("Accept"));
                ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
                registry.scrape(body, writer.getContentType());
                respond(exchange, 200, writer.getContentType(), body.toByteArray(), head);
            } else if (path.equals("/-/healthy")) {
                respond(exchange, 200, "text/plain; charset=utf-8", "vtrecycler is healthy\n", head);
            } else {
                respond(exchange, 404, "text/plain; charset=utf-8", "not found: try /metrics\n", head);
            }
        } catch (RuntimeException e) {
            // A failing scrape must not kill the server thread; the client sees the connection drop.
            exchange.close();
        }
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body, boolean head)
            throws IOException {
        respond(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8), head);
    }

    private static void respond(HttpExchange exchange, int status, String contentType, byte[] body, boolean head)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static ThreadFactory platformDaemons() {
        AtomicInteger n = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, "vtrecycler-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
