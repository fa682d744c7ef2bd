package dev.vtrecycler.demo.workload;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 GET over a fresh loopback socket ({@code Connection: close}), read to the end.
 *
 * <p>A plain socket rather than {@code java.net.http.HttpClient}: the client has its own selector
 * thread, executor and per-request futures, which would dwarf what the threads themselves cost.
 * Go's {@code http.Get} in the seed is the analogue: one request, a blocking read on the calling
 * goroutine. Here the virtual thread parks in the socket read and unmounts, as a goroutine does.
 */
public final class HttpGet {
    private static final byte[] OK_PREFIX = "HTTP/1.1 200".getBytes(StandardCharsets.US_ASCII);

    private HttpGet() {}

    /** Returns the number of bytes received; throws if the status is not 200. */
    public static int get(int port, String path) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[512];
            int total = 0;
            int read;
            boolean checked = false;
            while ((read = in.read(buffer, total < buffer.length ? total : 0,
                    total < buffer.length ? buffer.length - total : buffer.length)) > 0) {
                total += read;
                if (!checked && total >= OK_PREFIX.length) {
                    for (int i = 0; i < OK_PREFIX.length; i++) {
                        if (buffer[i] != OK_PREFIX[i]) {
                            String head = new String(buffer, 0, Math.min(total, 40), StandardCharsets.US_ASCII);
                            throw new IOException("GET " + path + " on port " + port + ": "
                                    + head.lines().findFirst().orElse(head));
                        }
                    }
                    checked = true;
                }
            }
            if (!checked) {
                throw new IOException("GET " + path + " on port " + port + ": connection closed after " + total + " bytes");
            }
            return total;
        }
    }
}
