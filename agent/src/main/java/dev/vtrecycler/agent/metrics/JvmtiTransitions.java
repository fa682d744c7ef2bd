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

    private static Optional<String> read(HotSpotDiagnosticMXBean hotspot, String name) {
        try {
            VMOption option = hotspot.getVMOption(name);
            return Optional.of(option.getValue());
        } catch (IllegalArgumentException absentOrHidden) {
            return Optional.empty();
        }
    }
}
