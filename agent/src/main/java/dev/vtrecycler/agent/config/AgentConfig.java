package dev.vtrecycler.agent.config;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

/**
 * The agent's settings, immutable, after parsing. {@link ConfigParser} builds it from the agent
 * argument and {@code -Dvtrecycler.*} system properties; {@link Options} is the one table of keys.
 */
public final class AgentConfig {

    /**
     * What the agent does, from most to least: {@code RECYCLE} pools virtual threads, routes tasks to
     * them and schedules without allocating; {@code SCHEDULE} only schedules without allocating
     * (reusable wake-up and timeout tasks: no thread is pooled, nothing is routed); {@code OBSERVE}
     * changes nothing and exports metrics; {@code OFF} is the kill switch: nothing is loaded beyond
     * the parser.
     */
    public enum Mode {
        RECYCLE, SCHEDULE, OBSERVE, OFF;

        /** Whether the allocation-free scheduling (wake-ups, timers) is on in this mode. */
        public boolean schedulesWithoutAllocation() {
            return this == RECYCLE || this == SCHEDULE;
        }

        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * How virtual threads are woken in mode=recycle and mode=schedule (wakeups key), and how their
     * timed parks arm a timeout (timers key): {@code REUSE} queues each thread's one reusable
     * scheduler task (or re-arms its one timeout task), {@code JDK} leaves the JDK's new task per wake-up (or per timed park).
     */
    public enum Wakeups {
        REUSE, JDK;

        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * How the bootstrap runtime gets into the boot loader. {@code DEFINE} (default) defines its classes
     * there directly and keeps class-data sharing; {@code APPEND} appends a jar to the boot class path,
     * the classic way, which makes HotSpot turn sharing off for application classes (an escape hatch,
     * and what DEFINE falls back to when it fails).
     */
    public enum Bootstrap {
        DEFINE, APPEND;

        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Whether routes fall back to fresh threads where recycling measures slower (mode=recycle only).
     * AUTO: the route governor decides per route kind; OFF: every routed task is recycled.
     */
    public enum Fallback {
        AUTO, OFF;

        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Port value meaning "no endpoint". */
    public static final int NO_PORT = -1;

    Mode mode = Mode.RECYCLE;
    String host = "0.0.0.0";
    int port = 9404;
    java.nio.file.Path webConfig = null; // none
    int endpointMaxConnections = 32;
    int endpointMaxConnectionsPerClient = 8;
    Duration endpointRequestTimeout = Duration.ofSeconds(5);
    int endpointAuthQueue = 4;
    boolean jfr = false;
    int localCap = 64;
    long stackLimitBytes = 0; // <= 0: auto
    Duration idleTimeout = Duration.ofSeconds(60);
    List<String> include = List.of();
    List<String> exclude = List.of();
    Wakeups wakeups = Wakeups.REUSE;
    /**
     * Reuse by default where the JDK has the shape (JDK 25; docs/scheduling.md). Where it has not, a
     * default falls back silently and only an explicit {@code timers=reuse} prints why.
     */
    Wakeups timers = Wakeups.REUSE;
    /** Whether {@code timers} was given in the arguments. */
    boolean timersAsked;
    Bootstrap bootstrap = Bootstrap.DEFINE;
    Duration pinnedThreshold = Duration.ofMillis(20);
    int pinnedSites = 10;
    Duration carrierSampling = Duration.ofMillis(50); // null: off
    Duration deadlockCheck = Duration.ofSeconds(10); // null: off
    boolean threadsEndpoint = false;
    Fallback fallback = Fallback.AUTO;

    AgentConfig() {}

    public static AgentConfig defaults() {
        return new AgentConfig();
    }

    public Mode mode() { return mode; }

    /** Address the metrics endpoint binds to. */
    public String host() { return host; }

    /** Port of the metrics endpoint; empty when {@code port=none}. 0 picks a free port. */
    public OptionalInt port() { return port == NO_PORT ? OptionalInt.empty() : OptionalInt.of(port); }

    /**
     * The endpoint's web configuration file (TLS, basic auth), empty for plain HTTP without auth.
     * Only the path is checked here; the file is read when the endpoint starts.
     */
    public java.util.Optional<java.nio.file.Path> webConfig() { return java.util.Optional.ofNullable(webConfig); }

    /** The metrics endpoint's connection cap. */
    public int endpointMaxConnections() { return endpointMaxConnections; }

    /** The metrics endpoint's connection cap per client address (loopback exempt). */
    public int endpointMaxConnectionsPerClient() { return endpointMaxConnectionsPerClient; }

    /** Time a client has to send a whole request to the metrics endpoint (TLS handshake included). */
    public Duration endpointRequestTimeout() { return endpointRequestTimeout; }

    /** bcrypt checks the metrics endpoint admits at once. */
    public int endpointAuthQueue() { return endpointAuthQueue; }

    /** Whether to bind the JFR-based virtual-thread meters (pinned, submit failed). */
    public boolean jfr() { return jfr; }

    /** Per-carrier free-list capacity; spill and refill thresholds are half of it, as in Go. */
    public int localCap() { return localCap; }

    /** Stack gate in bytes; {@code <= 0} means auto (measured at startup). */
    public long stackLimitBytes() { return stackLimitBytes; }

    /** How long a pooled thread may stay idle before it retires. */
    public Duration idleTimeout() { return idleTimeout; }

    /** Package prefixes whose classes get fire-and-forget call sites rewritten; empty = all. */
    public List<String> include() { return include; }

    /** Package prefixes never rewritten (on top of the JDK and the agent itself). */
    public List<String> exclude() { return exclude; }

    /** Wake-up tasks in mode=recycle and mode=schedule (observe never changes them). */
    public Wakeups wakeups() { return wakeups; }

    /** Timeout tasks of timed parks in mode=recycle and mode=schedule; reuse needs wakeups=reuse. */
    public Wakeups timers() { return timers; }
    public boolean timersAsked() { return timersAsked; }
    /** How the bootstrap classes get into the boot loader. */
    public Bootstrap bootstrap() { return bootstrap; }

    /** JFR threshold of {@code jdk.VirtualThreadPinned} (with {@code jfr=true}): shorter pins are not recorded. */
    public Duration pinnedThreshold() { return pinnedThreshold; }

    /** How many distinct pinning sites get a label of their own; later ones count as {@code other}. */
    public int pinnedSites() { return pinnedSites; }

    /** Period of the carrier-utilisation sampler; empty when off. */
    public java.util.Optional<Duration> carrierSampling() { return java.util.Optional.ofNullable(carrierSampling); }

    /** Period of the deadlock check; empty when off. */
    public java.util.Optional<Duration> deadlockCheck() { return java.util.Optional.ofNullable(deadlockCheck); }

    /** Whether the endpoint serves {@code /threads} (off by default: a thread dump shows what the application is doing). */
    public boolean threadsEndpoint() { return threadsEndpoint; }
    /** Whether the route governor may send a route's tasks to fresh threads (mode=recycle only). */
    public Fallback fallback() { return fallback; }

    @Override
    public String toString() {
        return Options.describe(this);
    }
}
