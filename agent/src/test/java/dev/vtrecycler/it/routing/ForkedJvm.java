package dev.vtrecycler.it.routing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Forks JVMs for the routing ITs, with the agent and with a timeout; the process is always killed in
 * {@code finally}. Self-contained on purpose (a general helper will live in it/support later).
 *
 * <p>The agent is the shaded {@code target/vtrecycler-agent.jar} (failsafe runs after package).
 */
final class ForkedJvm {
    static final Duration TIMEOUT = Duration.ofMinutes(3);

    record Result(int exitCode, String stdout, String stderr) {
        String all() {
            return "--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
        }
    }

    private ForkedJvm() {}

    static Path javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    static Path agentJar() {
        return Path.of(require("vtrecycler.agent.jar"));
    }

    static Path testClasses() {
        return Path.of(require("vtrecycler.test.classes"));
    }

    private static String require(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " not set (run through failsafe)");
        }
        return value;
    }

    /** The test class path of this JVM (failsafe may hide it behind a manifest-only jar). */
    static List<String> testClassPath() {
        String cp = System.getProperty("surefire.test.class.path");
        if (cp == null || cp.isBlank()) {
            cp = System.getProperty("java.class.path");
        }
        return Arrays.stream(cp.split(File.pathSeparator)).filter(s -> !s.isBlank()).toList();
    }

    /** Test classes and AssertJ. */
    static String slimClassPath() {
        List<String> cp = new ArrayList<>();
        cp.add(testClasses().toString());
        testClassPath().stream().filter(p -> p.contains("assertj-core")).forEach(cp::add);
        return String.join(File.pathSeparator, cp);
    }

    /**
     * The JVM options that load the agent in recycle mode plus {@code extraArgs} (no metrics endpoint
     * unless they name a port), and a class path of test classes and AssertJ only: the agent's own
     * classes come from its jar (shaded) and the boot class path, never a second copy.
     */
    static List<String> agentOptions(String extraArgs) {
        return agentOptions("recycle", extraArgs);
    }

    static List<String> agentOptions(String mode, String extraArgs) {
        if (!extraArgs.contains("port=")) {
            extraArgs = extraArgs.isEmpty() ? "port=none" : extraArgs + ",port=none";
        }
        return List.of("-javaagent:" + agentJar() + "=mode=" + mode + "," + extraArgs, "-cp", slimClassPath());
    }

    /** A started JVM and where its output goes. Always {@link #close()} it (kills it if still alive). */
    record Forked(Process process, Path out, Path err) implements AutoCloseable {
        /** Waits for exit (killing it after the timeout) and reads what it printed. */
        Result await(Duration timeout) throws Exception {
            boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!exited) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            Result r = new Result(exited ? process.exitValue() : -1, Files.readString(out), Files.readString(err));
            if (!exited) {
                throw new AssertionError("forked JVM timed out after " + timeout + "\n" + r.all());
            }
            return r;
        }

        String stdoutSoFar() throws IOException {
            return Files.readString(out);
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    static Result run(List<String> jvmOptions, Class<?> main, String... args) throws Exception {
        try (Forked forked = start(jvmOptions, main, args)) {
            return forked.await(TIMEOUT);
        }
    }

    static Forked start(List<String> jvmOptions, Class<?> main, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(javaBin().toString());
        command.add("-XX:+EnableDynamicAgentLoading");
        command.addAll(jvmOptions);
        command.add(main.getName());
        command.addAll(List.of(args));
        Path dir = testClasses().getParent().resolve("routing-it-output");
        Files.createDirectories(dir);
        String stem = main.getSimpleName() + "-" + System.nanoTime();
        Path out = dir.resolve(stem + ".out");
        Path err = dir.resolve(stem + ".err");
        Files.writeString(dir.resolve(stem + ".cmd"), String.join(" ", command));
        Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        return new Forked(process, out, err);
    }

    /** Lines of stdout starting with {@code prefix}. */
    static List<String> lines(String text, String prefix) {
        return text.lines().filter(l -> l.startsWith(prefix)).collect(Collectors.toList());
    }
}
