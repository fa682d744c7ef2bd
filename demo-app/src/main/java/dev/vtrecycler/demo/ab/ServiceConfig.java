package dev.vtrecycler.demo.ab;

import dev.vtrecycler.demo.compare.AgentConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The four ways {@code service-ab} starts the server: {@code compare}'s three agent configurations,
 * plus mode=recycle with HotSpot's JVMTI virtual-thread transitions switched off, which shows how
 * much of the agent's cost is the JVMTI tax that any agent brings (see the README's Caveats).
 */
public enum ServiceConfig {
    NO_AGENT(AgentConfig.NO_AGENT, "no agent", List.of()),
    OBSERVE(AgentConfig.OBSERVE, "mode=observe", List.of()),
    RECYCLE(AgentConfig.RECYCLE, "mode=recycle", List.of()),
    RECYCLE_NO_JVMTI(AgentConfig.RECYCLE, "recycle, JVMTI off",
            List.of("-XX:+UnlockExperimentalVMOptions", "-XX:-DoJVMTIVirtualThreadTransitions"));

    private final AgentConfig agent;
    private final String label;
    private final List<String> vmFlags;

    ServiceConfig(AgentConfig agent, String label, List<String> vmFlags) {
        this.agent = agent;
        this.label = label;
        this.vmFlags = vmFlags;
    }

    public String label() {
        return label;
    }

    public List<String> jvmOptions(Path agentJar) {
        List<String> options = new ArrayList<>(vmFlags);
        options.addAll(agent.jvmOptions(agentJar));
        return options;
    }
}
