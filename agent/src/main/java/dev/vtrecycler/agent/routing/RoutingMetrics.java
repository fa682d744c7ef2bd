package dev.vtrecycler.agent.routing;

import dev.vtrecycler.bootstrap.routing.RoutingStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Routing meters. In Prometheus: {@code vtrecycler_routed_call_sites{kind}} (gauge; {@code sum} for the total) and
 * {@code vtrecycler_executors_total{kind="recycling"}} (counter). Both read the bootstrap
 * {@link RoutingStats} at scrape time; nothing is recorded on the task path.
 */
public final class RoutingMetrics implements MeterBinder {
    @Override
    public void bindTo(MeterRegistry registry) {
        for (int kind = 0; kind < RoutingStats.KIND_NAMES.length; kind++) {
            int k = kind;
            Gauge.builder("vtrecycler.routed.call.sites", () -> RoutingStats.routedCallSites(k))
                    .description("Application call sites (in classes whose loader is alive) the agent rewrote to start"
                            + " virtual threads on the recycler, by kind: direct = a discarded start or an adjacent"
                            + " newThread/unstarted(r).start(), reflective = a discarded Method.invoke that routes when"
                            + " the Method is a virtual-thread start, local = a started Thread in a local never read again")
                    .tag("kind", RoutingStats.KIND_NAMES[k])
                    .register(registry);
        }
        FunctionCounter.builder("vtrecycler.executors", RoutingStats.class, stats -> RoutingStats.executorsCreated())
                .description("Executors created, by kind; recycling = returned by Executors' thread-per-task factory methods in place of the JDK's")
                .tag("kind", "recycling")
                .register(registry);
    }
}
