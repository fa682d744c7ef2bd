package dev.vtrecycler.it.routing;

import dev.vtrecycler.it.support.ForkedJvm;
import java.time.Duration;
import java.util.List;

/**
 * What the routing ITs add to {@link ForkedJvm}: the agent options they run with, a class path
 * that also carries AssertJ (the forked check programs use it), and running a program to its end.
 * The forked programs print {@code CHECK PASS ...}/{@code CHECK FAIL ...} lines and one
 * {@code RESULT} line.
 */
final class RoutingForks {
    static final Duration TIMEOUT = Duration.ofMinutes(3);

    private RoutingForks() {}

    /**
     * Loads the agent in {@code mode} with {@code extraArgs} (no metrics endpoint unless they name
     * a port). The agent's own classes come from its jar and the boot loader, never a second copy.
     */
    static List<String> agentOptions(String mode, String extraArgs) {
        if (!extraArgs.contains("port=")) {
            extraArgs = extraArgs.isEmpty() ? "port=none" : extraArgs + ",port=none";
        }
        return List.of("-XX:+EnableDynamicAgentLoading", ForkedJvm.javaagent("mode=" + mode + "," + extraArgs));
    }

    static List<String> agentOptions(String extraArgs) {
        return agentOptions("recycle", extraArgs);
    }

    /** Test classes and AssertJ. */
    static String slimClassPath() {
        return ForkedJvm.testClassPath(p -> p.contains("assertj-core"));
    }

    static ForkedJvm start(List<String> jvmOptions, Class<?> main, String... args) throws Exception {
        return ForkedJvm.start(ForkedJvm.javaLauncher(), jvmOptions, slimClassPath(), main, args);
    }

    /** Runs {@code main} to its end; the returned JVM has exited (its output stays readable). */
    static ForkedJvm run(List<String> jvmOptions, Class<?> main, String... args) throws Exception {
        try (ForkedJvm jvm = start(jvmOptions, main, args)) {
            jvm.waitFor(TIMEOUT);
            return jvm;
        }
    }

    /** stdout lines starting with {@code prefix}. */
    static List<String> lines(ForkedJvm jvm, String prefix) {
        return jvm.stdoutLines().stream().filter(l -> l.startsWith(prefix)).toList();
    }
}
