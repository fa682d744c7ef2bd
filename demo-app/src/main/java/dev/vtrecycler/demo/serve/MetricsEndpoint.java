package dev.vtrecycler.demo.serve;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Where the agent's {@code /metrics} endpoint is, read from this JVM's own options: the
 * {@code -javaagent:...vtrecycler...=port=N,host=H} arguments, else {@code -Dvtrecycler.port} /
 * {@code -Dvtrecycler.host}, else the agent's defaults (127.0.0.1:9404). The scheme is what the
 * agent says it serves ({@code https} with a web-config's {@code tls_server_config}), published in
 * the system property {@value #SCHEME_PROPERTY} once its endpoint is up.
 */
final class MetricsEndpoint {
    /** Set by the agent (AgentStartup.SCHEME_PROPERTY): the demo does not depend on the agent's classes. */
    static final String SCHEME_PROPERTY = "vtrecycler.endpoint.scheme";

    private MetricsEndpoint() {}

    static String describe() {
        return describe(ManagementFactory.getRuntimeMXBean().getInputArguments(), System.getProperty(SCHEME_PROPERTY, "http"));
    }

    static String describe(List<String> jvmArguments, String scheme) {
        String agentArguments = null;
        boolean agent = false;
        for (String argument : jvmArguments) {
            if (argument.startsWith("-javaagent:") && argument.contains("vtrecycler")) {
                agent = true;
                int eq = argument.indexOf('=');
                agentArguments = eq < 0 ? "" : argument.substring(eq + 1);
            }
        }
        if (!agent) {
            return "no vtrecycler agent attached: start with -javaagent:agent/target/vtrecycler-agent.jar"
                    + " to get /metrics for Prometheus and the Grafana dashboard";
        }
        String port = setting(agentArguments, "port", System.getProperty("vtrecycler.port", "9404"));
        String host = setting(agentArguments, "host", System.getProperty("vtrecycler.host", "0.0.0.0"));
        if (port.equals("none")) {
            return "the agent's metrics endpoint is off (port=none)";
        }
        if (port.equals("0")) {
            return "metrics for Prometheus and the Grafana dashboard: /metrics on the free port the agent chose (port=0)";
        }
        boolean wildcard = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
        return "metrics for Prometheus and the Grafana dashboard: " + scheme + "://" + (wildcard ? "127.0.0.1" : host)
                + ":" + port + "/metrics" + (wildcard ? " (the agent listens on " + host + ")" : "");
    }

    private static String setting(String agentArguments, String key, String fallback) {
        for (String pair : agentArguments.split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).trim().equals(key)) {
                return pair.substring(eq + 1).trim();
            }
        }
        return fallback;
    }
}
