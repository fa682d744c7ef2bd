package dev.vtrecycler.it.routing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;

/**
 * Forks JVMs for the routing ITs, with the agent and with a timeout; the process is always killed in
 * {@code finally}. Self-contained on purpose (a general helper will live in it/support later).
 *
 * <p>Which agent: the shaded {@code vtrecycler-agent.jar} once its premain wires routing (it then
 * references {@code RoutingInstaller}), else {@link RoutingTestAgent}, a stand-in premain that does what
 * the real one will do in mode=recycle (bootstrap injection, module opening, Recycler.install,
 * RoutingInstaller.install) from the build's own classes.
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

    /** True once the real agent's premain calls RoutingInstaller (looked up in its class files). */
    static boolean realAgentRoutes() {
        Path jar = agentJar();
        if (!Files.isRegularFile(jar)) {
            return false;
        }
        byte[] marker = "dev/vtrecycler/agent/routing/RoutingInstaller".getBytes(StandardCharsets.UTF_8);
        try (JarFile jf = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = jf.entries();
            while (entries.hasMoreElements()) {
                JarEntry e = entries.nextElement();
                String name = e.getName();
                if (name.startsWith("dev/vtrecycler/agent/") && !name.startsWith("dev/vtrecycler/agent/routing/")
                        && name.endsWith(".class")) {
                    try (InputStream in = jf.getInputStream(e)) {
                        if (contains(in.readAllBytes(), marker)) {
                            return true;
                        }
                    }
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** A jar holding only a manifest that names {@link RoutingTestAgent}; its classes come from -cp. */
    static Path testAgentJar() throws IOException {
        Path jar = testClasses().getParent().resolve("routing-test-agent.jar");
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Premain-Class", RoutingTestAgent.class.getName());
        main.putValue("Agent-Class", RoutingTestAgent.class.getName());
        main.putValue("Can-Retransform-Classes", "true");
        main.putValue("Can-Redefine-Classes", "true");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jos = new JarOutputStream(out, manifest)) {
            // manifest only
        }
        return jar;
    }

    /** A -cp for forked programs under the real agent: test classes and AssertJ, not the agent's own classes. */
    static String slimClassPath() {
        List<String> cp = new ArrayList<>();
        cp.add(testClasses().toString());
        testClassPath().stream().filter(p -> p.contains("assertj-core")).forEach(cp::add);
        return String.join(File.pathSeparator, cp);
    }

    /** The JVM options that load the agent (real or stand-in) in recycle mode plus {@code extraArgs}. */
    static List<String> agentOptions(String extraArgs) throws IOException {
        List<String> options = new ArrayList<>();
        if (realAgentRoutes()) {
            String args = "mode=recycle" + (extraArgs.isEmpty() ? "" : "," + extraArgs);
            options.add("-javaagent:" + agentJar() + "=" + args);
            options.add("-cp");
            options.add(slimClassPath());
        } else {
            options.add("-javaagent:" + testAgentJar() + (extraArgs.isEmpty() ? "" : "=" + extraArgs));
            options.add("-cp");
            options.add(String.join(File.pathSeparator, testClassPath()));
        }
        return options;
    }

    static String agentKind() {
        return realAgentRoutes() ? "vtrecycler-agent.jar" : "RoutingTestAgent (stand-in premain)";
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
