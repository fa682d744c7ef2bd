package dev.vtrecycler.demo.serve;

import dev.vtrecycler.demo.cli.CommandFailure;
import java.net.BindException;
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
public final class DemoServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;
    private final DemoHandler handler = new DemoHandler();

    public DemoServer(int port) {
        QueuedThreadPool platformThreads = new QueuedThreadPool(8, 2);
        platformThreads.setName("jetty");
        platformThreads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server = new Server(platformThreads);
        connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setAcceptQueueSize(1024); // the JDK's default backlog of 50 drops SYNs when many clients connect at once
        server.addConnector(connector);
        server.setHandler(new StatsRoute(handler, handler::requests));
    }

    public void start() {
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly();
            if (isBindFailure(e)) {
                throw new CommandFailure("port " + connector.getPort() + " on 127.0.0.1 is already in use"
                        + " (choose another with --port, 0 = any free port)");
            }
            throw new CommandFailure("Jetty did not start: " + e);
        }
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    public int port() {
        return connector.getLocalPort();
    }

    public long requests() {
        return handler.requests();
    }

    public long requestsOnVirtualThreads() {
        return handler.requestsOnVirtualThreads();
    }

    @Override
    public void close() {
        stopQuietly();
    }

    private void stopQuietly() {
        try {
            server.stop();
        } catch (Exception ignored) {
            // stopping after a failed start or at exit: nothing left to do
        }
    }
}
