package dev.vtrecycler.it.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vtrecycler.it.apps.ControlledApp;
import dev.vtrecycler.it.support.ForkedJvm;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus scrapes the agent's endpoint over HTTPS with basic auth, configured the way
 * the README tells users to (scheme: https, basic_auth, tls_config.ca_file), from a web config with
 * a Go-made bcrypt hash and a keytool-made certificate. The same Prometheus also scrapes with a wrong
 * password and over plain HTTP: both targets must be down, with 401 and 400 as the reason. While 40
 * slow clients attack the endpoint for 15 s, the good target must stay up at a 1 s scrape interval.
 *
 * <p>Needs {@code prometheus} on the PATH ({@code .ci/install-prometheus}); skipped without it,
 * unless {@code VTRECYCLER_REQUIRE_PROMETHEUS=1} (CI), where it fails.
 */
@Timeout(180)
class PrometheusOverTlsIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration ATTACK = Duration.ofSeconds(15);

    @TempDir
    Path tmp;

    @Test
    void prometheusScrapesOverHttpsWithBasicAuth() throws Exception {
        Path prometheus = requirePrometheus();
        TestCertificates cert = TestCertificates.create(tmp, "server", "RSA");
        Path web = Files.writeString(tmp.resolve("web.yml"), """
                tls_server_config:
                  cert_file: server.crt
                  key_file: server.key
                basic_auth_users:
                  carol: %s
                """.formatted(WebConfigIT.CAROL_HASH));
        try (ForkedJvm app = ForkedJvm.start(List.of(ForkedJvm.javaagent(
                "mode=observe,host=127.0.0.1,port=0,web-config=" + web)), ControlledApp.class)) {
            String target = "127.0.0.1:" + app.metricsPort();
            int prometheusPort = freePort();
            Path config = Files.writeString(tmp.resolve("prometheus.yml"), """
                    global:
                      scrape_interval: 1s
                      scrape_timeout: 1s
                    scrape_configs:
                      - job_name: tls
                        scheme: https
                        basic_auth: {username: carol, password: carol123}
                        tls_config: {ca_file: %1$s}
                        static_configs: [{targets: ["%2$s"]}]
                      - job_name: wrong-password
                        scheme: https
                        basic_auth: {username: carol, password: carol1234}
                        tls_config: {ca_file: %1$s}
                        static_configs: [{targets: ["%2$s"]}]
                      - job_name: plain-http
                        scheme: http
                        static_configs: [{targets: ["%2$s"]}]
                    """.formatted(cert.certPem(), target));
            try (ForkedJvm server = ForkedJvm.exec(List.of(prometheus.toString(),
                    "--config.file=" + config, "--storage.tsdb.path=" + tmp.resolve("tsdb"),
                    "--web.listen-address=127.0.0.1:" + prometheusPort, "--log.level=warn"))) {
                String api = "http://127.0.0.1:" + prometheusPort;
                await("Prometheus ready", server, () -> status(api + "/-/ready") == 200);
                await("up{job=\"tls\"} == 1 with vtrecycler series", server,
                        () -> hasResult(api, "up{job=\"tls\"} == 1")
                                && hasResult(api, "vtrecycler_info{job=\"tls\"}")
                                && hasResult(api, "count({job=\"tls\",__name__=~\"vtrecycler_.+\"}) > 3"));
                slowClientsAttack(new AttackTarget(app.metricsPort(), TestCertificates.trusting(cert.certPem(), null), ""),
                        ATTACK);
                // every scrape during the attack (one a second, 1 s timeout) was up
                String window = "[" + (ATTACK.toSeconds() - 1) + "s]";
                assertThat(hasResult(api, "min_over_time(up{job=\"tls\"}" + window + ") == 1"))
                        .as("up{job=\"tls\"} stayed 1 during the slow-client attack\n%s", body(api + "/api/v1/targets")).isTrue();
                assertThat(hasResult(api, "count_over_time(up{job=\"tls\"}" + window + ") >= " + (ATTACK.toSeconds() - 4)))
                        .as("scrapes happened during the attack").isTrue();
                await("the wrong password and plain HTTP targets down for the right reasons", server, () -> {
                    String targets = body(api + "/api/v1/targets");
                    return hasResult(api, "up{job=\"wrong-password\"} == 0") && hasResult(api, "up{job=\"plain-http\"} == 0")
                            && targets.contains("401 Unauthorized") && targets.contains("400 Bad Request");
                });
            }
        }
    }

    /**
     * {@code attackers} TLS connections that each send a request line and then one header line every
     * 400 ms, or a malformed request line and then a byte every 400 ms, reconnecting whenever the
     * endpoint cuts them off; for {@code length}.
     */
    private static void slowClientsAttack(AttackTarget target, Duration length) throws InterruptedException {
        List<Thread> attackers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            boolean malformed = i % 2 == 0;
            Thread t = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try (Socket s = target.open(0, Duration.ofSeconds(5))) {
                        AttackTarget.send(s, malformed ? "NOT HTTP AT ALL\r\n" : "GET /metrics HTTP/1.1\r\nHost: x\r\n");
                        while (true) {
                            Thread.sleep(400);
                            AttackTarget.send(s, malformed ? "x" : "X-Slow: y\r\n");
                        }
                    } catch (IOException cutOff) {
                        // reconnect
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "slow-client-" + i);
            t.setDaemon(true);
            t.start();
            attackers.add(t);
        }
        Thread.sleep(length.toMillis());
        attackers.forEach(Thread::interrupt);
        for (Thread t : attackers) {
            t.join(10_000);
        }
    }

    private static boolean hasResult(String api, String promQl) {
        String answer = body(api + "/api/v1/query?query=" + URLEncoder.encode(promQl, StandardCharsets.UTF_8));
        return answer.contains("\"status\":\"success\"") && !answer.contains("\"result\":[]");
    }

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static int status(String url) {
        try {
            return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String body(String url) {
        try {
            return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static void await(String what, ForkedJvm server, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(500);
        }
        fail("not within " + WAIT + ": " + what + "\nprometheus:\n" + server.transcript());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Path requirePrometheus() {
        Optional<Path> tool = Stream.of(Optional.ofNullable(System.getenv("PATH")).orElse("").split(File.pathSeparator))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, "prometheus"))
                .filter(Files::isExecutable)
                .findFirst();
        if (tool.isPresent()) {
            return tool.get();
        }
        String message = "prometheus not found on PATH: install Debian's prometheus package (.ci/install-prometheus)";
        if ("1".equals(System.getenv("VTRECYCLER_REQUIRE_PROMETHEUS"))) {
            fail(message + " (VTRECYCLER_REQUIRE_PROMETHEUS=1)");
        }
        System.err.println("\n***** SKIPPING PrometheusOverTlsIT: " + message + "\n");
        Assumptions.abort(message);
        return null; // unreachable
    }
}
