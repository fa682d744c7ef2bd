package dev.vtrecycler.agent.metrics;

import dev.vtrecycler.bootstrap.StripedCounter;
import dev.vtrecycler.bootstrap.wakeup.Timeouts;
import dev.vtrecycler.bootstrap.wakeup.Wakeups;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * {@code vtrecycler_wakeups_total} and {@code vtrecycler_wakeup_failures_total}: read from the
 * bootstrap's striped counters when scraped (the wake-up path only increments a cell). Both stay
 * 0 where the reusable tasks are not in force ({@code vtrecycler_info{wakeups="jdk"}}).
 * {@code vtrecycler_timed_parks_total{timer="reused"|"allocated"}}: timed parks whose timeout re-armed
 * the thread's task, and those that allocated one (the fallback); both 0 with {@code timers="jdk"}.
 */
public final class WakeupMetrics implements MeterBinder {
    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("vtrecycler.wakeups", Wakeups.WAKEUPS, StripedCounter::sum)
                .description("Virtual-thread wake-ups served by the thread's reusable scheduler task "
                        + "(each one a task adapter the JDK would have allocated)")
                .register(registry);
        FunctionCounter.builder("vtrecycler.wakeup.failures", Wakeups.FAILURES, StripedCounter::sum)
                .description("Wake-ups whose continuation threw out of the reusable task; reported to the "
                        + "carrier's uncaught-exception handler, the thread stays schedulable")
                .register(registry);
        timedParks(registry, "reused", Timeouts.REUSED);
        timedParks(registry, "allocated", Timeouts.ALLOCATED);
    }

    private static void timedParks(MeterRegistry registry, String timer, StripedCounter counter) {
        FunctionCounter.builder("vtrecycler.timed.parks", counter, StripedCounter::sum)
                .description("Timed parks, sleeps and timed waits of virtual threads under timers=reuse, by how their"
                        + " timeout was armed: reused = nothing allocated (left to a task still pended, or one of the"
                        + " thread's two tasks re-armed), allocated = a new task (a thread's first task or two, a deadline"
                        + " earlier than both of its pended tasks, a custom scheduler, or a timed Object.wait)")
                .tag("timer", timer)
                .register(registry);
    }
}
