package dev.vtrecycler.it.frameworks;

import com.sun.net.httpserver.HttpServer;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.Executors;

/**
 * The servers of the framework table, each configured the way its documentation turns virtual
 * threads on, bound to loopback on a free port, answering {@code GET /} with a short body. Every
 * handler calls {@link Handled#record()} so the program can count requests and threads.
 */
final class Servers {
    private static final byte[] BODY = "ok\n".getBytes(StandardCharsets.US_ASCII);

    /** A started server. */
    interface Running extends AutoCloseable {
        int port();

        @Override
        void close() throws Exception;
    }

    private Servers() {}

    static Running start(String name) throws Exception {
        return switch (name) {
            case "tomcat" -> tomcat();
            case "jetty" -> jetty();
            case "helidon" -> helidon();
            case "httpserver" -> httpServer();
            default -> throw new IllegalArgumentException("unknown server " + name);
        };
    }

    /** Embedded Tomcat 11 with the Connector's useVirtualThreads (what Spring Boot's spring.threads.virtual.enabled sets). */
    private static Running tomcat() throws Exception {
        Tomcat tomcat = new Tomcat();
        String base = Files.createTempDirectory("tomcat").toString();
        tomcat.setBaseDir(base);
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        connector.setProperty("useVirtualThreads", "true");
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", base);
        Tomcat.addServlet(context, "ok", new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                Handled.record(request.getHeader(Handled.REQUEST_ID), request.getRemotePort());
                response.setContentType("text/plain");
                response.getOutputStream().write(BODY);
            }
        });
        context.addServletMappingDecoded("/", "ok");
        tomcat.start();
        return new Running() {
            public int port() {
                return connector.getLocalPort();
            }

            public void close() throws Exception {
                tomcat.stop();
                tomcat.destroy();
            }
        };
    }

    /** Jetty 12 core: a QueuedThreadPool whose virtual-threads executor is the JDK's. */
    private static Running jetty() throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool(8, 2);
        pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        Server server = new Server(pool);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Handled.record(request.getHeaders().get(Handled.REQUEST_ID), Request.getRemotePort(request));
                response.write(true, ByteBuffer.wrap(BODY), callback);
                return true;
            }
        });
        server.start();
        return new Running() {
            public int port() {
                return connector.getLocalPort();
            }

            public void close() throws Exception {
                server.stop();
            }
        };
    }

    /** Helidon 4 SE webserver: virtual threads by default. */
    private static Running helidon() {
        WebServer server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .routing(routing -> routing.get("/", (request, response) -> {
                    Handled.record(request.headers().first(HeaderNames.create(Handled.REQUEST_ID)).orElse(null),
                            request.remotePeer().port());
                    response.send(BODY);
                }))
                .build()
                .start();
        return new Running() {
            public int port() {
                return server.port();
            }

            public void close() {
                server.stop();
            }
        };
    }

    /** The JDK's HttpServer on Executors.newVirtualThreadPerTaskExecutor(). */
    private static Running httpServer() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            Handled.record(exchange.getRequestHeaders().getFirst(Handled.REQUEST_ID), exchange.getRemoteAddress().getPort());
            exchange.sendResponseHeaders(200, BODY.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(BODY);
            }
        });
        server.start();
        return new Running() {
            public int port() {
                return server.getAddress().getPort();
            }

            public void close() {
                server.stop(0);
            }
        };
    }
}
