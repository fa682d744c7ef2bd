import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop HTTP/1.1 keep-alive load generator for profile-server.sh (loopback only): N
 * connections, each sending GET PATH and reading the response before the next. Runs as a source
 * file: {@code java ClosedLoopLoad.java PORT CONNECTIONS WARMUP_S RUN_S PATH}; prints
 * {@code rps <n> errors <n>} for the run after the warm-up.
 */
public class ClosedLoopLoad {
    public static void main(String[] a) throws Exception {
        int port = Integer.parseInt(a[0]);
        int connections = Integer.parseInt(a[1]);
        long warmupMs = Long.parseLong(a[2]) * 1000;
        long runMs = Long.parseLong(a[3]) * 1000;
        byte[] request = ("GET " + a[4] + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        AtomicLong done = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicBoolean counting = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        for (int i = 0; i < connections; i++) {
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                        s.setTcpNoDelay(true);
                        OutputStream out = s.getOutputStream();
                        InputStream in = new BufferedInputStream(s.getInputStream());
                        while (!stop.get()) {
                            out.write(request);
                            out.flush();
                            readResponse(in);
                            if (counting.get()) {
                                done.incrementAndGet();
                            }
                        }
                    } catch (IOException e) {
                        errors.incrementAndGet();
                    }
                }
            });
            t.setDaemon(true);
            t.start();
        }
        Thread.sleep(warmupMs);
        counting.set(true);
        long t0 = System.nanoTime();
        Thread.sleep(runMs);
        long n = done.get();
        long elapsed = System.nanoTime() - t0;
        stop.set(true);
        System.out.printf("rps %.0f errors %d%n", n * 1e9 / elapsed, errors.get());
    }

    /** Reads one response with a Content-Length body (what the demo's servers send). */
    private static void readResponse(InputStream in) throws IOException {
        int length = -1;
        StringBuilder line = new StringBuilder();
        for (;;) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException();
            }
            if (c != '\n') {
                line.append((char) c);
                continue;
            }
            String header = line.toString().trim();
            line.setLength(0);
            if (header.isEmpty()) {
                break;
            }
            if (header.regionMatches(true, 0, "content-length:", 0, 15)) {
                length = Integer.parseInt(header.substring(15).trim());
            }
        }
        for (int i = 0; i < length; i++) {
            if (in.read() < 0) {
                throw new EOFException();
            }
        }
    }
}
