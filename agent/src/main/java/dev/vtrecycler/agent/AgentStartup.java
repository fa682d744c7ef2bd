package dev.vtrecycler.agent;

import dev.vtrecycler.agent.config.AgentConfig;
import dev.vtrecycler.agent.config.ConfigException;
import dev.vtrecycler.agent.config.ConfigParser;
import dev.vtrecycler.agent.diagnostics.ThreadDumps;
import dev.vtrecycler.agent.endpoint.Limits;
import dev.vtrecycler.agent.endpoint.WebConfigException;
import dev.vtrecycler.agent.instrument.TimerInstrumentation;
import dev.vtrecycler.agent.instrument.VirtualThreadInstrumentation;
import dev.vtrecycler.agent.instrument.WakeupInstrumentation;
import dev.vtrecycler.agent.metrics.AgentMeterRegistry;
import dev.vtrecycler.agent.metrics.JvmtiTransitions;
import dev.vtrecycler.agent.metrics.MetricsEndpoint;
import dev.vtrecycler.agent.metrics.WakeupMetrics;
import java.io.IOException;
import java.lang.instrument.Instrumentation;

/**
 * The startup sequence, called reflectively by {@link VtRecyclerAgent} once the JDK is known to be
 * 21+. Every step either works or prints one {@code [vtrecycler]} line and leaves the application
 * alone; later steps degrade (no endpoint) rather than undo earlier ones.
 *
 * <p>Order matters: nothing may load a {@code dev.vtrecycler.bootstrap} class before
 * {@link BootstrapInjector} has put them into the boot loader, or the class would be defined twice
 * (once by the system loader) and the advice would call a different copy.
 */
public final class AgentStartup {
    /** System property set once the agent is active: value {@code <version> mode=<mode>}. */
    public static final String ACTIVE_PROPERTY = "vtrecycler.active";
    /** {@code http} or {@code https}: what the endpoint serves, for the demo's printed URL. */
    public static final String SCHEME_PROPERTY = "vtrecycler.endpoint.scheme";

