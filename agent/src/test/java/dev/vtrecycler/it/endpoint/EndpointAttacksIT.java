package dev.vtrecycler.it.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.vtrecycler.it.apps.ControlledApp;
import dev.vtrecycler.it.support.ForkedJvm;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 21's adversarial review, one test per attack, each against the agent's endpoint in a forked
 * JVM with its default limits: while the attack runs, a well-behaved scraper opening a fresh
 * connection every 500 ms must get at least 90% of its scrapes answered within 2 s. The header bomb
 * is measured in CPU time of the attacked JVM, the slow-bcrypt flood in endpoint threads, the auth
 * timing in answer times. All traffic is on loopback; every attack lasts {@link #ATTACK}.
 */
@Timeout(120)
class EndpointAttacksIT {
    private static final Duration ATTACK = Duration.ofSeconds(12);
    /** The attackers get this long to fill the table before the scraper starts counting. */
    private static final Duration SETTLE = Duration.ofSeconds(2);
    private static final Duration SCRAPE_EVERY = Duration.ofMillis(500);
    private static final int ATTACKERS = 32;
    private static final int CAP = 32;
    private static final String CAROL = AttackTarget.basic("carol", "carol123");
    private static final String CAROL_WRONG = AttackTarget.basic("carol", "wrong-password");

    @TempDir
    static Path dir;
    private static TestCertificates cert;
    private static SSLContext trusting;
    private static final Map<String, ForkedJvm> apps = new HashMap<>();

    @BeforeAll
    static void certificates() throws Exception {
        cert = TestCertificates.create(dir, "server", "EC");
        trusting = TestCertificates.trusting(cert.certPem(), null);
    }

    @AfterAll
    static void stopApps() {
        apps.values().forEach(ForkedJvm::close);
    }

    // ---- 1: a malformed request line, then one byte every 400 ms (lingering close after the 400)

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"plain", "plain+auth", "tls"})
    void malformedRequestsDribblingAfterTheirAnswer(String setup) throws Exception {
        AttackTarget target = target(setup);
        assertScrapesSurvive(target, s -> {
            AttackTarget.send(s, "THIS IS NOT HTTP\r\n");
            dribble(s, "x");
        });
    }

    // ---- 2: pipelined requests from a client that never reads (4 KB receive buffer)

    @ParameterizedTest(name = "{0} {1}")
    @ValueSource(strings = {"plain /metrics", "tls /metrics", "plain /-/healthy"})
    void pipelinedRequestsNeverRead(String setupAndPath) throws Exception {
        String[] parts = setupAndPath.split(" ");
        AttackTarget target = target(parts[0]);
        String request = "GET " + parts[1] + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        // the health answer is small: it takes more of them to fill the socket buffers
        int pipelined = parts[1].equals("/metrics") ? 400 : 4000;
        assertScrapesSurvive(target, 4096, s -> {
            AttackTarget.send(s, request.repeat(pipelined));
            dribble(s, request);
        });
    }

    // ---- 3: wrong passwords, pipelined, queueing on bcrypt

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tls+auth", "plain+auth"})
    void pipelinedWrongPasswords(String setup) throws Exception {
        AttackTarget target = target(setup);
        String request = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n" + CAROL_WRONG + "\r\n";
        assertScrapesSurvive(target, s -> {
            AttackTarget.send(s, request.repeat(20));
            dribble(s, request);
        });
    }

    // ---- 4: 256 KB of one repeated header line, before any authentication

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"plain+auth", "tls"})
    void headerBombCostsLittleCpu(String setup) throws Exception {
        AttackTarget target = target(setup);
        ForkedJvm app = apps.get(setup);
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/" + app.pid() + "/stat")), "needs Linux /proc");
        for (int i = 0; i < 3; i++) {
            assertThat(target.scrapeWithin(Duration.ofSeconds(20))).as("warm-up scrape").isTrue();
        }
        String bomb = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n" + "a:b\r\n".repeat((256 * 1024 - 200) / 5) + "\r\n";
        sendBombs(target, bomb, 4); // warm-up: the first ones also pay for compiling the parser's and TLS's paths
        // Up to three rounds of four bombs, the cheapest counts: a cost the endpoint has on every
        // request shows in every round, while a JIT compilation, a GC or a slow spell of this shared
        // machine lands in one (TLS once read 75 and 89 ms per bomb in clean-clone CI runs where
        // the same test read 7.5-29 ms alone and in its class).
        List<Double> rounds = new ArrayList<>();
        String last = "";
        for (int round = 0; round < 3 && (rounds.isEmpty() || Collections.min(rounds) >= 50); round++) {
            Thread.sleep(500);
            long idleStart = System.nanoTime();
            long idleCpu = cpuNanos(app);
            Thread.sleep(1000);
            double idleRate = (double) (cpuNanos(app) - idleCpu) / (System.nanoTime() - idleStart);
            int bombs = 4;
            long start = System.nanoTime();
            long cpu = cpuNanos(app);
            sendBombs(target, bomb, bombs);
            Thread.sleep(300); // what the endpoint does after answering counts too
            long wall = System.nanoTime() - start;
            rounds.add((cpuNanos(app) - cpu - idleRate * wall) / bombs / 1e6);
            last = String.format("idle rate %.3f, wall %d ms", idleRate, wall / 1_000_000);
        }
        String byRound = rounds.stream().map(ms -> String.format("%.1f", ms)).collect(Collectors.joining(", "));
        System.out.printf("%s: header bomb %s ms CPU per request by round; load %s%n", setup, byRound, load());
        assertThat(Collections.min(rounds)).as("CPU per header bomb, ms, cheapest of %s (last round: %s)", byRound, last)
                .isLessThan(50);
        assertThat(target.scrapeWithin(WellBehavedScraper.LIMIT)).as("a scrape after the bombs").isTrue();
    }

    private static void sendBombs(AttackTarget target, String bomb, int bombs) throws Exception {
        for (int i = 0; i < bombs; i++) {
            try (Socket s = target.open(0, Duration.ofSeconds(30))) {
                AttackTarget.send(s, bomb);
                s.getInputStream().readAllBytes(); // the answer, whatever it is, until the server closes
            } catch (IOException resetOrTimeout) {
                // the server may close with the bomb half sent or unread: that is its business
            }
        }
    }

    // ---- 5: bcrypt slower than a second, connections reaped while they wait

    @Test
    void slowBcryptDoesNotGrowThreads() throws Exception {
        ForkedJvm app = app("plain+slow-auth", "basic_auth_users: {carol: \"" + WebConfigIT.CAROL_HASH + "\", dave: \""
                + BCrypt.withDefaults().hashToString(14, "dave-secret".toCharArray()) + "\"}\n");
        AttackTarget target = new AttackTarget(app.metricsPort(), null, CAROL);
        assertThat(target.scrapeWithin(Duration.ofSeconds(30))).as("a first scrape (cost 10, not yet cached)").isTrue();
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/" + app.pid() + "/task")), "needs Linux /proc");
        String request = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n" + AttackTarget.basic("dave", "wrong") + "\r\n";
        AtomicInteger maxThreads = new AtomicInteger();
        Thread counter = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                maxThreads.accumulateAndGet(endpointThreads(app), Math::max);
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        counter.setDaemon(true);
        counter.start();
        try {
            // the old endpoint reaped waiting connections after 30 s and their threads stayed: run past that
            assertScrapesSurvive(target, 0, Duration.ofSeconds(40), s -> {
                AttackTarget.send(s, request.repeat(4));
                dribble(s, request);
            });
        } finally {
            counter.interrupt();
            counter.join();
        }
        System.out.printf("slow bcrypt: at most %d endpoint threads; load %s%n", maxThreads.get(), load());
        assertThat(maxThreads.get()).as("most endpoint threads seen (cap %d, plus acceptor and reaper)", CAP)
                .isLessThanOrEqualTo(CAP + 2 + 4);
    }

    // ---- 6: a wrong password takes as long for a known user of any cost as for an unknown user

    /**
     * Compares the fastest of 14 answers per user, interleaved: noise from other processes only ever
     * adds time, so the minimum is what an attacker filtering noise would compare too (medians are
     * printed beside it).
     */
    @Test
    void wrongPasswordTimingDoesNotTellUsersApart() throws Exception {
        String alice = BCrypt.withDefaults().hashToString(4, "alice-secret".toCharArray());
        String bob = BCrypt.withDefaults().hashToString(11, "bob-secret".toCharArray());
        ForkedJvm app = app("plain+mixed-costs", "basic_auth_users: {alice: \"" + alice + "\", bob: \"" + bob + "\"}\n");
        int port = app.metricsPort();
        Map<String, List<Long>> times = new HashMap<>();
        List<String> users = List.of("alice", "bob", "nobody");
        for (int round = 0; round < 16; round++) {
            for (String user : users) {
                long t = answerNanos(port, AttackTarget.basic(user, "wrong"));
                if (round >= 2) { // the first rounds warm up the JIT
                    times.computeIfAbsent(user, u -> new ArrayList<>()).add(t);
                }
            }
        }
        double unknown = min(times.get("nobody"));
        System.out.printf("wrong password, fastest (median) ms: alice cost 4 %.1f (%.1f), bob cost 11 %.1f (%.1f),"
                        + " unknown %.1f (%.1f); load %s%n", min(times.get("alice")) / 1e6, median(times.get("alice")) / 1e6,
                min(times.get("bob")) / 1e6, median(times.get("bob")) / 1e6, unknown / 1e6,
                median(times.get("nobody")) / 1e6, load());
        for (String known : List.of("alice", "bob")) {
            double k = min(times.get(known));
            assertThat(Math.abs(k - unknown) / unknown)
                    .as("fastest answer to a wrong password: %s %.1f ms, unknown user %.1f ms (medians %.1f and %.1f ms)",
                            known, k / 1e6, unknown / 1e6, median(times.get(known)) / 1e6, median(times.get("nobody")) / 1e6)
                    .isLessThan(0.10);
        }
    }

    // ---- 7: client-initiated TLS 1.2 renegotiation is refused, as Go refuses it

    @Test
    void tls12RenegotiationIsRefused() throws Exception {
        AttackTarget target = target("tls");
        try (Socket plain = new Socket(java.net.InetAddress.getLoopbackAddress(), target.port())) {
            plain.setSoTimeout(10_000);
            javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) trusting.getSocketFactory()
                    .createSocket(plain, "127.0.0.1", target.port(), true);
            s.setEnabledProtocols(new String[] {"TLSv1.2"});
            s.startHandshake();
            String request = "GET /-/healthy HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
            AttackTarget.send(s, request);
            InputStream in = s.getInputStream();
            String head = AttackTarget.head(in);
            assertThat(head).startsWith("HTTP/1.1 200 ");
            in.readNBytes(AttackTarget.contentLength(head));
            boolean served;
            try {
                s.startHandshake(); // TLS 1.2: a renegotiation
                AttackTarget.send(s, request);
                served = AttackTarget.head(in).startsWith("HTTP/1.1 200 ");
            } catch (IOException refused) {
                served = false;
            }
            assertThat(served).as("a request after a client-initiated renegotiation is served").isFalse();
        }
        assertThat(target.scrapeWithin(Duration.ofSeconds(10))).isTrue();
    }

    // ---- the harness

    /** What one attacking connection does once connected; it returns or throws when the server cuts it off. */
    interface Attack {
        void on(Socket socket) throws IOException, InterruptedException;
    }

    private static void assertScrapesSurvive(AttackTarget target, Attack attack) throws Exception {
        assertScrapesSurvive(target, 0, ATTACK, attack);
    }

    private static void assertScrapesSurvive(AttackTarget target, int receiveBuffer, Attack attack) throws Exception {
        assertScrapesSurvive(target, receiveBuffer, ATTACK, attack);
    }

    /**
     * Runs {@link #ATTACKERS} attacking connections (each reconnecting as soon as it is cut off) for
     * {@code length}, with the well-behaved scraper running from {@link #SETTLE} on.
     */
    private static void assertScrapesSurvive(AttackTarget target, int receiveBuffer, Duration length, Attack attack)
            throws Exception {
        assertThat(target.scrapeWithin(Duration.ofSeconds(30))).as("a scrape before the attack").isTrue();
        List<Thread> attackers = new ArrayList<>();
        AtomicInteger connections = new AtomicInteger();
        for (int i = 0; i < ATTACKERS; i++) {
            Thread t = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try (Socket s = target.open(receiveBuffer, Duration.ofSeconds(5))) {
                        connections.incrementAndGet();
                        attack.on(s);
                    } catch (IOException cutOff) {
                        // reconnect, as a determined attacker does
                    } catch (InterruptedException e) {
                        return;
                    }
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "attacker-" + i);
            t.setDaemon(true);
            t.start();
            attackers.add(t);
        }
        WellBehavedScraper scraper;
        try {
            Thread.sleep(SETTLE.toMillis());
            scraper = new WellBehavedScraper(target, SCRAPE_EVERY);
            Thread.sleep(length.minus(SETTLE).toMillis());
            scraper.close();
        } finally {
            attackers.forEach(Thread::interrupt);
        }
        for (Thread t : attackers) {
            t.join(10_000);
        }
        System.out.printf("%s: %s; %d attacking connections; load %s%n", target.tls() == null ? "plain" : "tls",
                scraper, connections.get(), load());
        assertThat(scraper.attempted()).as("scrapes attempted").isGreaterThanOrEqualTo(5);
        assertThat(scraper.answeredShare()).as("%s", scraper).isGreaterThanOrEqualTo(0.9);
    }

    /** Sends {@code text} every 400 ms until the server cuts the connection off. */
    private static void dribble(Socket s, String text) throws IOException, InterruptedException {
        while (true) {
            Thread.sleep(400);
            AttackTarget.send(s, text);
        }
    }

    private static AttackTarget target(String setup) throws Exception {
        return switch (setup) {
            case "plain" -> new AttackTarget(app(setup, null).metricsPort(), null, "");
            case "plain+auth" -> new AttackTarget(app(setup, "basic_auth_users: {carol: \"" + WebConfigIT.CAROL_HASH + "\"}\n")
                    .metricsPort(), null, CAROL);
            case "tls" -> new AttackTarget(app(setup, "tls_server_config: {cert_file: server.crt, key_file: server.key}\n")
                    .metricsPort(), trusting, "");
            case "tls+auth" -> new AttackTarget(app(setup, "tls_server_config: {cert_file: server.crt, key_file: server.key}\n"
                    + "basic_auth_users: {carol: \"" + WebConfigIT.CAROL_HASH + "\"}\n").metricsPort(), trusting, CAROL);
            default -> throw new IllegalArgumentException(setup);
        };
    }

    /** One forked JVM per setup, shared by the tests of this class. */
    private static ForkedJvm app(String setup, String webConfig) throws Exception {
        ForkedJvm app = apps.get(setup);
        if (app == null) {
            String args = "mode=observe,host=127.0.0.1,port=0";
            if (webConfig != null) {
                Path file = Files.writeString(dir.resolve(setup.replace('+', '-') + ".yml"), webConfig);
                args += ",web-config=" + file;
            }
            app = ForkedJvm.start(List.of("-Xmx256m", ForkedJvm.javaagent(args)), ControlledApp.class);
            apps.put(setup, app);
            assertThat(app.readLine(Duration.ofSeconds(60))).isEqualTo("ready");
        }
        return app;
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** User plus system CPU time of a process, from /proc (clock ticks of 10 ms). */
    private static long cpuNanos(ForkedJvm app) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + app.pid() + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
    }

    /** Threads of the endpoint (named vtrecycler-http-*; Linux keeps the first 15 characters). */
    private static int endpointThreads(ForkedJvm app) {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + app.pid() + "/task"))) {
            return (int) tasks.filter(t -> {
                try {
                    return Files.readString(t.resolve("comm")).startsWith("vtrecycler-http");
                } catch (IOException gone) {
                    return false;
                }
            }).count();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Time from sending a request with this Authorization header to the answer's status line. */
    private static long answerNanos(int port, String authorization) throws IOException {
        try (Socket s = new AttackTarget(port, null, "").open(0, Duration.ofSeconds(30))) {
            InputStream in = s.getInputStream();
            long start = System.nanoTime();
            AttackTarget.send(s, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n" + authorization + "Connection: close\r\n\r\n");
            String head = AttackTarget.head(in);
            long t = System.nanoTime() - start;
            assertThat(head).startsWith("HTTP/1.1 401 ");
            return t;
        }
    }

    private static double min(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).min().orElseThrow();
    }

    private static double median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }
}
