package dev.vtrecycler.agent.endpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * The endpoint's web configuration, read from a file in the Prometheus exporter-toolkit format
 * ({@code web-config.yml} of node_exporter and friends), so the {@code scrape_config} users already
 * have for their exporters works unchanged:
 *
 * <pre>
 * tls_server_config:
 *   cert_file: server.crt          # PEM chain; paths are relative to this file
 *   key_file: server.key           # PEM, PKCS#8 or PKCS#1 RSA, unencrypted
 *   client_auth_type: RequireAndVerifyClientCert   # optional, default NoClientCert
 *   client_ca_file: clients.crt    # optional
 *   min_version: TLS12             # optional, TLS10..TLS13, default TLS12
 *   max_version: TLS13             # optional, default TLS13
 * basic_auth_users:
 *   prometheus: $2y$10$...         # bcrypt hash
 * </pre>
 *
 * Like the toolkit (which decodes strictly), an unknown key is an error; the toolkit keys this
 * endpoint does not implement are named as such rather than silently ignored.
 */
public record WebConfig(Optional<TlsSettings> tls, Map<String, String> users) {

    /** The TLS part; file paths are already resolved against the configuration file's directory. */
    public record TlsSettings(Path certFile, Path keyFile, Optional<Path> clientCaFile, ClientAuth clientAuth,
                              TlsVersion minVersion, TlsVersion maxVersion) {}

