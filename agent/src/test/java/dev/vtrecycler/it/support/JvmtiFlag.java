package dev.vtrecycler.it.support;

import java.util.List;

/**
 * The two ways the README lets users run the agent: as is (HotSpot routes every virtual-thread
 * mount and unmount through JVMTI, as under any agent), and with the flag that switches those
 * transitions off ({@code -XX:+UnlockExperimentalVMOptions -XX:-DoJVMTIVirtualThreadTransitions}).
 * Forked tests of what the README offers the flag for run under both.
 */
public enum JvmtiFlag {
    TRANSITIONS_ON(List.of()),
    TRANSITIONS_OFF(List.of("-XX:+UnlockExperimentalVMOptions", "-XX:-DoJVMTIVirtualThreadTransitions"));

    private final List<String> jvmOptions;

    JvmtiFlag(List<String> jvmOptions) {
        this.jvmOptions = jvmOptions;
    }

    /** The JVM options that select this case (none for the default). */
    public List<String> jvmOptions() {
        return jvmOptions;
    }
}
