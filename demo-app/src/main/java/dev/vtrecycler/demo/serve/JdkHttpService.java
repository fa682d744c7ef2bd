package dev.vtrecycler.demo.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The JDK's {@code com.sun.net.httpserver.HttpServer} with {@code Executors.newVirtualThreadPerTaskExecutor()}
 * as its executor: its one dispatcher thread (a platform thread) submits every exchange. With
 * {@link RequestThreads#PLATFORM}, a fixed pool of platform threads instead.
 */
final class JdkHttpService implements DemoService {
    private final HttpServer server;
    private final ExecutorService executor;
    private final ServedRequests requests;

    private JdkHttpService(HttpServer server, ExecutorService executor, ServedRequests requests) {
        this.server = server;
        this.executor = executor;
        this.requests = requests;
    }

    static JdkHttpService start(int port, ServedRequests requests, RequestThreads threads) throws IOException {
        // backlog 1024, as for the other servers: the default of 50 drops SYNs when many clients connect at once
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        ExecutorService executor = threads == RequestThreads.VIRTUAL ? Executors.newVirtualThreadPerTaskExecutor()
                : Executors.newFixedThreadPool(RequestThreads.PLATFORM_POOL_SIZE);
        server.setExecutor(executor);
        server.createContext("/", exchange -> answer(exchange, requests));
        server.start();
        return new JdkHttpService(server, executor, requests);
    }

    private static void answer(HttpExchange exchange, ServedRequests requests) throws IOException {
        try (exchange) {
            String body;
            try {
                body = ServedRequests.STATS_PATH.equals(exchange.getRequestURI().getPath())
                        ? requests.statsLine() : requests.handle();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public ServedRequests requests() {
        return requests;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
