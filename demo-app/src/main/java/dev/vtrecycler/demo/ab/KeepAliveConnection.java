package dev.vtrecycler.demo.ab;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One persistent HTTP/1.1 connection to the server on loopback, one GET at a time, the way a load
 * balancer or a client's connection pool talks to a service (unlike the seed's {@code HttpGet},
 * which opens a socket per request). A plain socket rather than {@code HttpClient}: the load
 * generator shares two cores with the server, so it should cost as little CPU as possible.
 * Responses must carry {@code Content-Length} (Jetty sets it for a body written in one go).
 */
final class KeepAliveConnection implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final StringBuilder line = new StringBuilder(64);
    private boolean reusable = true;
    private long answered;

    /**
     * The server closed a kept-alive connection before this request got any answer (an idle timeout,
     * or a cap on idle connections such as the JDK server's): not the server failing the request.
     * Clients resend an idempotent GET on a new connection then, and so does the load step.
     */
    static final class StaleConnection extends IOException {
        private static final long serialVersionUID = 1L;

        StaleConnection(String message) {
            super(message);
        }
    }

    KeepAliveConnection(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setTcpNoDelay(true);
        in = new BufferedInputStream(socket.getInputStream(), 1024);
        out = socket.getOutputStream();
    }

    /** Sends {@code GET path} and reads the whole response; returns the body. Throws unless 200. */
    String get(String path) throws IOException {
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String status = readLine();
        if (status.isEmpty() && !reusable && answered > 0) {
            throw new StaleConnection("GET " + path + ": the server had closed this kept-alive connection");
        }
        if (!status.startsWith("HTTP/1.1 200")) {
            reusable = false;
            throw new IOException("GET " + path + ": " + (status.isEmpty() ? "connection closed" : status));
        }
        int length = -1;
        for (String header = readLine(); !header.isEmpty(); header = readLine()) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(lower.substring("content-length:".length()).trim());
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                reusable = false;
            }
        }
        if (length < 0) {
            reusable = false;
            throw new IOException("GET " + path + ": no Content-Length in the response");
        }
        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        answered++;
        return body;
    }

    /** False once the server said close or a response could not be read: the connection is not given back. */
    boolean reusable() {
        return reusable;
    }

    private String readLine() throws IOException {
        line.setLength(0);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                reusable = false;
                break;
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a loopback socket: nothing to report
        }
    }
}
