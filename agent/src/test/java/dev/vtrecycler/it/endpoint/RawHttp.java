package dev.vtrecycler.it.endpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** Plain sockets against the endpoint, for what an HTTP client library would hide or refuse to do. */
final class RawHttp {

    static Socket connect(int port) throws IOException {
        return new Socket(InetAddress.getLoopbackAddress(), port);
    }

    static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    /** Everything the server sends until it closes the connection (fails after the timeout). */
    static String readUntilClosed(Socket socket, Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
            }
        } catch (SocketException reset) {
            // closed with a reset: what was read before counts
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * Whether the server has closed this connection: a read that sees end of stream or a reset at
     * once; an open, silent connection times out after {@code probe}.
     */
    static boolean closedByServer(Socket socket, Duration probe) throws IOException {
        socket.setSoTimeout((int) Math.max(1, probe.toMillis()));
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException open) {
            return false;
        } catch (SocketException reset) {
            return true;
        }
    }

    /** Waits until the server closes the connection; returns how long that took from {@code since}. */
    static Duration awaitClosed(Socket socket, long sinceNanos, Duration timeout) throws IOException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (closedByServer(socket, Duration.ofMillis(100))) {
                return Duration.ofNanos(System.nanoTime() - sinceNanos);
            }
        }
        throw new AssertionError("the server kept the connection open for " + timeout);
    }

    static void closeAll(List<Socket> sockets) {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // test cleanup
            }
        }
    }

    private RawHttp() {}
}
