package dev.vtrecycler.agent;

import dev.vtrecycler.agent.config.AgentConfig;
import dev.vtrecycler.agent.metrics.AgentMeterRegistry;
import dev.vtrecycler.agent.metrics.ApmAgentInfoCollector;
import dev.vtrecycler.agent.recycler.PooledThreadInstrumentation;
import dev.vtrecycler.agent.recycler.RecyclerMetrics;
import dev.vtrecycler.agent.recycler.RouteGovernor;
import dev.vtrecycler.agent.recycler.RouteMetrics;
import dev.vtrecycler.agent.routing.RoutingInstaller;
import dev.vtrecycler.agent.routing.RoutingMetrics;
import dev.vtrecycler.bootstrap.context.TaskContext;
import dev.vtrecycler.bootstrap.recycler.Recycler;
import dev.vtrecycler.bootstrap.recycler.RecyclerSettings;
import java.lang.instrument.Instrumentation;

/**
 * mode=recycle: the recycler (bootstrap runtime), its metrics, and routing (which sends the JVM's
 * own virtual-thread executors and fire-and-forget starts to it). If routing cannot be installed
 * the recycler stays idle: nothing reaches it, and the application runs as with mode=observe.
 */
final class RecyclingSetup {
    static void install(Instrumentation inst, AgentConfig config, AgentMeterRegistry meters) {
        Recycler recycler;
        try {
            recycler = Recycler.install(new RecyclerSettings(config.localCap(), config.stackLimitBytes(),
                    config.idleTimeout().toNanos()));
        } catch (RuntimeException | LinkageError e) {
            Log.line("recycler not started (" + e + "); observing only");
            return;
        }
        meters.bind(new RecyclerMetrics(recycler));
        String problem = PooledThreadInstrumentation.install(inst);
        if (problem != null) {
            Log.line("pooled threads look alive to join/isAlive/getState between tasks (" + problem + ")");
        }
        RoutingInstaller.install(inst, config);
        meters.bind(new RoutingMetrics());
        RouteGovernor governor = config.fallback() == AgentConfig.Fallback.AUTO ? RouteGovernor.start() : null;
        meters.bind(new RouteMetrics(governor));
        // APM agents: carry OpenTelemetry's trace context into recycled tasks, name the others
        ApmAgentWatcher.install(inst);
        TaskContext.detectAtStartup();
        meters.prometheus().getPrometheusRegistry().register(new ApmAgentInfoCollector());
    }

    private RecyclingSetup() {}
}
