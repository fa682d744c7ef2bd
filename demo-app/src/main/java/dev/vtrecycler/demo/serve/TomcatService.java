package dev.vtrecycler.demo.serve;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;

/**
 * Embedded Tomcat 11 with the connector's {@code useVirtualThreads} (what Spring Boot's
 * {@code spring.threads.virtual.enabled} sets): Tomcat's {@code VirtualThreadExecutor} starts each
 * request's virtual thread through {@code Thread.Builder.start} called by reflection. Keep-alive
 * requests are unlimited (Tomcat closes a connection after 100 by default) so that every server
 * carries the load over the same long-lived connections and a request's cost is its own.
 */
final class TomcatService implements DemoService {
    /** Held: java.util.logging keeps loggers weakly, and a collected one forgets its level. */
    private static final Logger TOMCAT_LOG = Logger.getLogger("org.apache");

    private final Tomcat tomcat;
    private final Connector connector;
    private final Path baseDir;
    private final ServedRequests requests;

    private TomcatService(Tomcat tomcat, Connector connector, Path baseDir, ServedRequests requests) {
        this.tomcat = tomcat;
        this.connector = connector;
        this.baseDir = baseDir;
        this.requests = requests;
    }

    static TomcatService start(int port, ServedRequests requests, RequestThreads threads) throws Exception {
        TOMCAT_LOG.setLevel(Level.WARNING); // its start-up lines are INFO; problems still show
        Path baseDir = Files.createTempDirectory("vtrecycler-tomcat");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        Connector connector = new Connector();
        connector.setPort(port);
        connector.setProperty("address", "127.0.0.1");
        // platform: the connector's own pool (maxThreads 200 by default)
        connector.setProperty("useVirtualThreads", Boolean.toString(threads == RequestThreads.VIRTUAL));
        connector.setProperty("acceptCount", "1024");
        connector.setProperty("maxKeepAliveRequests", "-1");
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", baseDir.toString());
        // its leak checks at stop need --add-opens and say so on stderr: nothing to check in this demo
        ((StandardContext) context).setClearReferencesRmiTargets(false);
        ((StandardContext) context).setClearReferencesThreadLocals(false);
        Tomcat.addServlet(context, "demo", new DemoServlet(requests));
        context.addServletMappingDecoded("/", "demo");
        TomcatService service = new TomcatService(tomcat, connector, baseDir, requests);
        tomcat.start();
        if (connector.getState() != LifecycleState.STARTED || connector.getLocalPort() <= 0) {
            // Tomcat logs a bind failure and carries on without the connector: make it a failure
            service.close();
            throw new IOException("the connector did not start on 127.0.0.1:" + port,
                    new java.net.BindException("Tomcat's connector is " + connector.getState()));
        }
        return service;
    }

    @Override
    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public ServedRequests requests() {
        return requests;
    }

    @Override
    public void close() {
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (Exception ignored) {
            // stopping at exit: nothing left to do
        }
        try (var files = Files.walk(baseDir)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ignored) {
            // a temporary directory left behind is not worth failing for
        }
    }

    /** {@code GET /} does the work, {@code GET /-/stats} answers the stats line. */
    private static final class DemoServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient ServedRequests requests;

        DemoServlet(ServedRequests requests) {
            this.requests = requests;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String body;
            try {
                body = ServedRequests.STATS_PATH.equals(request.getRequestURI()) ? requests.statsLine() : requests.handle();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            response.setContentType("text/plain;charset=utf-8");
            response.setContentLength(bytes.length);
            response.getOutputStream().write(bytes);
        }
    }
}
