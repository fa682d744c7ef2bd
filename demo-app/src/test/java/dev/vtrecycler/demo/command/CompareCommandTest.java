package dev.vtrecycler.demo.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtrecycler.demo.compare.AgentConfig;
import dev.vtrecycler.demo.compare.Cell;
import dev.vtrecycler.demo.compare.Workload;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The child JVMs compare starts: one per configuration, differing only in the -javaagent option. */
class CompareCommandTest {
    private static final Path JAR = Path.of("agent.jar");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
            "NO_AGENT            | none",
            "OBSERVE             | -javaagent:agent.jar=mode=observe,port=none",
            "RECYCLE             | -javaagent:agent.jar=mode=recycle,port=none",
            "RECYCLE_JDK_WAKEUPS | -javaagent:agent.jar=mode=recycle,wakeups=jdk,port=none",
            "SCHEDULE            | -javaagent:agent.jar=mode=schedule,port=none"})
    void eachConfigurationIsOneAgentOption(AgentConfig config, String agentOption) {
        List<String> command = CompareCommand.childCommand("java", Path.of("demo.jar"), JAR,
                new Cell(Workload.SIEVE, 2, config), CompareCommand.Plan.QUICK, 0, 0);

        List<String> expectedStart = agentOption == null
                ? List.of("java", "-Djdk.virtualThreadScheduler.parallelism=2")
                : List.of("java", agentOption, "-Djdk.virtualThreadScheduler.parallelism=2");
        assertThat(command).startsWith(expectedStart.toArray(String[]::new))
                .containsSequence("-cp", "demo.jar", "dev.vtrecycler.demo.Main", "sieve")
                .endsWith("--machine");
        assertThat(command.stream().filter(a -> a.startsWith("-javaagent"))).hasSize(agentOption == null ? 0 : 1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"NO_AGENT, no agent", "OBSERVE, mode=observe", "RECYCLE, mode=recycle",
            "RECYCLE_JDK_WAKEUPS, 'mode=recycle,wakeups=jdk'", "SCHEDULE, mode=schedule"})
    void progressLinesNameTheConfiguration(AgentConfig config, String label) {
        assertThat(new Cell(Workload.PING, 1, config).describe()).isEqualTo("PingUrl " + label);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"With recycling = mode=recycle", "without = no agent", "'thread recycling only = mode=recycle,wakeups=jdk'",
            "scheduling only = mode=schedule"})
    void headerDefinesEveryColumn(String definition) {
        assertThat(CompareCommand.header(CompareCommand.Plan.QUICK, 0, 2)).contains(definition);
    }
}
