package dev.vtrecycler.bootstrap.context;

import java.util.ArrayList;
import java.util.List;

/**
 * The mainstream APM agents we know, recognised by their premain class on the system class path
 * (where the JVM puts a {@code -javaagent} jar, and a dynamically loaded one too). Only OpenTelemetry's
 * context is carried into recycled tasks ({@link OpenTelemetryBridge}); the others are named so a user
 * sees them on the startup line and on {@code vtrecycler_apm_agent_info}, and the README says what is
 * known about each.
 */
public final class ApmAgents {
    /** One known agent: its label value and its premain class. */
    public record Known(String label, String displayName, String premainClass) {}

    public static final List<Known> KNOWN = List.of(
            new Known("opentelemetry", "OpenTelemetry Java agent", OpenTelemetryBridge.PREMAIN),
            new Known("datadog", "Datadog Java agent", "datadog.trace.bootstrap.AgentBootstrap"),
            new Known("elastic", "Elastic APM Java agent", "co.elastic.apm.agent.premain.AgentMain"),
            new Known("newrelic", "New Relic Java agent", "com.newrelic.bootstrap.BootstrapAgent"));

    /** The known agents present in this JVM. Loads (never initialises) classes: call off hot paths. */
    public static List<Known> present() {
        List<Known> found = new ArrayList<>();
        ClassLoader system = ClassLoader.getSystemClassLoader();
        for (Known agent : KNOWN) {
            try {
                Class.forName(agent.premainClass(), false, system);
                found.add(agent);
            } catch (ClassNotFoundException | LinkageError absent) {
                // not attached
            }
        }
        return found;
    }

    private ApmAgents() {}
}
