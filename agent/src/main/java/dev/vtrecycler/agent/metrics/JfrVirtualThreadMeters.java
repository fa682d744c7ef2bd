package dev.vtrecycler.agent.metrics;

import dev.vtrecycler.agent.diagnostics.PinnedSites;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import jdk.jfr.consumer.RecordedThread;
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
 *
 * <p>Before JDK 24 a virtual thread also pins while it waits in {@code Object.wait} or blocks
 * entering a contended {@code synchronized}: the carrier waits in the VM with it. JDK 21 posts no
 * {@code jdk.VirtualThreadPinned} for either (that event comes only from a park that cannot
 * unmount), so there the monitor events {@code jdk.JavaMonitorWait} and {@code jdk.JavaMonitorEnter}
 * of virtual threads, at the same threshold, count as pinning sites too. They stay out of
 * {@code jvm.threads.virtual.pinned}, which is Micrometer's meter of the one JFR event. On 24+ both
 * unmount (JEP 491) and are not pinning.
 */
final class JfrVirtualThreadMeters implements MeterBinder {
    private static final String PINNED = "jdk.VirtualThreadPinned";
    private static final String SUBMIT_FAILED = "jdk.VirtualThreadSubmitFailed";
    private static final String[] MONITOR_PINS = {"jdk.JavaMonitorWait", "jdk.JavaMonitorEnter"};
    /** JEP 491 (JDK 24): monitors no longer pin. */
    private static final boolean MONITORS_PIN = Runtime.version().feature() < 24;

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
        if (MONITORS_PIN) {
            for (String monitorEvent : MONITOR_PINS) {
                stream.enable(monitorEvent).withThreshold(pinnedThreshold).withStackTrace();
                stream.onEvent(monitorEvent, event -> {
                    RecordedThread thread = event.getThread("eventThread");
                    if (thread != null && thread.isVirtual()) { // platform threads' waits are no pinning
                        sites.record(event);
                    }
                });
            }
        }
        Thread runner = new Thread(stream::start, "vtrecycler-jfr");
        runner.setDaemon(true);
        runner.start();
    }
}
