package dev.vtrecycler.it.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vtrecycler.it.support.ForkedJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * On a JVM older than 21 the host must still start: one line, no agent. Needs an old JDK beside
 * the build JDK (found in the usual install directory or via VTRECYCLER_OLD_JAVA); skipped without one.
 */
class UnsupportedJdkIT {

    @Test
    void oldJvmRunsTheApplicationWithOneLine() throws Exception {
        Optional<Path> java = oldJava();
        assumeTrue(java.isPresent(), "no JDK older than 21 found; set VTRECYCLER_OLD_JAVA to run this test");
        Path src = Files.createTempDirectory("vtrecycler-old-jdk");
        Files.writeString(src.resolve("Hello.java"), "public class Hello { public static void main(String[] a) { System.out.println(\"hello\"); } }");
        // single-file source launch (Java 11+): no compiler needed
        try (ForkedJvm app = ForkedJvm.exec(List.of(java.get().toString(), ForkedJvm.javaagent("mode=observe"),
                src.resolve("Hello.java").toString()))) {
            assertThat(app.waitFor(Duration.ofSeconds(60))).isZero();
            assertThat(app.stdoutLines()).containsExactly("hello");
            assertThat(app.agentLines()).singleElement().asString()
                    .startsWith("[vtrecycler] disabled: needs JDK 21 or newer, this is Java ");
        }
    }

    @Test
    void oldJvmRunningTheAttachToolGetsOneLineSayingWhatToRun() throws Exception {
        Optional<Path> java = oldJava();
        assumeTrue(java.isPresent(), "no JDK older than 21 found; set VTRECYCLER_OLD_JAVA to run this test");
        try (ForkedJvm tool = ForkedJvm.exec(List.of(java.get().toString(), "-jar", ForkedJvm.agentJar().toString(), "list"))) {
            assertThat(tool.waitFor(Duration.ofSeconds(60))).isEqualTo(2);
            assertThat(tool.stderrLines()).singleElement().asString()
                    .startsWith("[vtrecycler] the attach tool needs JDK 21+; this is Java ")
                    .contains("Run it with a JDK 21+ java");
        }
    }

    private static Optional<Path> oldJava() throws IOException {
        String env = System.getenv("VTRECYCLER_OLD_JAVA");
        if (env != null) {
            return Optional.of(Path.of(env));
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(jvms)) {
            return dirs.filter(d -> d.getFileName().toString().matches(".*-(11|17)(-.*)?"))
                    .map(d -> d.resolve("bin/java"))
                    .filter(Files::isExecutable)
                    .findFirst();
        }
    }
}
