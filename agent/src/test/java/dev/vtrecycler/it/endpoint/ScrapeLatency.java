package dev.vtrecycler.it.endpoint;

import dev.vtrecycler.it.apps.ControlledApp;
import dev.vtrecycler.it.support.ForkedJvm;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;

/**
 * Scrape latency of the agent's endpoint, plain HTTP vs TLS with basic auth, measured from a
 * client on loopback against two forked JVMs running side by side (ControlledApp with the agent,
 * mode=observe). Rounds alternate between the two so that machine noise hits both alike; each
 * mode is measured on one kept-alive connection (what Prometheus does) and with a new connection
 * per scrape (TLS handshake every time). Not a test: a tool for the README's figures.
 *
 * <pre>
 * mvn -B -q -pl agent -am verify -DskipTests        # builds the agent jar and the test classes
 * cd agent && $JAVA -cp target/test-classes dev.vtrecycler.it.endpoint.ScrapeLatency 500
 * </pre>
 */
public final class ScrapeLatency {
    private static final String HASH = WebConfigIT.CAROL_HASH; // bcrypt cost 10, password carol123
    private static final String AUTH = "Authorization: Basic "
            + Base64.getEncoder().encodeToString("carol:carol123".getBytes(StandardCharsets.UTF_8)) + "\r\n";

    public static void main(String[] args) throws Exception {
        int scrapes = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int rounds = 10;
        Path dir = Files.createTempDirectory("scrape-latency");
        TestCertificates cert = TestCertificates.create(dir, "server", "EC");
        Path web = Files.writeString(dir.resolve("web.yml"), """
                tls_server_config: {cert_file: server.crt, key_file: server.key}
                basic_auth_users: {carol: "%s"}
                """.formatted(HASH));
        SSLContext tls = TestCertificates.trusting(cert.certPem(), null);
        try (ForkedJvm plainApp = start(null); ForkedJvm tlsApp = start(web)) {
            int plainPort = plainApp.metricsPort();
            int tlsPort = tlsApp.metricsPort();
            Client plain = new Client(plainPort, null, "");
            Client secure = new Client(tlsPort, tls, AUTH);
            long first = System.nanoTime();
            secure.scrapeOnNewConnection();
            System.out.printf(Locale.ROOT, "first TLS+auth scrape (handshake, bcrypt, nothing cached): %.2f ms%n",
                    (System.nanoTime() - first) / 1e6);
            for (Client c : List.of(plain, secure)) { // warm up both JVMs and this one
                c.measure(200, true);
                c.measure(50, false);
            }
            long[][] results = new long[4][];
            List<List<Long>> all = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            for (int r = 0; r < rounds; r++) {
                add(all.get(0), plain.measure(scrapes / rounds, true));
                add(all.get(1), secure.measure(scrapes / rounds, true));
                add(all.get(2), plain.measure(scrapes / rounds, false));
                add(all.get(3), secure.measure(scrapes / rounds, false));
            }
            String[] names = {"plain HTTP, kept-alive", "TLS + basic auth, kept-alive",
                    "plain HTTP, new connection each", "TLS + basic auth, new connection each"};
            System.out.printf(Locale.ROOT, "%d scrapes per row, %d alternating rounds, body %d bytes%n",
                    all.get(0).size(), rounds, plain.lastBodyBytes);
            System.out.printf(Locale.ROOT, "%-38s %9s %9s %9s %9s%n", "mode", "p50 ms", "p90 ms", "p99 ms", "mean ms");
            for (int i = 0; i < 4; i++) {
                results[i] = all.get(i).stream().mapToLong(Long::longValue).sorted().toArray();
                long[] s = results[i];
                System.out.printf(Locale.ROOT, "%-38s %9.3f %9.3f %9.3f %9.3f%n", names[i], ms(pct(s, 50)), ms(pct(s, 90)),
                        ms(pct(s, 99)), ms((long) Arrays.stream(s).average().orElse(0)));
            }
        }
    }

    private static ForkedJvm start(Path web) throws Exception {
        String args = "mode=observe,host=127.0.0.1,port=0" + (web == null ? "" : ",web-config=" + web);
        ForkedJvm app = ForkedJvm.start(List.of("-Xmx256m", ForkedJvm.javaagent(args)), ControlledApp.class);
        app.readLine(Duration.ofSeconds(60));
        return app;
    }

    private static void add(List<Long> to, long[] values) {
        for (long v : values) {
            to.add(v);
        }
    }

    private static long pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    /** GET /metrics over raw sockets (plain or TLS), reading exactly Content-Length bytes. */
    private static final class Client {
        private final int port;
        private final SSLContext tls;
        private final byte[] request;
        private final byte[] closingRequest;
        private Socket kept;
        int lastBodyBytes;

        Client(int port, SSLContext tls, String extraHeaders) {
            this.port = port;
            this.tls = tls;
            String head = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extraHeaders;
            this.request = (head + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            this.closingRequest = (head + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        }

        long[] measure(int n, boolean keepAlive) throws IOException {
            long[] nanos = new long[n];
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                if (keepAlive) {
                    if (kept == null) {
                        kept = open();
                    }
                    exchange(kept, request);
                } else {
                    scrapeOnNewConnection();
                }
                nanos[i] = System.nanoTime() - t0;
            }
            return nanos;
        }

        void scrapeOnNewConnection() throws IOException {
            try (Socket s = open()) {
                exchange(s, closingRequest);
            }
        }

        private Socket open() throws IOException {
            Socket plain = new Socket(InetAddress.getLoopbackAddress(), port);
            plain.setTcpNoDelay(true);
            plain.setSoTimeout(10_000);
            return tls == null ? plain : tls.getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
        }

        private void exchange(Socket s, byte[] req) throws IOException {
            OutputStream out = s.getOutputStream();
            out.write(req);
            out.flush();
            InputStream in = new BufferedInputStream(s.getInputStream());
            String head = head(in);
            if (!head.startsWith("HTTP/1.1 200")) {
                throw new IOException("unexpected answer: " + head);
            }
            int length = -1;
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            lastBodyBytes = in.readNBytes(length).length;
            if (lastBodyBytes != length) {
                throw new IOException("short body");
            }
        }

        private static String head(InputStream in) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("closed");
                }
                out.write(b);
                matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private ScrapeLatency() {}
}
