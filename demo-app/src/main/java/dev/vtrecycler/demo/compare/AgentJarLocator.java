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
