package dev.vtrecycler.demo.compare;

import dev.vtrecycler.demo.cli.CommandFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Finds the agent jar: {@code -Dvtrecycler.agent.jar=...} first, else where the build puts it
 * beside a demo jar in {@code demo-app/target/} ({@code ../../agent/target/vtrecycler-agent.jar}).
 */
public final class AgentJarLocator {
    static final String PROPERTY = "vtrecycler.agent.jar";

    /** For the help of every command that starts JVMs with the agent: where the jar comes from. */
    public static final String HELP = "The agent jar: -D" + PROPERTY + "=<path> (a JVM option, before -jar), else\n"
            + "agent/target/vtrecycler-agent.jar beside demo-app/target/ in the same build.\n";

    private AgentJarLocator() {}

    public static Path locate(Path demoJar) {
        String configured = System.getProperty(PROPERTY);
        Path candidate = configured != null && !configured.isBlank()
                ? Paths.get(configured)
                : demoJar.toAbsolutePath().getParent().resolve("../../agent/target/vtrecycler-agent.jar");
        candidate = candidate.toAbsolutePath().normalize();
        if (!Files.isRegularFile(candidate)) {
            throw new CommandFailure("agent jar not found at " + candidate
                    + " (build it with 'mvn -B -q package -DskipTests' or pass -D" + PROPERTY + "=<path>)");
        }
        return candidate;
    }
}
