package dev.vtrecycler.agent.recycler;

import dev.vtrecycler.bootstrap.routing.RouteSwitch;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * What the route governor decided, per route kind. In Prometheus:
 * {@code vtrecycler_route_recycling{route}} (1 recycle, 0 fresh threads),
 * {@code vtrecycler_route_cost_ratio{route}} (measured CPU per task recycled / fresh; NaN until
 * measured), {@code vtrecycler_route_speed_ratio{route}} (routed tasks per epoch recycled / fresh),
 * {@code vtrecycler_route_bytes_ratio{route}} (bytes allocated per task recycled / fresh),
 * {@code vtrecycler_route_switches_total{route}}, {@code vtrecycler_route_probes_total{route}}
 * and {@code vtrecycler_route_tasks_total{route,path="recycled|fresh"}}. With {@code fallback=off}
 * (no governor) every route reads 1 and the ratio stays NaN.
 */
public final class RouteMetrics implements MeterBinder {
    private final RouteGovernor governor; // null: fallback=off or unavailable

    public RouteMetrics(RouteGovernor governor) {
        this.governor = governor;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (int route = 0; route < RouteSwitch.COUNT; route++) {
            int r = route;
            String name = RouteSwitch.NAMES[r];
            Gauge.builder("vtrecycler.route.recycling", () -> decidedRecycling(r) ? 1 : 0)
                    .description("Whether the route's tasks run on recycled threads (1) or fresh virtual threads (0), "
                            + "as fallback=auto last decided from measured speed, CPU and bytes per task")
                    .tag("route", name)
                    .register(registry);
            Gauge.builder("vtrecycler.route.cost.ratio", () -> governor == null ? Double.NaN : governor.costRatio(r))
                    .description("Process CPU per routed task with recycling divided by that with fresh threads, "
                            + "median of the route's last probes (below 1: recycling is cheaper); NaN until measured")
                    .tag("route", name)
                    .register(registry);
            Gauge.builder("vtrecycler.route.speed.ratio", () -> governor == null ? Double.NaN : governor.speedRatio(r))
                    .description("Routed tasks per epoch with recycling divided by that with fresh threads, median of the "
                            + "route's last probes (above 1: recycling serves more; 1 below saturation); NaN until measured")
                    .tag("route", name)
                    .register(registry);
            Gauge.builder("vtrecycler.route.bytes.ratio", () -> governor == null ? Double.NaN : governor.bytesRatio(r))
                    .description("Bytes allocated per routed task with recycling divided by that with fresh threads, median "
                            + "of the route's last probes; on a tie the route takes fresh threads where this "
                            + "is above " + RouteTrials.BYTES_WORTH_RECYCLING + " beyond its scatter; NaN until measured")
                    .tag("route", name)
                    .register(registry);
            FunctionCounter.builder("vtrecycler.route.switches", this, m -> m.governor == null ? 0 : m.governor.switches(r))
                    .description("Times fallback=auto switched the route between recycled and fresh threads")
                    .tag("route", name)
                    .register(registry);
            FunctionCounter.builder("vtrecycler.route.probes", this, m -> m.governor == null ? 0 : m.governor.probes(r))
                    .description("Epochs in which fallback=auto ran the route on the path it had not chosen, to measure it")
                    .tag("route", name)
                    .register(registry);
            String tasks = "Routed tasks by route and by the path they took: recycled threads or fresh virtual threads";
            FunctionCounter.builder("vtrecycler.route.tasks", RouteSwitch.class, c -> RouteSwitch.recycledTasks(r))
                    .description(tasks).tags("route", name, "path", "recycled").register(registry);
            FunctionCounter.builder("vtrecycler.route.tasks", RouteSwitch.class, c -> RouteSwitch.freshTasks(r))
                    .description(tasks).tags("route", name, "path", "fresh").register(registry);
        }
    }

    private boolean decidedRecycling(int route) {
        return governor == null ? RouteSwitch.current(route) : governor.recycleDecided(route);
    }
}
