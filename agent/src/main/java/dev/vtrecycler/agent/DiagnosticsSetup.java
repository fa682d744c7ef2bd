package dev.vtrecycler.agent;

import dev.vtrecycler.agent.config.AgentConfig;
import dev.vtrecycler.agent.diagnostics.CarrierSampler;
import dev.vtrecycler.agent.diagnostics.DeadlockDetector;
import dev.vtrecycler.agent.diagnostics.ThreadDumps;
import dev.vtrecycler.agent.metrics.AgentMeterRegistry;

/**
 * The diagnostics the configuration turns on: carrier-utilisation sampling, the deadlock check, and
 * the thread dumps behind {@code /threads} (the pinning sites come with {@code jfr=true}, in the
 * registry's JFR meters). Each fails open on its own with one line; none can stop the agent.
 */
final class DiagnosticsSetup {

    /** Starts what is configured; returns the dumps for {@code /threads}, or null when it is off. */
    static ThreadDumps install(AgentConfig config, AgentMeterRegistry meters) {
        config.carrierSampling().ifPresent(period -> {
            try {
                CarrierSampler.start(period, meters.prometheus());
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                Log.line("carrier utilisation not sampled: this JDK has no readable Thread.cont (" + e + ")");
            }
        });
        DeadlockDetector detector = null;
        if (config.deadlockCheck().isPresent()) {
            try {
                detector = DeadlockDetector.start(config.deadlockCheck().get(), meters.prometheus());
            } catch (RuntimeException | LinkageError e) {
                Log.line("deadlock check not started: " + e);
            }
        }
        if (!config.threadsEndpoint()) {
            return null;
        }
        DeadlockDetector reports = detector;
        return new ThreadDumps(reports == null ? null : reports::report);
    }

    private DiagnosticsSetup() {}
}
