package dev.vtrecycler.demo.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the shaded demo jar in a child JVM (the JDK running the tests), with a timeout; killed in finally. */
final class DemoJar {
    record Result(int exitCode, String stdout, String stderr) {
        List<String> stderrLines() {
            return stderr.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    private DemoJar() {}

    static Path jar() {
        Path jar = Paths.get(System.getProperty("vtrecycler.demo.jar", "target/vtrecycler-demo.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("demo jar missing: " + jar + " (run mvn package first)");
        }
        return jar;
    }

    static Result run(long timeoutSeconds, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        String agentJar = System.getProperty("vtrecycler.agent.jar");
        if (agentJar != null) {
            command.add("-Dvtrecycler.agent.jar=" + agentJar);
        }
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(List.of(args));
        Path out = Files.createTempFile("demo-out", ".txt");
        Path err = Files.createTempFile("demo-err", ".txt");
        Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        try {
            process.getOutputStream().close();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new AssertionError("demo " + String.join(" ", args) + " did not finish in " + timeoutSeconds
                        + " s; stderr so far:\n" + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
