package dev.vtrecycler.demo.ab;

import dev.vtrecycler.demo.serve.RequestThreads;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The ways {@code service-ab} starts the server: no agent, mode=observe, mode=recycle, and
 * mode=recycle with HotSpot's JVMTI virtual-thread transitions switched off, which shows how much of
 * the agent's cost is the JVMTI tax that any agent brings (see the README's Caveats). With the agent,
 * its metrics endpoint listens on a free loopback port, so the run can read the recycler's counters
 * at its end (one scrape per server JVM, after the last step). {@link #OBSERVE_AGAIN} is an A/A
 * control: mode=observe once more, in its own column, so the report shows what the ratio of two
 * identical configurations looks like on this machine (not in the default set). {@link #SCHEDULE},
 * the allocation-free scheduling alone (no thread pooled, nothing routed), splits what
 * {@code mode=recycle} changes into its two parts (not in the default set either).
 * {@link #RECYCLE_ALWAYS} recycles every routed task ({@code fallback=off}): beside {@code recycle}
 * it shows what the route governor's choices and probes cost or save. {@link #RECYCLE_JDK_WAKEUPS}
 * pools threads but leaves wake-ups to the JDK ({@code wakeups=jdk}): beside {@code recycle} and
 * {@code schedule} it tells the pooling's cost from the wake-up reuse's. {@link #RECYCLE_JDK_TIMERS} leaves
 * timed parks to the JDK's timers ({@code timers=jdk}): beside {@code recycle} it shows what the reusable
 * timeouts (the default) change for a server. {@link #PLATFORM_THREADS}, no
 * agent and the server on its pool of platform threads ({@code serve --threads platform}), is the
 * allocation floor: what a request allocates when no thread is made for it, which no recycling of
 * virtual threads can go below (not in the default set).
 */
public enum ServiceConfig {
    NO_AGENT("no-agent", "no agent", null, List.of()),
    OBSERVE("observe", "mode=observe", "mode=observe", List.of()),
    RECYCLE("recycle", "mode=recycle", "mode=recycle", List.of()),
    RECYCLE_ALWAYS("recycle-always", "recycle, fallback off", "mode=recycle,fallback=off", List.of()),
    RECYCLE_JDK_WAKEUPS("recycle-jdk-wakeups", "recycle, JDK wake-ups", "mode=recycle,wakeups=jdk", List.of()),
    RECYCLE_JDK_TIMERS("recycle-jdk-timers", "recycle, JDK timers", "mode=recycle,timers=jdk", List.of()),
    SCHEDULE("schedule", "mode=schedule", "mode=schedule", List.of()),
    RECYCLE_NO_JVMTI("recycle-jvmti-off", "recycle, JVMTI off", "mode=recycle",
            List.of("-XX:+UnlockExperimentalVMOptions", "-XX:-DoJVMTIVirtualThreadTransitions")),
    OBSERVE_AGAIN("observe-again", "mode=observe, again", "mode=observe", List.of()),
    PLATFORM_THREADS("platform-threads", "platform threads", null, List.of(), RequestThreads.PLATFORM);

    /** What {@code --configs} defaults to: every configuration but the A/A control. */
    public static final List<ServiceConfig> DEFAULT = List.of(NO_AGENT, OBSERVE, RECYCLE, RECYCLE_NO_JVMTI);

    /** The agent's endpoint: any free port, loopback only. */
    static final String ENDPOINT = "port=0,host=127.0.0.1";

    private final String key;
    private final String label;
    private final String agentArguments;
    private final List<String> vmFlags;
    private final RequestThreads threads;

    ServiceConfig(String key, String label, String mode, List<String> vmFlags) {
        this(key, label, mode, vmFlags, RequestThreads.VIRTUAL);
    }

    ServiceConfig(String key, String label, String mode, List<String> vmFlags, RequestThreads threads) {
        this.key = key;
        this.label = label;
        this.agentArguments = mode == null ? null : mode + "," + ENDPOINT;
        this.vmFlags = vmFlags;
        this.threads = threads;
    }

    /** What the server's handlers run on ({@code serve --threads}). */
    public RequestThreads threads() {
        return threads;
    }

    /** The name on the command line ({@code --configs}). */
    public String key() {
        return key;
    }

    /** The column header. */
    public String label() {
        return label;
    }

    public boolean hasAgent() {
        return agentArguments != null;
    }

    public List<String> jvmOptions(Path agentJar) {
        List<String> options = new ArrayList<>(vmFlags);
        if (agentArguments != null) {
            options.add("-javaagent:" + agentJar + "=" + agentArguments);
        }
        return options;
    }

    /**
     * "no-agent,observe,recycle": in the order given, which is the report's column order and the
     * first round's run order; the first is the baseline every other column is compared with.
     */
    public static List<ServiceConfig> parseList(String text) {
        List<ServiceConfig> configs = new ArrayList<>();
        for (String item : text.split(",")) {
            ServiceConfig config = Arrays.stream(values()).filter(c -> c.key.equals(item.trim().toLowerCase(Locale.ROOT)))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException(
                            "must be one or more of " + keys() + " (comma-separated), got '" + item.trim() + "'"));
            if (!configs.contains(config)) {
                configs.add(config);
            }
        }
        return configs;
    }

    public static String keys() {
        return Arrays.stream(values()).map(ServiceConfig::key).collect(Collectors.joining(", "));
    }
}