    /** {@code $2a$}, {@code $2b$} or {@code $2y$}, a two-digit cost 04-31, 22 characters of salt and 31 of hash. */
    static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}");

    private static final Set<String> TOP_LEVEL = Set.of("tls_server_config", "basic_auth_users", "http_server_config");
    private static final Set<String> TLS_KEYS = Set.of("cert_file", "key_file", "client_ca_file", "client_auth_type",
            "min_version", "max_version");
    /** Keys of the toolkit this endpoint does not implement: named as unsupported, not as unknown. */
    private static final Set<String> UNSUPPORTED = Set.of("rate_limit", "cert", "key", "client_ca", "cipher_suites",
            "curve_preferences", "prefer_server_cipher_suites", "client_allowed_sans", "headers");

    /** Reads and checks the file; the message of the exception names the file and the problem. */
    public static WebConfig load(Path file) throws WebConfigException {
        String text;
        try {
            text = BoundedFile.read(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new WebConfigException("web-config " + file + ": cannot read the file (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
        try {
            return parse(text, file.toAbsolutePath().getParent());
        } catch (WebConfigException e) {
            throw new WebConfigException("web-config " + file + ": " + e.getMessage());
        }
    }

    /** Parses YAML text; relative file names resolve against {@code dir}. */
    static WebConfig parse(String text, Path dir) throws WebConfigException {
        Object document;
        try {
            LoadSettings settings = LoadSettings.builder()
                    .setAllowDuplicateKeys(false)
                    .setMaxAliasesForCollections(16) // no alias bombs from a hostile file
                    .build();
            document = new Load(settings).loadFromString(text);
        } catch (YamlEngineException e) {
            throw new WebConfigException("not valid YAML: " + oneLine(e.getMessage()));
        }
        if (document == null) {
            return new WebConfig(Optional.empty(), Map.of()); // an empty file: plain HTTP, as in the toolkit
        }
        Map<String, Object> root = map(document, "the document");
        checkKeys(root, TOP_LEVEL, "");
        Optional<TlsSettings> tls = root.containsKey("tls_server_config")
                ? Optional.of(tls(map(root.get("tls_server_config"), "tls_server_config"), dir))
                : Optional.empty();
        if (root.containsKey("http_server_config")) {
            Map<String, Object> http = map(root.get("http_server_config"), "http_server_config");
            // http2 is accepted and has no effect: Prometheus scrapes over HTTP/1.1 as well.
            checkKeys(http, Set.of("http2"), "http_server_config.");
        }
        Map<String, String> users = root.containsKey("basic_auth_users")
                ? users(map(root.get("basic_auth_users"), "basic_auth_users"))
                : Map.of();
        return new WebConfig(tls, users);
    }

    private static TlsSettings tls(Map<String, Object> tls, Path dir) throws WebConfigException {
        checkKeys(tls, TLS_KEYS, "tls_server_config.");
        String cert = string(tls, "cert_file");
        String key = string(tls, "key_file");
        if (cert == null || cert.isEmpty()) {
            throw new WebConfigException("tls_server_config: missing cert_file");
        }
        if (key == null || key.isEmpty()) {
            throw new WebConfigException("tls_server_config: missing key_file");
        }
        String ca = string(tls, "client_ca_file");
        ClientAuth clientAuth = ClientAuth.parse(string(tls, "client_auth_type"));
        Optional<Path> caFile = ca == null || ca.isEmpty() ? Optional.empty() : Optional.of(dir.resolve(ca));
        if (caFile.isPresent() && clientAuth == ClientAuth.NO_CLIENT_CERT) {
            throw new WebConfigException("tls_server_config: client_ca_file is set but client_auth_type is NoClientCert");
        }
        if (caFile.isEmpty() && clientAuth.verify) {
            throw new WebConfigException("tls_server_config: client_auth_type " + clientAuth.yamlName
                    + " needs client_ca_file");
        }
        TlsVersion min = TlsVersion.parse(string(tls, "min_version"), TlsVersion.TLS12, "min_version");
        TlsVersion max = TlsVersion.parse(string(tls, "max_version"), TlsVersion.TLS13, "max_version");
        if (min.compareTo(max) > 0) {
            throw new WebConfigException("tls_server_config: min_version " + min + " is above max_version " + max);
        }
        return new TlsSettings(dir.resolve(cert), dir.resolve(key), caFile, clientAuth, min, max);
    }

    private static Map<String, String> users(Map<String, Object> entries) throws WebConfigException {
        Map<String, String> users = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : entries.entrySet()) {
            String user = e.getKey();
            if (!(e.getValue() instanceof String hash) || !BCRYPT.matcher(hash).matches()) {
                // never echo the value: it may be a password pasted in by mistake
                throw new WebConfigException("basic_auth_users: the value for user '" + user + "' is not a bcrypt hash"
                        + " ($2a$, $2b$ or $2y$, cost 04-31, 60 characters; e.g. from htpasswd -nBC 10 '' | tr -d ':')");
            }
            users.put(user, hash);
        }
        return Map.copyOf(users);
    }

    private static void checkKeys(Map<String, Object> map, Set<String> known, String prefix) throws WebConfigException {
        for (String key : map.keySet()) {
            if (UNSUPPORTED.contains(key)) {
                throw new WebConfigException(prefix + key + " is not supported by vtrecycler's endpoint");
            }
            if (!known.contains(key)) {
                throw new WebConfigException("unknown key '" + prefix + key + "'; known keys" + (prefix.isEmpty() ? "" : " here")
                        + ": " + String.join(", ", known.stream().sorted().toList()));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node, String what) throws WebConfigException {
        if (node == null) {
            return Map.of(); // "basic_auth_users:" with nothing under it
        }
        if (!(node instanceof Map<?, ?> raw)) {
            throw new WebConfigException(what + " must be a mapping, not " + describe(node));
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : raw.entrySet()) {
            map.put(String.valueOf(e.getKey()), e.getValue());
        }
        return map;
    }

    private static String string(Map<String, Object> map, String key) throws WebConfigException {
        Object value = map.get(key);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw new WebConfigException("tls_server_config." + key + " must be a string, not " + describe(value));
    }

    private static String describe(Object node) {
        return node instanceof List<?> ? "a list" : node instanceof Map<?, ?> ? "a mapping" : "'" + node + "'";
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s+", " ").trim();
    }
}
