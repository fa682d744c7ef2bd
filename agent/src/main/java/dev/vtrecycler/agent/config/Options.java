package dev.vtrecycler.agent.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The table of configuration keys: name, what is allowed (shown in errors and the README),
 * how to parse, where it goes, and how to print it back. Adding a key is one entry here.
 */
final class Options {

    /** One key. {@code parse} throws IllegalArgumentException; the parser turns it into a ConfigException. */
    record Option<T>(String key, String allowed, Function<String, T> parse,
                     BiConsumer<AgentConfig, T> set, Function<AgentConfig, Object> get) {

        void apply(AgentConfig config, String raw) {
            set.accept(config, parse.apply(raw));
        }
    }

    static final List<Option<?>> ALL = List.of(
            new Option<>("mode", "recycle, schedule, observe or off", ValueParsers::mode, (c, v) -> c.mode = v, c -> c.mode.key()),
            new Option<>("host", "an IP address or host name to bind the metrics endpoint to", ValueParsers::host, (c, v) -> c.host = v, c -> c.host),
            new Option<>("port", "a port number 0-65535 (0 = any free port) or none", ValueParsers::port, (c, v) -> c.port = v, c -> c.port == AgentConfig.NO_PORT ? "none" : c.port),
            new Option<>("web-config", "none or the path of a web configuration file (Prometheus exporter-toolkit format: tls_server_config, basic_auth_users)", ValueParsers::webConfig, (c, v) -> c.webConfig = v, c -> c.webConfig == null ? "none" : c.webConfig),
            new Option<>("endpoint-max-connections", "an integer 1-1024: open connections to the metrics endpoint at most", ValueParsers::connections, (c, v) -> c.endpointMaxConnections = v, c -> c.endpointMaxConnections),
            new Option<>("endpoint-max-connections-per-client", "an integer 1-1024: open connections from one client address at most (loopback exempt)", ValueParsers::connections, (c, v) -> c.endpointMaxConnectionsPerClient = v, c -> c.endpointMaxConnectionsPerClient),
            new Option<>("endpoint-request-timeout", "a duration such as 500ms, 5s, 1m: time to send a whole request, TLS handshake included", ValueParsers::duration, (c, v) -> c.endpointRequestTimeout = v, c -> c.endpointRequestTimeout),
            new Option<>("endpoint-auth-queue", "an integer 1-1024: bcrypt password checks admitted at once; more are answered 503", ValueParsers::connections, (c, v) -> c.endpointAuthQueue = v, c -> c.endpointAuthQueue),
            new Option<>("jfr", "true or false", ValueParsers::bool, (c, v) -> c.jfr = v, c -> c.jfr),
            new Option<>("local-cap", "an even number 2-1024", ValueParsers::localCap, (c, v) -> c.localCap = v, c -> c.localCap),
            new Option<>("stack-limit", "auto or a size such as 16k, 256k, 1m (bytes)", ValueParsers::stackLimit, (c, v) -> c.stackLimitBytes = v, c -> c.stackLimitBytes <= 0 ? "auto" : c.stackLimitBytes),
            new Option<>("idle-timeout", "a duration such as 500ms, 60s, 5m, 1h", ValueParsers::duration, (c, v) -> c.idleTimeout = v, c -> c.idleTimeout),
            new Option<>("include", "package prefixes separated by ';' (e.g. com.acme;org.example)", ValueParsers::packages, (c, v) -> c.include = v, c -> String.join(";", c.include)),
            new Option<>("exclude", "package prefixes separated by ';' (e.g. com.acme.legacy)", ValueParsers::packages, (c, v) -> c.exclude = v, c -> String.join(";", c.exclude)),
            new Option<>("wakeups", "reuse or jdk", ValueParsers::wakeups, (c, v) -> c.wakeups = v, c -> c.wakeups.key()),
            new Option<>("timers", "reuse or jdk", ValueParsers::wakeups, (c, v) -> { c.timers = v; c.timersAsked = true; }, c -> c.timers.key()),
            new Option<>("bootstrap", "define or append", ValueParsers::bootstrap, (c, v) -> c.bootstrap = v, c -> c.bootstrap.key()),
            new Option<>("pinned-threshold", "a duration such as 0ms, 5ms, 20ms (JFR's own default)", ValueParsers::threshold, (c, v) -> c.pinnedThreshold = v, c -> c.pinnedThreshold),
            new Option<>("pinned-sites", "a number of pinning sites to label, 0-100 (the rest count as other)", ValueParsers::pinnedSites, (c, v) -> c.pinnedSites = v, c -> c.pinnedSites),
            new Option<>("carrier-sampling", "off or a sampling period such as 10ms, 100ms (1ms-10s)", ValueParsers::samplingPeriod, (c, v) -> c.carrierSampling = v, c -> c.carrierSampling == null ? "off" : c.carrierSampling),
            new Option<>("deadlock-check", "off or a period such as 10s, 1m (100ms-1h)", ValueParsers::checkPeriod, (c, v) -> c.deadlockCheck = v, c -> c.deadlockCheck == null ? "off" : c.deadlockCheck),
            new Option<>("threads-endpoint", "true or false (serve /threads, the JDK's thread dump)", ValueParsers::bool, (c, v) -> c.threadsEndpoint = v, c -> c.threadsEndpoint),
            new Option<>("fallback", "auto or off", ValueParsers::fallback, (c, v) -> c.fallback = v, c -> c.fallback.key()));

    static final Map<String, Option<?>> BY_KEY = index();

    private static Map<String, Option<?>> index() {
        Map<String, Option<?>> map = new LinkedHashMap<>();
        for (Option<?> option : ALL) {
            map.put(option.key(), option);
        }
        return map;
    }

    static String keys() {
        return String.join(", ", BY_KEY.keySet());
    }

    static String describe(AgentConfig config) {
        StringJoiner joiner = new StringJoiner(",");
        for (Option<?> option : ALL) {
            joiner.add(option.key() + "=" + option.get().apply(config));
        }
        return joiner.toString();
    }

    private Options() {}
}
