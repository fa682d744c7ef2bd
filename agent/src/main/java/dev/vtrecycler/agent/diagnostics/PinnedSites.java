package dev.vtrecycler.agent.diagnostics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;

/**
 * Where virtual threads pin: each {@code jdk.VirtualThreadPinned} event is counted, with its
 * duration, under the first frame of its stack trace that is not the JDK's
 * ({@code class.method:line}), in {@code vtrecycler_pinned_seconds{site}}. The label set is
 * bounded: the first {@code limit} distinct sites get a label of their own, for as long as the JVM
 * runs (a Prometheus counter cannot move to another label), every later one, and every event without
 * a frame outside the JDK, counts as {@code site="other"}. {@code other} exists from the start, at
 * zero, so a dashboard shows "no pinning" rather than "no data".
 */
public final class PinnedSites {
    static final String OTHER = "other";
    /** Class-name prefixes of the JDK's own code (its modules' packages, and their hidden classes). */
    private static final List<String> JDK_PREFIXES = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.");

    private final MeterRegistry registry;
    private final int limit;
    private final Map<String, Timer> sites = new ConcurrentHashMap<>();
    private final Timer other;

    public PinnedSites(MeterRegistry registry, int limit) {
        this.registry = registry;
        this.limit = limit;
        this.other = timer(OTHER);
    }

    /** Called on the JFR stream's thread, one event at a time. */
    public void record(RecordedEvent event) {
        timerFor(site(event.getStackTrace())).record(event.getDuration());
    }

    Timer timerFor(String site) {
        if (site == null) {
            return other;
        }
        Timer timer = sites.get(site);
        if (timer != null) {
            return timer;
        }
        if (sites.size() >= limit) {
            return other;
        }
        return sites.computeIfAbsent(site, this::timer);
    }

    private Timer timer(String site) {
        return Timer.builder("vtrecycler.pinned")
                .description("Virtual threads pinned to their carrier while blocking (JFR jdk.VirtualThreadPinned, at or above"
                        + " pinned-threshold), by site: the first stack frame outside the JDK, class.method:line")
                .tag("site", site)
                .register(registry);
    }

    /** The first frame outside the JDK, as {@code class.method:line}; null when there is none (or no stack trace). */
    static String site(RecordedStackTrace stack) {
        if (stack == null) {
            return null;
        }
        for (RecordedFrame frame : stack.getFrames()) {
            String type = frame.getMethod().getType().getName();
            if (frame.isJavaFrame() && !isJdk(type)) {
                return site(type, frame.getMethod().getName(), frame.getLineNumber());
            }
        }
        return null;
    }

    static String site(String className, String method, int line) {
        return className + "." + method + (line > 0 ? ":" + line : "");
    }

    static boolean isJdk(String className) {
        for (String prefix : JDK_PREFIXES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