    public static void start(String args, Instrumentation inst, boolean dynamic) {
        AgentConfig config;
        try {
            config = ConfigParser.parse(args, System.getProperties());
        } catch (ConfigException e) {
            Log.line("disabled: " + e.getMessage() + "; the application runs without the agent");
            return;
        }
        if (config.mode() == AgentConfig.Mode.OFF) {
            Log.line("mode=off: the agent does nothing");
            return;
        }
        String active = System.getProperty(ACTIVE_PROPERTY);
        if (active != null) {
            Log.line("already active in this JVM (" + active + "); this " + (dynamic ? "attach" : "agent")
                    + " changes nothing");
            return;
        }
        String version = version();
        // Byte Buddy's "safe" mode: no sun.misc.Unsafe class injection (we inject nothing), hence no
        // JDK 24+ deprecation warning on the host's stderr. The name is relocated with Byte Buddy.
        System.getProperties().putIfAbsent("dev.vtrecycler.shaded.net.bytebuddy.safe", "true");
        VirtualThreadInstrumentation.Result observed;
        try {
            BootstrapInjector.inject(inst, config.bootstrap());
            ModuleAccess.grant(inst, Class.forName("dev.vtrecycler.bootstrap.VtHooks", true, null).getModule());
            observed = VirtualThreadInstrumentation.install(inst);
        } catch (Throwable t) {
            Log.line("disabled: could not instrument virtual threads: " + t + "; the application runs without the agent");
            return;
        }
        System.setProperty(JvmtiTransitions.PROPERTY, JvmtiTransitions.state());
        System.setProperty(ACTIVE_PROPERTY, version + " mode=" + config.mode().key());
        if (observed.notice() != null) {
            Log.line(observed.notice());
        }
        String jvmtiWarning = JvmtiTransitions.monitorDeadlockWarning();
        if (jvmtiWarning != null) {
            Log.line(jvmtiWarning);
        }

        String wakeups = installWakeups(inst, config);
        String timers = installTimers(inst, config, wakeups);

        AgentMeterRegistry meters = new AgentMeterRegistry(version, config.mode().key(), wakeups, timers,
                observed.observesRun(), config.jfr(), config.pinnedThreshold(), config.pinnedSites());
        meters.bind(new WakeupMetrics());
        if (config.mode() == AgentConfig.Mode.RECYCLE) {
            RecyclingSetup.install(inst, config, meters);
        }
        ThreadDumps threads = DiagnosticsSetup.install(config, meters);
        String endpoint = startEndpoint(config, meters, threads);
        Log.line(version + " active: mode=" + config.mode().key()
                + (config.mode().schedulesWithoutAllocation() ? ", wakeups=" + wakeups + ", timers=" + timers : "")
                + ", " + endpoint);
        try {
            String problem = VirtualThreadInstrumentation.selfCheck(observed);
            if (problem != null) {
                Log.line("warning: " + problem);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * mode=recycle or mode=schedule with wakeups=reuse (the default): one reusable scheduler task per
     * virtual thread. Never fails the agent; returns what is in force, {@code reuse} or {@code jdk}.
     */
    private static String installWakeups(Instrumentation inst, AgentConfig config) {
        if (!config.mode().schedulesWithoutAllocation() || config.wakeups() != AgentConfig.Wakeups.REUSE) {
            return AgentConfig.Wakeups.JDK.key();
        }
        WakeupInstrumentation.Result result = WakeupInstrumentation.install(inst);
        if (result.notice() != null) {
            Log.line(result.notice());
        }
        return result.label();
    }

    /**
     * timers=reuse (the default, see AgentConfig) where the wake-up reuse is in force: one reusable timeout per
     * virtual thread (JDK 25). Never fails the agent; returns what is in force. Where the JDK lacks the shape
     * (JDK 21) or wakeups=jdk, only an explicit timers=reuse says so.
     */
    private static String installTimers(Instrumentation inst, AgentConfig config, String wakeups) {
        if (!config.mode().schedulesWithoutAllocation() || config.timers() != AgentConfig.Wakeups.REUSE) {
            return AgentConfig.Wakeups.JDK.key();
        }
        if (wakeups.equals(AgentConfig.Wakeups.JDK.key())) { // reuse and execute-only both install the task
            if (config.wakeups() == AgentConfig.Wakeups.REUSE || !config.timersAsked()) {
                return AgentConfig.Wakeups.JDK.key(); // the wake-up line already said why, or nobody asked
            }
            Log.line("timers=reuse not applied: it keeps its per-thread state in the reusable wake-up task,"
                    + " and wakeups=jdk; timed parks keep the JDK's timer tasks");
            return AgentConfig.Wakeups.JDK.key();
        }
        TimerInstrumentation.Result result = TimerInstrumentation.install(inst);
        if (result.notice() != null && (config.timersAsked() || !result.shapeMissing())) {
            Log.line(result.notice());
        }
        return result.label();
    }

    private static String startEndpoint(AgentConfig config, AgentMeterRegistry meters, ThreadDumps threads) {
        if (config.port().isEmpty()) {
            return "no metrics endpoint (port=none)";
        }
        try {
            MetricsEndpoint endpoint = MetricsEndpoint.start(config.host(), config.port().getAsInt(),
                    config.webConfig(), endpointLimits(config), meters.prometheus(), threads);
            System.setProperty(SCHEME_PROPERTY, endpoint.scheme());
            return "metrics on " + endpoint.scheme() + "://" + config.host() + ":" + endpoint.port() + "/metrics"
                    + (threads != null ? " and /threads" : "");
        } catch (WebConfigException e) {
            Log.line("metrics endpoint not started: " + e.getMessage() + "; instrumentation keeps working without it");
            return "no metrics endpoint (bad web-config)";
        } catch (IOException e) {
            Log.line("metrics endpoint not started: cannot bind " + config.host() + ":" + config.port().getAsInt()
                    + " (" + e.getMessage() + "); instrumentation keeps working without it");
            return "no metrics endpoint (bind failed)";
        } catch (Throwable t) {
            // anything else (an OutOfMemoryError, a JDK without TLS): the endpoint stays off, the agent on
            Log.line("metrics endpoint not started: " + t + "; instrumentation keeps working without it");
            return "no metrics endpoint (start failed)";
        }
    }

    private static Limits endpointLimits(AgentConfig config) {
        return new Limits(config.endpointMaxConnections(), config.endpointMaxConnectionsPerClient(),
                config.endpointRequestTimeout(), Limits.DEFAULT.keepAliveTimeout(), Limits.DEFAULT.responseTimeout(),
                Limits.DEFAULT.maxRequestsPerConnection(), config.endpointAuthQueue());
    }

    static String version() {
        String v = AgentStartup.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private AgentStartup() {}
}
