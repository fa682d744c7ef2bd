package dev.vtrecycler.demo.compare;

import dev.vtrecycler.demo.measure.ResultLine;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs one workload in a child JVM and collects its {@link ResultLine}s. The child's human lines
 * become progress on our stderr; the last lines of its stderr are kept so a failure can show them.
 * The child is killed if it outlives its timeout, and always in {@code finally}.
 */
public final class ChildJvm {
    private static final int STDERR_TAIL_LINES = 12;

    private final List<String> command;
    private final long timeoutSeconds;

    public ChildJvm(List<String> command, long timeoutSeconds) {
        this.command = List.copyOf(command);
        this.timeoutSeconds = timeoutSeconds;
    }

    /** The java binary this JVM runs on: a child started with it has the same JDK. */
    public static String currentJava() {
        return ProcessHandle.current().info().command().orElseGet(
                () -> System.getProperty("java.home") + "/bin/java");
    }

    public RunResult run(Consumer<String> progress) {
        List<ResultLine.Measurement> measurements = new ArrayList<>();
        ResultLine.Reuse[] reuse = new ResultLine.Reuse[1];
        ChildOutput.Tail stderrTail = new ChildOutput.Tail(STDERR_TAIL_LINES);
        AtomicBoolean started = new AtomicBoolean();
        Process process = null;
        try {
            process = new ProcessBuilder(command).start();
            process.getOutputStream().close(); // the child reads nothing
            Thread stderrReader = ChildOutput.pump(process.getErrorStream(), line -> {
                stderrTail.add(line);
                if (line.contains("warm-up")) {
                    started.set(true);
                    progress.accept(line);
                } else if (line.startsWith("[vtrecycler]")) {
                    progress.accept(line); // the agent's own one-line reports: which mode, what went wrong
                }
            }, "compare-child-output");
            Thread stdoutReader = ChildOutput.pump(process.getInputStream(), line -> {
                ResultLine.parseMeasurement(line).ifPresent(measurements::add);
                ResultLine.parseReuse(line).ifPresent(r -> reuse[0] = r);
                if (line.contains(": iteration ")) {
                    started.set(true);
                    progress.accept(line);
                }
            }, "compare-child-output");
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new RunResult(measurements, reuse[0], started.get(),
                        "timed out after " + timeoutSeconds + " s" + stderrTail.describe(" (stderr empty)"));
            }
            stdoutReader.join(5_000);
            stderrReader.join(5_000);
            int exit = process.exitValue();
            if (exit != 0) {
                return new RunResult(measurements, reuse[0], started.get(), "exit code " + exit + stderrTail.describe(" (stderr empty)"));
            }
            if (measurements.isEmpty()) {
                return new RunResult(measurements, reuse[0], started.get(), "printed no measurement" + stderrTail.describe(" (stderr empty)"));
            }
            return new RunResult(measurements, reuse[0], started.get(), null);
        } catch (IOException e) {
            return new RunResult(measurements, reuse[0], started.get(), "could not start " + command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new RunResult(measurements, reuse[0], started.get(), "interrupted");
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }
}
