package dev.vtrecycler.agent.metrics;

import dev.vtrecycler.agent.diagnostics.PinnedSites;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import jdk.jfr.consumer.RecordingStream;

/**
 * {@code jfr=true}: the JDK's virtual-thread JFR events as meters, under Micrometer's names
 * ({@code jvm.threads.virtual.pinned}, {@code jvm.threads.virtual.submit.failed}), and the pinned
 * events again by site ({@link PinnedSites}, from the events' stack traces).
 *
 * <p>Why not Micrometer's {@code VirtualThreadMetrics}: it starts its stream with
 * {@code startAsync()}, and the JDK makes that stream's thread non-daemon, which keeps the host
 * JVM alive after its {@code main} returns. Here the stream runs with a blocking {@code start()}
 * on a daemon thread of ours, so the host exits as it would without the agent.
 */
final class JfrVirtualThreadMeters implements MeterBinder {
    private static final String PINNED = "jdk.VirtualThreadPinned";
    private static final String SUBMIT_FAILED = "jdk.VirtualThreadSubmitFailed";

    private final Duration pinnedThreshold;
    private final int pinnedSites;

    /** {@code pinnedThreshold}: JFR's own default is 20 ms; {@code pinnedSites}: labelled sites, 0 = only {@code other}. */
    JfrVirtualThreadMeters(Duration pinnedThreshold, int pinnedSites) {
        this.pinnedThreshold = pinnedThreshold;
        this.pinnedSites = pinnedSites;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Timer pinned = Timer.builder("jvm.threads.virtual.pinned")
                .description("The duration while the virtual thread was pinned without releasing its platform thread")
                .register(registry);
        Counter submitFailed = Counter.builder("jvm.threads.virtual.submit.failed")
                .description("The number of events when starting or unparking a virtual thread failed")
                .register(registry);
        PinnedSites sites = new PinnedSites(registry, pinnedSites);

        RecordingStream stream = new RecordingStream();
        // Stack traces are what the sites come from; the threshold keeps short pins out of the stream.
        stream.enable(PINNED).withThreshold(pinnedThreshold).withStackTrace();
        stream.enable(SUBMIT_FAILED);
        stream.onEvent(PINNED, event -> {
            pinned.record(event.getDuration());
            sites.record(event);
        });
        stream.onEvent(SUBMIT_FAILED, event -> submitFailed.increment());
        Thread runner = new Thread(stream::start, "vtrecycler-jfr");
        runner.setDaemon(true);
        runner.start();
    }
}
