package dev.vtrecycler.it.endpoint;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The endpoint as the attack tests reach it: a loopback port, plain or TLS ({@code tls} null for
 * plain HTTP), and the {@code Authorization} header a well-behaved scraper sends (empty without
 * basic auth). Raw sockets, so that a test can do what an HTTP client library would refuse to.
 */
record AttackTarget(int port, SSLContext tls, String authorization) {

    static String basic(String user, String password) {
        return "Authorization: Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)) + "\r\n";
    }

    /** A connected socket (TLS handshake done when TLS); {@code receiveBuffer} 0 keeps the default. */
    Socket open(int receiveBuffer, Duration timeout) throws IOException {
        Socket plain = new Socket();
        if (receiveBuffer > 0) {
            plain.setReceiveBufferSize(receiveBuffer); // before connect, so the window is small from the start
        }
        plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) timeout.toMillis());
        plain.setTcpNoDelay(true);
        plain.setSoTimeout((int) timeout.toMillis());
        if (tls == null) {
            return plain;
        }
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
        socket.startHandshake();
        return socket;
    }

    /**
     * One scrape as Prometheus makes it with a fresh connection: connect (and handshake), GET
     * /metrics, read the whole answer. True when the answer is a 200 with the metrics and everything
     * took at most {@code limit}.
     */
    boolean scrapeWithin(Duration limit) {
        long start = System.nanoTime();
        try (Socket s = open(0, limit)) {
            send(s, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n" + authorization + "Connection: close\r\n\r\n");
            InputStream in = new BufferedInputStream(s.getInputStream());
            String head = head(in);
            int length = contentLength(head);
            byte[] body = in.readNBytes(length);
            return head.startsWith("HTTP/1.1 200 ") && body.length == length
                    && new String(body, StandardCharsets.UTF_8).contains("vtrecycler_info")
                    && System.nanoTime() - start <= limit.toNanos();
        } catch (IOException e) {
            return false;
        }
    }

    static void send(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** The status line and headers of one answer (without the empty line). */
    static String head(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + out.size() + " bytes");
            }
            out.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    static int contentLength(String head) throws IOException {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring(15).trim());
            }
        }
        throw new IOException("no Content-Length in " + head);
    }
}
