package dev.vtrecycler.it.support;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM forked the way users run the agent: {@code java -javaagent:... -cp <test classes> Main}.
 * stdout and stderr are collected line by line; {@link #close()} kills the process. Every wait has
 * a timeout, so a hung child fails the test instead of hanging the build.
 */
public final class ForkedJvm implements AutoCloseable {
    private static final Pattern ENDPOINT = Pattern.compile("metrics on https?://[^:]+:(\\d+)/metrics");

    private final Process process;
    private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    private final List<String> stdoutLines = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<String> stderrLines = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Writer stdin;

    private ForkedJvm(Process process) {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        pump(process.getInputStream(), line -> { stdoutLines.add(line); stdout.add(line); }, "stdout");
        pump(process.getErrorStream(), stderrLines::add, "stderr");
    }

    /** The java launcher of the JVM running the tests (the toolchain JDK, 21+). */
    public static String javaLauncher() {
        return ProcessHandle.current().info().command().orElseThrow();
    }

    public static Path agentJar() {
        return Path.of(System.getProperty("vtrecycler.agent.jar", "target/vtrecycler-agent.jar")).toAbsolutePath();
    }

    public static Path testClasses() {
        return Path.of(System.getProperty("vtrecycler.test.classes", "target/test-classes")).toAbsolutePath();
    }

    /**
     * The test classes plus the entries of this JVM's test class path that {@code keep} accepts (the
     * libraries a forked program uses); the agent's own classes come from its jar, never from here.
     */
    public static String testClassPath(Predicate<String> keep) {
        String cp = System.getProperty("surefire.test.class.path");
        if (cp == null || cp.isBlank()) {
            cp = System.getProperty("java.class.path");
        }
        List<String> entries = new ArrayList<>();
        entries.add(testClasses().toString());
        Arrays.stream(cp.split(File.pathSeparator)).filter(keep).forEach(entries::add);
        return String.join(File.pathSeparator, entries);
    }

    /** {@code -javaagent:<jar>=<args>}; args may be null. */
    public static String javaagent(String args) {
        return "-javaagent:" + agentJar() + (args == null ? "" : "=" + args);
    }

    public static ForkedJvm start(List<String> jvmArgs, Class<?> mainClass, String... args) throws IOException {
        return start(javaLauncher(), jvmArgs, mainClass, args);
    }

    public static ForkedJvm start(String java, List<String> jvmArgs, Class<?> mainClass, String... args) throws IOException {
        return start(java, jvmArgs, testClasses().toString(), mainClass, args);
    }

    /** With an explicit class path (e.g. test classes plus a test library the child uses). */
    public static ForkedJvm start(String java, List<String> jvmArgs, String classPath, Class<?> mainClass, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(java);
        if (jvmArgs.stream().noneMatch(a -> a.contains("fallback="))) {
            // The forked tests check what recycling does; fallback=auto could send a route to fresh
            // threads on a noisy probe. RouteGovernorIT sets fallback itself (the agent argument wins).
            command.add("-Dvtrecycler.fallback=off");
        }
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        return new ForkedJvm(new ProcessBuilder(command).start());
    }

    public static ForkedJvm exec(List<String> command) throws IOException {
        return new ForkedJvm(new ProcessBuilder(command).start());
    }

    public long pid() {
        return process.pid();
    }

    /** Sends one command line to the child's stdin. */
    public void send(String line) throws IOException {
        stdin.write(line + "\n");
        stdin.flush();
    }

    /** Next stdout line, failing after the timeout. */
    public String readLine(Duration timeout) throws InterruptedException {
        String line = stdout.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) {
            throw new AssertionError("no output within " + timeout + "; stderr:\n" + String.join("\n", stderrLines));
        }
        return line;
    }

    /** Sends a command and returns the child's one-line answer. */
    public String ask(String command) throws IOException, InterruptedException {
        send(command);
        return readLine(Duration.ofSeconds(60));
    }

    /** Waits for a stderr line matching, returns it. */
    public String awaitStderr(Predicate<String> matcher, Duration timeout) throws InterruptedException {
        return await(stderrLines, "stderr", matcher, timeout);
    }

    /** Waits for a stdout line matching, returns it (without consuming it from {@link #readLine}). */
    public String awaitStdout(Predicate<String> matcher, Duration timeout) throws InterruptedException {
        return await(stdoutLines, "stdout", matcher, timeout);
    }

    private String await(List<String> lines, String name, Predicate<String> matcher, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean exited = false;
        while (System.nanoTime() < deadline) {
            for (String line : lines) {
                if (matcher.test(line)) {
                    return line;
                }
            }
            if (exited) {
                break; // one more look after exit: the pumps may have been behind
            }
            exited = !process.isAlive();
            Thread.sleep(20);
        }
        throw new AssertionError("no matching " + name + " line within " + timeout + "\n" + transcript());
    }

    /** Everything the child printed, for assertion messages. */
    public String transcript() {
        return "--- stdout ---\n" + String.join("\n", stdoutLines) + "\n--- stderr ---\n" + String.join("\n", stderrLines);
    }

    /** The port the agent's endpoint reported on stderr. */
    public int metricsPort() throws InterruptedException {
        String line = awaitStderr(l -> ENDPOINT.matcher(l).find(), Duration.ofSeconds(60));
        Matcher m = ENDPOINT.matcher(line);
        m.find();
        return Integer.parseInt(m.group(1));
    }

    /** Waits for exit; returns the exit code. */
    public int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("JVM did not exit within " + timeout + "; stderr:\n" + String.join("\n", stderrLines));
        }
        // let the pumps drain
        Thread.sleep(50);
        return process.exitValue();
    }

    public List<String> stdoutLines() {
        return List.copyOf(stdoutLines);
    }

    public List<String> stderrLines() {
        return List.copyOf(stderrLines);
    }

    /** stderr lines the agent printed (prefixed [vtrecycler]). */
    public List<String> agentLines() {
        return stderrLines.stream().filter(l -> l.startsWith("[vtrecycler]")).toList();
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pump(java.io.InputStream in, java.util.function.Consumer<String> sink, String name) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    sink.accept(line);
                }
            } catch (IOException ignored) {
                // process gone
            }
        }, "forked-jvm-" + name);
        t.setDaemon(true);
        t.start();
    }
}
