package dev.vtrecycler.demo.ab;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The machine's one-minute load average, read every second while a server run lasts (warm-up and
 * steps): a run measured while other work shares the cores says so next to its figures. The
 * one-minute figure lags by about a minute, which is why it is sampled over the whole run rather
 * than read once at its end.
 */
final class LoadAverageSampler implements AutoCloseable {
    private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    private final DoubleAdder sum = new DoubleAdder();
    private final LongAdder count = new LongAdder();
    private volatile double max = Double.NaN;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "service-ab-loadavg");
        thread.setDaemon(true);
        return thread;
    });

    LoadAverageSampler() {
        timer.scheduleAtFixedRate(this::sample, 0, 1, TimeUnit.SECONDS);
    }

    private void sample() {
        double load = os.getSystemLoadAverage();
        if (load >= 0) {
            sum.add(load);
            count.increment();
            max = Double.isNaN(max) ? load : Math.max(max, load); // one sampling thread: no lost update
        }
    }

    LoadAverage result() {
        long n = count.sum();
        return n == 0 ? LoadAverage.NONE : new LoadAverage(sum.sum() / n, max);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
