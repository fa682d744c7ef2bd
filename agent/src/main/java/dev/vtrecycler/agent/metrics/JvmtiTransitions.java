package dev.vtrecycler.agent.metrics;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import java.util.Optional;
import java.util.function.Function;

/**
 * Whether HotSpot sends virtual-thread mounts, unmounts, starts and ends through its JVMTI
 * transition path: {@code on} in every JVM with an agent (any {@code -javaagent}, this one or an
 * APM agent, creates a JVMTI environment and that switches the notifications on), {@code off} with
 * {@code -XX:+UnlockExperimentalVMOptions -XX:-DoJVMTIVirtualThreadTransitions}, {@code unknown}
 * where the flag cannot be read. Exported as a label of {@code vtrecycler_info} and printed by
 * {@code attach}: it is the largest cost of attaching any agent to a virtual-thread service.
 */
public final class JvmtiTransitions {
    static final String FLAG = "DoJVMTIVirtualThreadTransitions";
    /** System property the agent sets to the state, for the attach tool to read from the target. */
    public static final String PROPERTY = "vtrecycler.jvmti.transitions";

    private JvmtiTransitions() {}

    /** {@code on}, {@code off} or {@code unknown} for this JVM. */
    public static String state() {
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return hotspot == null ? "unknown" : state(name -> read(hotspot, name), Runtime.version().feature());
        } catch (RuntimeException | LinkageError e) {
            return "unknown";
        }
    }

    /**
     * The flag is experimental, and HotSpot hides experimental flags from {@code getVMOption} unless
     * they are unlocked: hidden with {@code UnlockExperimentalVMOptions=false} means the default, which
     * is true on JDK 21 to 25 (read from their sources; later JDKs may change the mechanism, so unknown).
     */
    static String state(Function<String, Optional<String>> vmOption, int feature) {
        Optional<String> flag = vmOption.apply(FLAG);
        if (flag.isPresent()) {
            return Boolean.parseBoolean(flag.get()) ? "on" : "off";
        }
        boolean locked = vmOption.apply("UnlockExperimentalVMOptions").map(v -> !Boolean.parseBoolean(v)).orElse(false);
        return locked && feature >= 21 && feature <= 25 ? "on" : "unknown";
    }

    /**
     * The one {@code [vtrecycler]} warning for JDK 24+ with the flag off, or null. HotSpot 24 and 25
     * (read in 25.0.3) leave a carrier marked "in a JVMTI transition" after a virtual thread unmounts
     * on a contended {@code synchronized} or in {@code Object.wait}: {@code Continuation::try_preempt}
     * sets the mark, and the call meant to clear it ({@code VirtualThread.unmount} ->
     * {@code notifyJvmtiUnmount(false)} -> {@code JVM_VirtualThreadUnmount}) returns at once when
     * {@code DoJVMTIVirtualThreadTransitions} is false. Every later contended monitor on that carrier
     * then blocks the carrier (pins); once all carriers do while the owner is unmounted, nothing runs.
     * The same happens without this agent; nothing an agent may do clears the mark, so it says so.
     * {@code -XX:LockingMode=1} (legacy locking, JDK 24-25 only) never unmounts on a monitor and avoids it.
     * See docs/jdk-versions.md.
     */
    public static String monitorDeadlockWarning() {
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (hotspot == null) {
                return null;
            }
            Function<String, Optional<String>> vmOption = name -> read(hotspot, name);
            int feature = Runtime.version().feature();
            return monitorDeadlockWarning(state(vmOption, feature), vmOption.apply("LockingMode"), feature);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    static String monitorDeadlockWarning(String state, Optional<String> lockingMode, int feature) {
        if (feature < 24 || !state.equals("off") || lockingMode.filter("1"::equals).isPresent()) {
            return null;
        }
        return "warning: -XX:-DoJVMTIVirtualThreadTransitions on JDK " + feature + " can deadlock virtual threads: after a"
                + " virtual thread unmounts on a monitor, HotSpot leaves its carrier marked in a JVMTI transition, later"
                + " contended synchronized blocks there pin the carrier, and once the monitor's owner is unmounted nothing"
                + " runs (a JDK bug, with or without this agent: docs/jdk-versions.md); remove the flag on JDK 24+";
    }

    private static Optional<String> read(HotSpotDiagnosticMXBean hotspot, String name) {
        try {
            VMOption option = hotspot.getVMOption(name);
            return Optional.of(option.getValue());
        } catch (IllegalArgumentException absentOrHidden) {
            return Optional.empty();
        }
    }
}
