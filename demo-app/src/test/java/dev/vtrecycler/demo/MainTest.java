package dev.vtrecycler.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Dispatch and exit codes, without starting any workload (every case fails or asks for help). */
class MainTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(new String[] {}, 0, "usage: vtrecycler-demo <subcommand>", ""),
                Arguments.of(new String[] {"--help"}, 0, "subcommands:", ""),
                Arguments.of(new String[] {"sieve", "--help"}, 0, "usage: vtrecycler-demo sieve", ""),
                Arguments.of(new String[] {"compare", "-h"}, 0, "--quick", ""),
                Arguments.of(new String[] {"compare", "--help"}, 0, "mode=observe, mode=recycle and mode=recycle,wakeups=jdk", ""),
                Arguments.of(new String[] {"compare", "--help"}, 0, "\nThe agent jar: -Dvtrecycler.agent.jar=<path> (a JVM option,"
                        + " before -jar), else\nagent/target/vtrecycler-agent.jar beside demo-app/target/ in the same build.\n", ""),
                Arguments.of(new String[] {"service-ab", "--help"}, 0, "\nThe agent jar: -Dvtrecycler.agent.jar=<path> (a JVM option,"
                        + " before -jar), else\nagent/target/vtrecycler-agent.jar beside demo-app/target/ in the same build.\n", ""),
                Arguments.of(new String[] {"frobnicate"}, 2, "",
                        "vtrecycler-demo: unknown subcommand 'frobnicate' (expected one of sieve, ping, serve, compare, service-ab, startup; try --help)"),
                Arguments.of(new String[] {"sieve", "--primes", "many"}, 2, "",
                        "vtrecycler-demo sieve: --primes needs a whole number, got 'many' (try sieve --help)"),
                Arguments.of(new String[] {"ping", "--rounds", "0"}, 2, "",
                        "vtrecycler-demo ping: --rounds must be between 1 and 100000, got 0 (try ping --help)"),
                Arguments.of(new String[] {"serve", "--port", "-1"}, 2, "",
                        "vtrecycler-demo serve: --port must be between 0 and 65535, got -1 (try serve --help)"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void exitCodeAndOutput(String[] args, int exitCode, String stdoutContains, String stderrLine) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).isEqualTo(exitCode);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(stdoutContains);
        String stderr = err.toString(StandardCharsets.UTF_8);
        if (stderrLine.isEmpty()) {
            assertThat(stderr).isEmpty();
        } else {
            assertThat(stderr).isEqualTo(stderrLine + System.lineSeparator());
        }
    }
}
