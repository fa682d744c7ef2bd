package dev.vtrecycler.demo.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code java -jar vtrecycler-demo.jar} on a JDK older than 21 (the default {@code java} of many
 * machines, this one's and CI's included): one line saying what is needed and how to point at it,
 * exit code 2, no {@code UnsupportedClassVersionError}. The old JDK is {@code VTRECYCLER_OLD_JAVA},
 * else the {@code java} on PATH when it is older than 21, else one under /usr/lib/jvm; skipped
 * without one. The agent jar's own check is in the agent's UnsupportedJdkIT.
 */
class OldJdkLaunchIT {

    @Test
    void anOldJdkGetsOneLineInsteadOfUnsupportedClassVersionError() throws Exception {
        Optional<Path> java = oldJava();
        assumeTrue(java.isPresent(), "no JDK older than 21 found (PATH, /usr/lib/jvm); set VTRECYCLER_OLD_JAVA to run this test");

        Run run = run(java.get(), "-jar", DemoJar.jar().toString(), "compare", "--quick");

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr().lines().toList()).singleElement().asString()
                .startsWith("vtrecycler-demo needs JDK 21 or newer; this is Java ")
                .contains("Run it with a JDK 21+ java");
    }

    @Test
    void aCurrentJdkStillReachesTheDemo() throws Exception {
        Run run = run(Path.of(ProcessHandle.current().info().command().orElseThrow()), "-jar", DemoJar.jar().toString(), "--help");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("compare").contains("service-ab");
    }

    private record Run(int exitCode, String stdout, String stderr) {}

    private static Run run(Path java, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("old-jdk-out", ".txt");
        Path err = Files.createTempFile("old-jdk-err", ".txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            p.getOutputStream().close();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("finished: " + command).isTrue();
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static Optional<Path> oldJava() throws IOException, InterruptedException {
        String env = System.getenv("VTRECYCLER_OLD_JAVA");
        if (env != null) {
            return Optional.of(Path.of(env));
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "java");
            if (Files.isExecutable(candidate) && feature(candidate) < 21) {
                return Optional.of(candidate);
            }
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(jvms)) {
            for (Path java : dirs.map(d -> d.resolve("bin/java")).filter(Files::isExecutable).sorted().toList()) {
                if (feature(java) < 21) {
                    return Optional.of(java);
                }
            }
        }
        return Optional.empty();
    }

    /** The feature release of a java binary, from {@code java -version}'s first line ("openjdk version \"17.0.15\" ..."). */
    private static int feature(Path java) throws IOException, InterruptedException {
        Run run = run(java, "-version");
        String first = run.stderr().lines().findFirst().orElse("");
        Matcher m = Pattern.compile("version \"(1\\.)?(\\d+)").matcher(first);
        return m.find() ? Integer.parseInt(m.group(2)) : Integer.MAX_VALUE;
    }
}
