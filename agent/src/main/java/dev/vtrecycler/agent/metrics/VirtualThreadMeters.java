package dev.vtrecycler.agent.metrics;

import dev.vtrecycler.bootstrap.VtHooks;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The observation counters kept by {@link VtHooks}, read at scrape time. The live gauge needs the
 * run(Runnable) hooks, so it is registered only where they are installed ({@code observesRun}).
 * The created counter is a {@link CreatedCounterCollector} (see there why).
 */
final class VirtualThreadMeters implements MeterBinder {
    private final boolean observesRun;

    VirtualThreadMeters(boolean observesRun) {
        this.observesRun = observesRun;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("vtrecycler.virtual.threads.terminated", VtHooks.TERMINATED, c -> c.sum())
                .description("Virtual threads that terminated")
                .register(registry);
        FunctionCounter.builder("vtrecycler.advice.errors", VtHooks.ADVICE_ERRORS, c -> c.sum())
                .description("Exceptions suppressed inside the agent's advice instead of reaching the application; should stay 0")
                .register(registry);
        if (observesRun) {
            Gauge.builder("vtrecycler.virtual.threads.live", VtHooks::live)
                    .description("Virtual threads started and not yet terminated (pooled, parked recycler threads included)")
                    .register(registry);
        }
    }
}
