package dev.vtrecycler.agent.endpoint;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.function.Function;

/**
 * One client connection, served on its own platform daemon thread: optional TLS handshake, then
 * requests and responses while the client keeps the connection alive.
 *
 * <p>No read or write here has a timeout of its own. The {@link ConnectionTable} holds each
 * connection's {@link Phase} and the deadline of the whole phase, and {@link EndpointServer}'s
 * reaper closes the plain socket when it passes, which ends whatever read, write or handshake this
 * thread is blocked in (and interrupts it, which ends a wait for bcrypt). One mechanism for all of
 * them, and a request dribbled in byte by byte gets no more time than one sent at once.
 */
final class Connection implements Runnable, ConnectionHooks {
    final InetAddress client;
    private final Socket raw;
    private final ConnectionTable table;
    private final ServerTls tls;
    private final Function<Request, Response> handler;
    private volatile Thread thread;
    private int failedPasswords;

    // guarded by table's lock
    boolean open;
    /** Has had an answer (or begun one): goes before connections still on their first request. */
    boolean answered;
    Phase phase = Phase.REQUEST;
    long since;
    long deadline;

    Connection(Socket raw, ConnectionTable table, ServerTls tls, Function<Request, Response> handler) {
        this(raw, raw.getInetAddress(), table, tls, handler);
    }

    /** {@code client}: the peer's address (given apart from the socket in tests). */
    Connection(Socket raw, InetAddress client, ConnectionTable table, ServerTls tls, Function<Request, Response> handler) {
        this.raw = raw;
        this.client = client;
        this.table = table;
        this.tls = tls;
        this.handler = handler;
    }

    /** Starts serving on a new platform daemon thread (never a virtual thread: see {@link EndpointServer}). */
    void start(String name) {
        Thread t = new Thread(this, name);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    @Override
    public void run() {
        Socket socket = raw;
        try {
            if (tls != null) {
                socket = tls.handshake(raw);
                if (socket == null) { // plain HTTP on the TLS port, answered, or nothing at all
                    lingeringClose();
                    return;
                }
            }
            serve(socket);
        } catch (IOException | RuntimeException e) {
            // the client went away, its deadline passed (the reaper closed the socket), or its TLS
            // handshake failed: nothing to answer and no one to tell
        } finally {
            closeQuietly(socket);
            closeQuietly(raw);
            table.remove(this);
        }
    }

    private void serve(Socket socket) throws IOException {
        InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
        OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
        RequestReader reader = new RequestReader(in, this);
        int maxRequests = table.limits().maxRequestsPerConnection();
        for (int served = 1; ; served++) {
            Request request;
            try {
                boolean keptAlive = served > 1; // the first request's deadline runs from accept
                request = reader.read(() -> {
                    if (keptAlive) {
                        table.enter(this, Phase.REQUEST, System.nanoTime());
                    }
                });
            } catch (BadRequest e) {
                // an error answer is writing, then closing: both evictable, both bounded as a whole
                Response answer = e.response();
                if (table.writing(this, answer.body().length, System.nanoTime())) {
                    answer.write(out, false, true, false);
                    closeAfterAnswer(socket);
                }
                return;
            }
            if (request == null || !table.enter(this, Phase.SERVING, System.nanoTime())) {
                return;
            }
            Response response = handler.apply(request);
            boolean keepAlive = request.keepAlive() && !response.close() && served < maxRequests;
            if (!table.writing(this, response.body().length, System.nanoTime())) {
                return;
            }
            response.write(out, request.head(), !keepAlive, keepAlive && request.version().equals("HTTP/1.0"));
            if (!keepAlive) {
                closeAfterAnswer(socket);
                return;
            }
            table.enter(this, Phase.IDLE, System.nanoTime());
        }
    }

    private void closeAfterAnswer(Socket socket) {
        if (socket == raw) {
            lingeringClose();
        }
    }

    /**
     * After an answer the client may still be sending: closing with unread input makes the kernel
     * send a reset, and the client can lose the answer. Half-close, read what is left for at most
     * {@link Limits#LINGER} in all (the table's deadline for the phase), then close (what Go's
     * net/http and others do).
     */
    private void lingeringClose() {
        if (!table.enter(this, Phase.CLOSING, System.nanoTime())) {
            return;
        }
        try {
            raw.shutdownOutput();
            InputStream in = raw.getInputStream();
            byte[] sink = new byte[4096];
            for (int total = 0, n; total < 64 * 1024 && (n = in.read(sink)) >= 0; ) {
                total += n;
            }
        } catch (IOException e) {
            // the deadline passed (socket closed under the read) or reset: close now
        }
    }

    @Override
    public void waiting() {
        table.enter(this, Phase.WAITING, System.nanoTime());
    }

    @Override
    public boolean working() {
        return table.enter(this, Phase.SERVING, System.nanoTime());
    }

    @Override
    public int passwordFailed() {
        return ++failedPasswords; // this connection's thread only
    }

    /**
     * Closes the plain socket, which ends any blocked read, write or handshake on it, and interrupts
     * the thread, which ends a wait for bcrypt. Called under the table's lock by eviction and expiry.
     * A late interrupt is harmless: this thread serves only this connection and ends with it.
     */
    void evict() {
        closeQuietly(raw);
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            t.interrupt();
        }
    }

    private static void closeQuietly(Socket socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException | RuntimeException e) {
            // nothing left to do
        }
    }
}
