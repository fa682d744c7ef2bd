package dev.vtrecycler.agent.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WebConfigTest {
    private static final Path DIR = Path.of("/etc/vt");
    private static final String HASH = "$2y$10$qRTBuFoULoYNA7AQ/F3ck.trZBPyjV64.oA4ZsSBCIWvXuvQlQTuu";

    @Test
    void fullConfigurationResolvesPathsAgainstTheFilesDirectory() throws Exception {
        WebConfig config = WebConfig.parse("""
                tls_server_config:
                  cert_file: server.crt
                  key_file: /abs/server.key
                  client_ca_file: ca/clients.pem
                  client_auth_type: RequireAndVerifyClientCert
                  min_version: TLS13
                http_server_config:
                  http2: false
                basic_auth_users:
                  prometheus: %s
                """.formatted(HASH), DIR);
        WebConfig.TlsSettings tls = config.tls().orElseThrow();
        assertThat(tls.certFile()).isEqualTo(Path.of("/etc/vt/server.crt"));
        assertThat(tls.keyFile()).isEqualTo(Path.of("/abs/server.key"));
        assertThat(tls.clientCaFile()).contains(Path.of("/etc/vt/ca/clients.pem"));
        assertThat(tls.clientAuth()).isEqualTo(ClientAuth.REQUIRE_AND_VERIFY_CLIENT_CERT);
        assertThat(tls.minVersion()).isEqualTo(TlsVersion.TLS13);
        assertThat(tls.maxVersion()).isEqualTo(TlsVersion.TLS13);
        assertThat(config.users()).containsExactlyEntriesOf(java.util.Map.of("prometheus", HASH));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "''                                          | false | 0",
            "'# only a comment'                          | false | 0",
            "'basic_auth_users:'                         | false | 0",
            "'basic_auth_users: {a: \"" + HASH + "\"}'   | false | 1",
            "'tls_server_config: {cert_file: c, key_file: k}' | true | 0",
            "'tls_server_config: {cert_file: c, key_file: k, client_auth_type: RequestClientCert}' | true | 0"})
    void acceptsWhatTheToolkitAccepts(String yaml, boolean tls, int users) throws Exception {
        WebConfig config = WebConfig.parse(yaml, DIR);
        assertThat(config.tls().isPresent()).isEqualTo(tls);
        assertThat(config.users()).hasSize(users);
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {
            "'tls_server_config: {key_file: k}'                      | tls_server_config: missing cert_file",
            "'tls_server_config: {cert_file: \"\", key_file: k}'     | tls_server_config: missing cert_file",
            "'tls_server_config: {cert_file: c}'                     | tls_server_config: missing key_file",
            "'tls_server_config: {cert_file: c, key_file: k, certfile: x}' | unknown key 'tls_server_config.certfile'; known keys here: cert_file, client_auth_type, client_ca_file, key_file, max_version, min_version",
            "'tls_sever_config: {}'                                  | unknown key 'tls_sever_config'; known keys: basic_auth_users, http_server_config, tls_server_config",
            "'rate_limit: {burst: 20}'                               | rate_limit is not supported by vtrecycler's endpoint",
            "'tls_server_config: {cert_file: c, key_file: k, cipher_suites: []}' | tls_server_config.cipher_suites is not supported by vtrecycler's endpoint",
            "'http_server_config: {headers: {X-Frame-Options: deny}}' | http_server_config.headers is not supported by vtrecycler's endpoint",
            "'basic_auth_users: {alice: secret}'                    | basic_auth_users: the value for user 'alice' is not a bcrypt hash ($2a$, $2b$ or $2y$, cost 04-31, 60 characters; e.g. from htpasswd -nBC 10 '' | tr -d ':')",
            "'basic_auth_users: {alice: \"$2y$03$qRTBuFoULoYNA7AQ/F3ck.trZBPyjV64.oA4ZsSBCIWvXuvQlQTuu\"}' | basic_auth_users: the value for user 'alice' is not a bcrypt hash",
            "'basic_auth_users: {alice: \"$1$qRTBuFoULoYNA7AQ/F3ck.trZBPyjV64.oA4ZsSBCIWvXuvQlQTuu\"}' | basic_auth_users: the value for user 'alice' is not a bcrypt hash",
            "'basic_auth_users: {alice: 12}'                         | basic_auth_users: the value for user 'alice' is not a bcrypt hash",
            "'basic_auth_users: [alice]'                             | basic_auth_users must be a mapping, not a list",
            "'just text'                                             | the document must be a mapping, not 'just text'",
            "'tls_server_config: {cert_file: c, key_file: k, client_auth_type: Sometimes}' | tls_server_config.client_auth_type 'Sometimes' is not one of NoClientCert, RequestClientCert, RequireAnyClientCert, VerifyClientCertIfGiven, RequireAndVerifyClientCert",
            "'tls_server_config: {cert_file: c, key_file: k, client_ca_file: ca}' | tls_server_config: client_ca_file is set but client_auth_type is NoClientCert",
            "'tls_server_config: {cert_file: c, key_file: k, client_auth_type: VerifyClientCertIfGiven}' | tls_server_config: client_auth_type VerifyClientCertIfGiven needs client_ca_file",
            "'tls_server_config: {cert_file: c, key_file: k, min_version: TLS13, max_version: TLS12}' | tls_server_config: min_version TLS13 is above max_version TLS12",
            "'tls_server_config: {cert_file: c, key_file: k, min_version: SSL3}' | tls_server_config.min_version 'SSL3' is not one of TLS10, TLS11, TLS12, TLS13",
            "'tls_server_config: {cert_file: [c], key_file: k}'     | tls_server_config.cert_file must be a string, not a list",
            "'basic_auth_users: {a: x}\nbasic_auth_users: {b: y}'  | not valid YAML: ",
            "'tls_server_config: [unclosed'                          | not valid YAML: "})
    void rejectsWithOneClearMessage(String yaml, String message) {
        assertThatThrownBy(() -> WebConfig.parse(yaml.replace("\\n", "\n"), DIR))
                .isInstanceOf(WebConfigException.class)
                .hasMessageStartingWith(message)
                .hasMessageNotContaining("\n")
                .hasMessageNotContaining("secret");
    }

    @Test
    void loadNamesTheFileInEveryMessage(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path missing = tmp.resolve("nope.yml");
        assertThatThrownBy(() -> WebConfig.load(missing))
                .hasMessage("web-config " + missing + ": cannot read the file (NoSuchFileException: " + missing + ")");
        Path bad = java.nio.file.Files.writeString(tmp.resolve("web.yml"), "tls_server_config: {key_file: k}\n");
        assertThatThrownBy(() -> WebConfig.load(bad)).hasMessage("web-config " + bad + ": tls_server_config: missing cert_file");
        assertThat(WebConfig.load(java.nio.file.Files.writeString(tmp.resolve("empty.yml"), "")).tls()).isEqualTo(Optional.empty());
    }
}
