package dev.vtrecycler.it.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtrecycler.it.apps.JdkProbe;
import dev.vtrecycler.it.support.ForkedJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The forked JVMs run on the JDK that {@code -Dvtrecycler.test.jdk=<JAVA_HOME>} names (CI: a JDK 21),
 * else on the build's toolchain JDK; prints which, so a CI log says what each pass ran on.
 */
class ForkedJdkIT {

    @Test
    void forkedJvmsRunOnTheChosenJdk() throws Exception {
        String chosen = System.getProperty("vtrecycler.test.jdk");
        Path expectedHome = (chosen == null || chosen.isBlank() ? Path.of(System.getProperty("java.home")) : Path.of(chosen))
                .toRealPath();
        try (ForkedJvm jvm = ForkedJvm.start(List.of(ForkedJvm.javaagent("mode=observe,port=none")), JdkProbe.class)) {
            assertThat(jvm.waitFor(Duration.ofSeconds(60))).as(jvm.transcript()).isZero();
            String line = jvm.stdoutLines().stream().filter(l -> l.startsWith("JDK ")).findFirst().orElseThrow();
            System.err.println("[it] forked JVMs run on " + line + (chosen == null ? "" : " (-Dvtrecycler.test.jdk)"));
            Path childHome = Path.of(line.substring(line.indexOf(' ', 4) + 1)).toRealPath();
            assertThat(childHome).isEqualTo(expectedHome);
            assertThat(jvm.agentLines()).as(jvm.transcript()).anyMatch(l -> l.contains("active: mode=observe"));
        }
    }
}
