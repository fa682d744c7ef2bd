package dev.vtrecycler.agent.routing;

import dev.vtrecycler.bootstrap.routing.RoutingStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Routing meters. In Prometheus: {@code vtrecycler_routed_call_sites} (gauge) and
 * {@code vtrecycler_executors_total{kind="recycling"}} (counter). Both read the bootstrap
 * {@link RoutingStats} at scrape time; nothing is recorded on the task path.
 */
public final class RoutingMetrics implements MeterBinder {
    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("vtrecycler.routed.call.sites", RoutingStats::routedCallSites)
                .description("Application call sites whose discarded virtual-thread start the agent rewrote to use the recycler")
                .register(registry);
        FunctionCounter.builder("vtrecycler.executors", RoutingStats.class, stats -> RoutingStats.executorsCreated())
                .description("Executors created, by kind; recycling = returned by Executors' thread-per-task factory methods in place of the JDK's")
                .tag("kind", "recycling")
                .register(registry);
    }
}
