package dev.vtrecycler.agent.endpoint;

import dev.vtrecycler.agent.diagnostics.ThreadDumps;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A small HTTP/1.1 server for the metrics endpoint, written for an untrusted network.
 *
 * <p>Why not the JDK's {@code com.sun.net.httpserver}: it reads a request's headers on its worker
 * threads with no per-server deadline (only the JVM-wide {@code sun.net.httpserver.*} properties,
 * which would also change the host's own servers), so four clients that send one header line and
 * then nothing stalled every scrape. Here each connection has its own platform daemon thread
 * (never a virtual thread: the agent must not observe or recycle itself, nor compete with the
 * application for carriers), every connection has a deadline that a reaper thread enforces, and
 * the number of connections is capped, the longest-idle connection making room for a new one.
 *
 * <p>Threads: one acceptor, one reaper, one per open connection (at most
 * {@link Limits#maxConnections()}); all daemons, so the endpoint never keeps the host alive.
 */
public final class EndpointServer {
    /** How often the reaper looks at deadlines: a deadline is enforced within this much. */
    private static final long REAPER_TICK_MILLIS = 200;

    private final ServerSocket serverSocket;
    private final ConnectionTable table;
    private final ServerTls tls;
    private final Function<Request, Response> handler;
    private final AtomicLong connectionCount = new AtomicLong();
    private volatile boolean stopped;

    private EndpointServer(ServerSocket serverSocket, Limits limits, ServerTls tls, Function<Request, Response> handler) {
        this.serverSocket = serverSocket;
        this.table = new ConnectionTable(limits);
        this.tls = tls;
        this.handler = handler;
    }

    /**
     * The metrics endpoint as configured by a web configuration: TLS and basic auth when it says so.
     * Throws WebConfigException for certificate or key files it cannot use, IOException for a bind
     * failure.
     */
    public static EndpointServer serveMetrics(InetSocketAddress address, Limits limits, WebConfig web,
                                              PrometheusMeterRegistry registry, ThreadDumps threads)
            throws IOException, WebConfigException {
        ServerTls tls = web.tls().isPresent() ? ServerTls.create(web.tls().get()) : null;
        BasicAuth auth = web.users().isEmpty() ? null : new BasicAuth(web.users(), limits.authQueue());
        return start(address, limits, tls, new MetricsRoutes(registry, auth, threads == null ? null : new ThreadsRoute(threads, auth)));
    }

    /** Binds and starts serving; throws IOException (e.g. BindException for a port in use). */
    static EndpointServer start(InetSocketAddress address, Limits limits, ServerTls tls,
                                Function<Request, Response> handler) throws IOException {
        ServerSocket serverSocket = new ServerSocket();
        try {
            serverSocket.bind(address, 64);
        } catch (IOException | RuntimeException e) {
            serverSocket.close();
            throw e;
        }
        EndpointServer server = new EndpointServer(serverSocket, limits, tls, handler);
        daemon(server::acceptLoop, "vtrecycler-http-accept").start();
        daemon(server::reaperLoop, "vtrecycler-http-reaper").start();
        return server;
    }

    /** Whether connections speak TLS (the URL scheme is https). */
    public boolean tls() {
        return tls != null;
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    public void stop() {
        stopped = true;
        try {
            serverSocket.close();
        } catch (IOException e) {
            // already closed
        }
        table.closeAll();
    }

    private void acceptLoop() {
        while (!stopped) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                if (stopped || serverSocket.isClosed()) {
                    return;
                }
                pause(); // e.g. out of file descriptors: do not spin
                continue;
            }
            Connection connection = new Connection(socket, table, tls, handler);
            if (!table.admit(connection, System.nanoTime())) {
                closeQuietly(socket); // every slot is busy serving: refuse rather than queue
                continue;
            }
            try {
                socket.setTcpNoDelay(true);
                connection.start("vtrecycler-http-" + connectionCount.incrementAndGet());
            } catch (IOException | RuntimeException | OutOfMemoryError e) {
                // cannot start a thread or configure the socket: drop this connection, keep serving
                table.remove(connection);
                closeQuietly(socket);
            }
        }
    }

    private void reaperLoop() {
        while (!stopped) {
            try {
                Thread.sleep(REAPER_TICK_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            table.expire(System.nanoTime());
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(Runnable task, String name) {
        Thread t = new Thread(task, name); // a platform thread: see the class comment
        t.setDaemon(true);
        return t;
    }
}
