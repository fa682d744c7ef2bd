package dev.vtrecycler.demo.serve;

import java.util.concurrent.Executors;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty 12 on loopback, handlers on virtual threads. The virtual threads come from
 * {@code Executors.newVirtualThreadPerTaskExecutor()} handed to
 * {@link QueuedThreadPool#setVirtualThreadsExecutor}: the JDK factory the agent replaces with a
 * recycling executor in mode=recycle, so this is the path a real Jetty service would take.
 */
public final class JettyService implements DemoService {
    private final Server server;
    private final ServerConnector connector;
    private final ServedRequests requests;

    private JettyService(int port, ServedRequests requests, RequestThreads threads) {
        this.requests = requests;
        QueuedThreadPool platformThreads;
        if (threads == RequestThreads.VIRTUAL) {
            platformThreads = new QueuedThreadPool(8, 2); // selectors and acceptor only
            platformThreads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        } else {
            platformThreads = new QueuedThreadPool(RequestThreads.PLATFORM_POOL_SIZE, 8); // handlers too
        }
        platformThreads.setName("jetty");
        server = new Server(platformThreads);
        connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setAcceptQueueSize(1024); // the JDK's default backlog of 50 drops SYNs when many clients connect at once
        server.addConnector(connector);
        server.setHandler(new StatsRoute(new DemoHandler(requests), requests));
    }

    /** The demo's own server: {@code serve}'s default, the one the README's service A/B measures. */
    public static JettyService start(int port, ServedRequests requests, RequestThreads threads) throws Exception {
        JettyService service = new JettyService(port, requests, threads);
        try {
            service.server.start();
        } catch (Exception e) {
            service.close();
            throw e;
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
            server.stop();
        } catch (Exception ignored) {
            // stopping after a failed start or at exit: nothing left to do
        }
    }
}
