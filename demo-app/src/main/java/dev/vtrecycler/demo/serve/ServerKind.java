package dev.vtrecycler.demo.serve;

import dev.vtrecycler.demo.cli.CommandFailure;
import dev.vtrecycler.demo.serve.spring.SpringService;
import java.net.BindException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The servers {@code serve} and {@code service-ab} run, each the real library, on loopback, with
 * virtual threads turned on the way its documentation says, so each starts its threads its own way
 * (the agent routes some of those ways and not others; the README's framework table says which).
 * {@link #SPRING} and {@link #SPRING_ASYNC} are the same application loaded on different routes.
 */
public enum ServerKind {
    JETTY("jetty", "/", "Jetty 12, handlers on Executors.newVirtualThreadPerTaskExecutor()"),
    TOMCAT("tomcat", "/", "embedded Tomcat 11, the connector's useVirtualThreads (reflective Thread.Builder start)"),
    SPRING("spring", "/", "Spring Boot 4 on Tomcat, spring.threads.virtual.enabled=true, GET /"),
    SPRING_ASYNC("spring-async", "/async", "Spring Boot 4 on Tomcat, spring.threads.virtual.enabled=true, GET /async:"
            + " the work runs in an @Async method (SimpleAsyncTaskExecutor on virtual threads), the request waits for it"),
    JDK("jdk", "/", "the JDK's com.sun.net.httpserver.HttpServer on Executors.newVirtualThreadPerTaskExecutor()");

    private final String key;
    private final String path;
    private final String description;

    ServerKind(String key, String path, String description) {
        this.key = key;
        this.path = path;
        this.description = description;
    }

    public String key() {
        return key;
    }

    /** The route the load goes to. */
    public String path() {
        return path;
    }

    public String description() {
        return description;
    }

    /** Starts it on 127.0.0.1; throws CommandFailure with one line (a port in use says so). */
    public DemoService start(int port, ServedRequests requests, RequestThreads threads) {
        try {
            return switch (this) {
                case JETTY -> JettyService.start(port, requests, threads);
                case TOMCAT -> TomcatService.start(port, requests, threads);
                case SPRING, SPRING_ASYNC -> SpringService.start(port, requests, threads);
                case JDK -> JdkHttpService.start(port, requests, threads);
            };
        } catch (Exception e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof BindException) {
                    throw new CommandFailure("port " + port + " on 127.0.0.1 is already in use"
                            + " (choose another with --port, 0 = any free port)");
                }
            }
            throw new CommandFailure(key + " did not start: " + e);
        }
    }

    /** "jetty" or "jetty,tomcat"; throws IllegalArgumentException naming what is allowed. */
    public static List<ServerKind> parseList(String text) {
        List<ServerKind> kinds = new ArrayList<>();
        for (String item : text.split(",")) {
            ServerKind kind = Arrays.stream(values()).filter(k -> k.key.equals(item.trim().toLowerCase(Locale.ROOT)))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException(
                            "must be one or more of " + keys() + " (comma-separated), got '" + item.trim() + "'"));
            if (!kinds.contains(kind)) {
                kinds.add(kind);
            }
        }
        return kinds;
    }

    public static String keys() {
        return Arrays.stream(values()).map(ServerKind::key).collect(Collectors.joining(", "));
    }
}
