package dev.vtrecycler.it.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vtrecycler.it.apps.ControlledApp;
import dev.vtrecycler.it.support.ForkedJvm;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code web-config=<file>} in a forked JVM: TLS, basic auth, client certificates, and bad files. */
@Timeout(180)
class WebConfigIT {
    /** bcrypt of "carol123" made by Go's x/crypto/bcrypt (exporter-toolkit test data). */
    static final String CAROL_HASH = "$2y$10$qRTBuFoULoYNA7AQ/F3ck.trZBPyjV64.oA4ZsSBCIWvXuvQlQTuu";

    /** Certificates shared by the tests (keytool takes a few seconds on a busy machine). */
    @TempDir
    static Path certs;
    private static TestCertificates server;
    private static TestCertificates client;
    private static TestCertificates stranger;

    @TempDir
    Path tmp;

    @BeforeAll
    static void makeCertificates() throws Exception {
        server = TestCertificates.create(certs, "server", "EC");
        client = TestCertificates.create(certs, "client", "EC");
        stranger = TestCertificates.create(certs, "stranger", "EC");
    }

    @ParameterizedTest(name = "{0} key")
    @ValueSource(strings = {"RSA", "EC"})
    void tlsWithBasicAuth(String keyAlgorithm) throws Exception {
        TestCertificates server = keyAlgorithm.equals("EC") ? WebConfigIT.server
                : TestCertificates.create(tmp, "server", keyAlgorithm);
        Path web = Files.writeString(tmp.resolve("web.yml"), """
                tls_server_config:
                  cert_file: %s
                  key_file: %s
                basic_auth_users:
                  carol: %s
                """.formatted(server.certPem(), server.keyPem(), CAROL_HASH));
        try (ForkedJvm app = start(web)) {
            assertThat(app.readLine(Duration.ofSeconds(30))).isEqualTo("ready");
            app.awaitStderr(l -> l.contains("metrics on https://127.0.0.1:"), Duration.ofSeconds(30));
            int port = app.metricsPort();
            HttpClient client = HttpClient.newBuilder().sslContext(TestCertificates.trusting(server.certPem(), null))
                    .connectTimeout(Duration.ofSeconds(10)).build();

            HttpResponse<String> ok = get(client, port, "/metrics", "carol", "carol123");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).contains("vtrecycler_info");

            HttpResponse<String> wrong = get(client, port, "/metrics", "carol", "carol1234");
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic realm="));
            assertThat(get(client, port, "/metrics", "mallory", "carol123").statusCode()).isEqualTo(401);
            assertThat(get(client, port, "/metrics", null, null).statusCode()).isEqualTo(401);
            assertThat(get(client, port, "/-/healthy", null, null).statusCode()).as("health needs no credentials").isEqualTo(200);

            // plain HTTP to the TLS port: Go's answer, then the connection closes
            try (Socket plain = RawHttp.connect(port)) {
                RawHttp.send(plain, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                assertThat(RawHttp.readUntilClosed(plain, Duration.ofSeconds(10)))
                        .startsWith("HTTP/1.0 400 Bad Request\r\n")
                        .endsWith("Client sent an HTTP request to an HTTPS server.\n");
            }
            // and a client that does not trust the certificate fails the handshake
            HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            assertThatThrownBy(() -> get(untrusting, port, "/-/healthy", null, null)).isInstanceOf(IOException.class);

            assertThat(app.ask("start-kept 10")).isEqualTo("ok 10");
            assertThat(app.agentLines()).noneMatch(l -> l.contains("not started"));
        }
    }

