package dev.vtrecycler.bootstrap.context;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The mainstream APM agents we know, recognised by their premain class on the system class path
 * (where the JVM puts a {@code -javaagent} jar, and a dynamically loaded one too), and what we do so
 * that their trace context survives recycling:
 * <ul>
 * <li>OpenTelemetry: its context is carried by {@link TaskContext} through {@link OpenTelemetryBridge}.</li>
 * <li>The others: their executor instrumentation matches a list of executor classes that does not
 *     name ours, but they instrument the JDK's {@code Executors.unconfigurableExecutorService}
 *     wrapper ({@code Executors$DelegatedExecutorService}). While one of them is present, a new recycling
 *     executor is handed out inside that wrapper ({@link #exposeToAgents}), so the agent's advice
 *     sees every submission as it sees the JDK's own executor's. Measured (README, APM agents):
 *     Elastic APM then keeps every style; Datadog keeps submit/invokeAll/CompletableFuture styles
 *     and loses {@code execute(Runnable)} and discarded virtual-thread starts.</li>
 * </ul>
 * Without any of them nothing changes: the recycling executor is returned as is.
 */
public final class ApmAgents {
    /** How a known agent's context is kept: the value of {@code vtrecycler_apm_agent_info{trace_context}}. */
    public record Known(String label, String displayName, String premainClass, String traceContext, String detail) {}

    public static final Known OPENTELEMETRY = new Known("opentelemetry", "OpenTelemetry Java agent",
            OpenTelemetryBridge.PREMAIN, "carried", "recycled tasks carry its trace context as the JDK's executor would");

    public static final List<Known> KNOWN = List.of(
            OPENTELEMETRY,
            new Known("elastic", "Elastic APM Java agent", "co.elastic.apm.agent.premain.AgentMain", "carried",
                    "recycling executors are handed out inside the JDK's delegating executor, which it"
                            + " instruments: executor tasks keep its trace context"),
            new Known("datadog", "Datadog Java agent", "datadog.trace.bootstrap.AgentBootstrap", "partial",
                    "submit, invokeAll and CompletableFuture tasks keep its trace context; execute(Runnable) and"
                            + " discarded virtual-thread starts lose it (README, APM agents; mode=observe keeps it all)"),
            new Known("newrelic", "New Relic Java agent", "com.newrelic.bootstrap.BootstrapAgent", "untested",
                    "untested: recycling executors are handed out inside the JDK's delegating executor"
                            + " (README, APM agents; mode=observe keeps everything as without vtrecycler)"));

    /** Internal-name prefixes of the classes each agent loads, OpenTelemetry's first: see {@link #classLoading}. */
    private static final String OPENTELEMETRY_CLASSES = "io/opentelemetry/javaagent/";
    private static final String[] OTHER_AGENT_CLASSES = {"co/elastic/apm/", "datadog/", "com/newrelic/"};

    /** Whether a known agent other than OpenTelemetry was present at the last check. */
    private static volatile boolean wrapperAgentPresent;
    /** Set when a class of another agent (or of its API) was loaded: the next executor re-checks. */
    private static volatile boolean recheckRequested = true;

    private ApmAgents() {}

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

    /**
     * What {@code Executors} returns in place of the JDK's virtual-thread executor: {@code recycling}
     * itself, or, while an agent is present whose executor instrumentation only knows the JDK's
     * classes, the JDK's delegating wrapper around it. Presence is checked again only after a class
     * of such an agent was loaded ({@link #classLoading}); an agent attached later sees the executors
     * created after. Without one, this costs two volatile reads per executor.
     */
    public static ExecutorService exposeToAgents(ExecutorService recycling) {
        if (recheckRequested) {
            recheckRequested = false; // before looking: a class load racing with the look asks again
            boolean wrap = false;
            for (Known agent : present()) {
                wrap |= agent != OPENTELEMETRY;
            }
            wrapperAgentPresent = wrap;
        }
        return wrapperAgentPresent ? Executors.unconfigurableExecutorService(recycling) : recycling;
    }

    /**
     * Called by the agent's class-load watcher for every class being loaded ({@code internalName}
     * with slashes, never null): when it belongs to a known agent's packages, asks for a new look at
     * the next submission or executor. Only sets flags: it runs inside class loading, where loading
     * classes could recurse. An application that merely carries an agent's API jar asks once per
     * such class and then finds no premain class: nothing changes.
     */
    public static void classLoading(String internalName) {
        if (internalName.startsWith(OPENTELEMETRY_CLASSES)) {
            TaskContext.requestProbe();
            return;
        }
        for (String prefix : OTHER_AGENT_CLASSES) {
            if (internalName.startsWith(prefix)) {
                recheckRequested = true;
                return;
            }
        }
    }
}
