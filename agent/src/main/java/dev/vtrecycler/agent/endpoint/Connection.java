package dev.vtrecycler.agent.endpoint;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.function.Function;

/**
 * One client connection, served on its own platform daemon thread: optional TLS handshake, then
 * requests and responses while the client keeps the connection alive.
 *
 * <p>No read here has a timeout of its own. The {@link ConnectionTable} holds each connection's
 * deadline and {@link EndpointServer}'s reaper closes the plain socket when it passes, which ends
 * whatever read, write or handshake this thread is blocked in. One mechanism for all of them, and
 * a request dribbled in byte by byte gets no more time than one sent at once.
 */
final class Connection implements Runnable {
    private final Socket raw;
    private final ConnectionTable table;
    private final ServerTls tls;
    private final Function<Request, Response> handler;

    // guarded by table's lock
    boolean busy;
    long idleSince;
    long deadline;

    Connection(Socket raw, ConnectionTable table, ServerTls tls, Function<Request, Response> handler) {
        this.raw = raw;
        this.table = table;
        this.tls = tls;
        this.handler = handler;
    }

    @Override
    public void run() {
        Socket socket = raw;
        try {
            if (tls != null) {
                socket = tls.handshake(raw);
                if (socket == null) {
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
            abort();
            table.remove(this);
        }
    }

    private void serve(Socket socket) throws IOException {
        InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
        OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
        RequestReader reader = new RequestReader(in);
        boolean first = true;
        while (true) {
            Request request;
            try {
                boolean keptAlive = !first;
                request = reader.read(() -> {
                    if (keptAlive) {
                        table.requestStarted(this, System.nanoTime());
                    }
                });
            } catch (BadRequest e) {
                table.serving(this, System.nanoTime());
                e.response().write(out, false, true, false);
                if (socket == raw) {
                    lingeringClose();
                }
                return;
            }
            if (request == null) {
                return;
            }
            first = false;
            table.serving(this, System.nanoTime());
            Response response = handler.apply(request);
            boolean keepAlive = request.keepAlive() && !response.close();
            response.write(out, request.head(), !keepAlive, keepAlive && request.version().equals("HTTP/1.0"));
            if (!keepAlive) {
                return;
            }
            table.keptAlive(this, System.nanoTime());
        }
    }

    /**
     * After an error answer the client may still be sending: closing with unread input makes the
     * kernel send a reset, and the client can lose the answer. Half-close, read what is left for a
     * moment, then close (what Go's net/http and others do).
     */
    private void lingeringClose() {
        try {
            raw.shutdownOutput();
            raw.setSoTimeout(500);
            InputStream in = raw.getInputStream();
            byte[] sink = new byte[4096];
            int total = 0;
            for (int n; total < 64 * 1024 && (n = in.read(sink)) >= 0; ) {
                total += n;
            }
        } catch (IOException e) {
            // timed out or reset: close now
        }
    }

    /** Closes the plain socket: ends any blocked read, write or handshake on it. Any thread. */
    void abort() {
        closeQuietly(raw);
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