    @Test
    void clientCertificatesWhenRequired() throws Exception {
        Path web = Files.writeString(certs.resolve("web-mtls.yml"), """
                tls_server_config:
                  cert_file: server.crt
                  key_file: server.key
                  client_auth_type: RequireAndVerifyClientCert
                  client_ca_file: client.crt
                  min_version: TLS13
                """);
        try (ForkedJvm app = start(web)) {
            int port = app.metricsPort();
            assertThat(get(https(server, client), port, "/metrics", null, null).statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> get(https(server, null), port, "/metrics", null, null)).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> get(https(server, stranger), port, "/metrics", null, null)).isInstanceOf(IOException.class);
        }
    }

    /** Go's RequireAnyClientCert: a certificate must be presented, any certificate (not verified). */
    @Test
    void anyClientCertificateWhenNotVerified() throws Exception {
        Path web = Files.writeString(certs.resolve("web-any.yml"), """
                tls_server_config:
                  cert_file: server.crt
                  key_file: server.key
                  client_auth_type: RequireAnyClientCert
                """);
        try (ForkedJvm app = start(web)) {
            int port = app.metricsPort();
            assertThat(get(https(server, stranger), port, "/metrics", null, null).statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> get(https(server, null), port, "/metrics", null, null)).isInstanceOf(IOException.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "missing cert      | 'tls_server_config: {key_file: server.key}' | tls_server_config: missing cert_file",
            "cert not found    | 'tls_server_config: {cert_file: gone.crt, key_file: server.key}' | tls_server_config.cert_file TMP/gone.crt: cannot read the file (NoSuchFileException)",
            "key of another cert | 'tls_server_config: {cert_file: server.crt, key_file: other.key}' | tls_server_config.key_file TMP/other.key: the private key does not match cert_file",
            "bad hash          | 'basic_auth_users: {carol: carol123}' | basic_auth_users: the value for user 'carol' is not a bcrypt hash",
            "unknown key       | 'tls_server_confg: {cert_file: server.crt}' | unknown key 'tls_server_confg'; known keys: basic_auth_users, http_server_config, tls_server_config",
            "no such file      | NONE | cannot read the file (NoSuchFileException",
            "endless file      | DEVZERO | cannot read the file (IOException: larger than 1024 KiB; is this the right file?)"})
    void badWebConfigLeavesTheApplicationRunningWithOneLine(String name, String yaml, String problem) throws Exception {
        Path web = tmp.resolve("web.yml");
        Files.copy(server.certPem(), tmp.resolve("server.crt"));
        Files.copy(server.keyPem(), tmp.resolve("server.key"));
        Files.copy(client.keyPem(), tmp.resolve("other.key"));
        if (yaml.equals("DEVZERO")) {
            Files.createSymbolicLink(web, Path.of("/dev/zero")); // endless: it once ran the host out of heap
        } else if (!yaml.equals("NONE")) {
            Files.writeString(web, yaml);
        }
        try (ForkedJvm app = start(web)) {
            assertThat(app.readLine(Duration.ofSeconds(30))).isEqualTo("ready");
            app.awaitStderr(l -> l.contains("active: mode=observe, no metrics endpoint (bad web-config)"), Duration.ofSeconds(30));
            assertThat(app.ask("start-kept 10")).isEqualTo("ok 10");
            assertThat(app.ask("counters")).startsWith("created="); // instrumentation runs without the endpoint
            List<String> lines = app.agentLines().stream().filter(l -> !l.contains(" active: ")).toList();
            assertThat(lines).singleElement().asString()
                    .startsWith("[vtrecycler] metrics endpoint not started: web-config " + web + ": ")
                    .contains(problem.replace("TMP", tmp.toAbsolutePath().toString()))
                    .endsWith("; instrumentation keeps working without it");
            assertThat(app.ask("exit")).isEqualTo("bye");
            assertThat(app.waitFor(Duration.ofSeconds(30))).isZero();
        }
    }

    private ForkedJvm start(Path web) throws IOException {
        return ForkedJvm.start(List.of(ForkedJvm.javaagent("mode=observe,host=127.0.0.1,port=0,web-config=" + web)),
                ControlledApp.class);
    }

    private static HttpClient https(TestCertificates server, TestCertificates identity) throws Exception {
        SSLContext context = TestCertificates.trusting(server.certPem(), identity);
        return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(10)).build();
    }

    static HttpResponse<String> get(HttpClient client, int port, String path, String user, String password)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20));
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
