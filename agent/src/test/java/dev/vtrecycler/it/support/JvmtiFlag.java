package dev.vtrecycler.it.support;

import java.util.List;

/**
 * The two ways the README lets users run the agent: as is (HotSpot routes every virtual-thread
 * mount and unmount through JVMTI, as under any agent), and with the flag that switches those
 * transitions off ({@code -XX:+UnlockExperimentalVMOptions -XX:-DoJVMTIVirtualThreadTransitions}).
 * Forked tests of what the README offers the flag for run under both.
 *
 * <p>On JDK 24+ the flag has a HotSpot bug (issue 24 point 1, docs/jdk-versions.md): after a virtual
 * thread unmounts on a contended monitor or in {@code Object.wait}, its carrier stays marked as in a
 * JVMTI transition, later monitor waits on that carrier pin it, and a program whose monitor owner is
 * unmounted deadlocks, without any agent. {@link #jdkHasMonitorBug()} says where; what the JDK cannot
 * run there is left out of the comparisons and checked on its own ({@code JvmtiMonitorBugIT}).
 */
public enum JvmtiFlag {
    TRANSITIONS_ON(List.of()),
    TRANSITIONS_OFF(List.of("-XX:+UnlockExperimentalVMOptions", "-XX:-DoJVMTIVirtualThreadTransitions"));

    /**
     * The wake-up scenarios that wait on a monitor while its owner is unmounted: on JDK 24+ with the
     * flag off they hang without the agent too (measured on 25.0.3: contended-monitor and wait-notify
     * every time; timed-waits and interrupts wait on monitors the same way).
     */
    public static final List<String> MONITOR_SCENARIOS = List.of("contended-monitor", "wait-notify", "timed-waits", "interrupts");

    private final List<String> jvmOptions;

    JvmtiFlag(List<String> jvmOptions) {
        this.jvmOptions = jvmOptions;
    }

    /** The JVM options that select this case (none for the default). */
    public List<String> jvmOptions() {
        return jvmOptions;
    }

    /** Whether the forked JVMs (the JDK running the tests) have the monitor bug in this case. */
    public boolean jdkHasMonitorBug() {
        return this == TRANSITIONS_OFF && Runtime.version().feature() >= 24;
    }

    /** Wake-up scenarios the JDK itself cannot run in this case (none but on JDK 24+ with the flag off). */
    public List<String> scenariosTheJdkCannotRun() {
        return jdkHasMonitorBug() ? MONITOR_SCENARIOS : List.of();
    }
}
