package dev.vtrecycler.demo.compare;

import java.nio.file.Path;
import java.util.List;

/**
 * The five ways {@code compare} starts a child JVM. The endpoint is off: nothing scrapes it.
 * {@link #RECYCLE_JDK_WAKEUPS} is thread recycling with the JDK's own wake-up tasks, so the report
 * can split what {@link #RECYCLE} gains into thread recycling and wake-up reuse;
 * {@link #SCHEDULE} is the allocation-free scheduling alone (reusable wake-up and timeout tasks, no
 * thread pooling, no routing).
 */
public enum AgentConfig {
    NO_AGENT("no agent", null),
    OBSERVE("mode=observe", "mode=observe,port=none"),
    RECYCLE("mode=recycle", "mode=recycle,port=none"),
    RECYCLE_JDK_WAKEUPS("mode=recycle,wakeups=jdk", "mode=recycle,wakeups=jdk,port=none"),
    SCHEDULE("mode=schedule", "mode=schedule,port=none");

    private final String label;
    private final String agentArguments;

    AgentConfig(String label, String agentArguments) {
        this.label = label;
        this.agentArguments = agentArguments;
    }

    public String label() {
        return label;
    }

    /** The JVM options that attach the agent (none for {@link #NO_AGENT}). */
    public List<String> jvmOptions(Path agentJar) {
        return agentArguments == null ? List.of() : List.of("-javaagent:" + agentJar + "=" + agentArguments);
    }
}
