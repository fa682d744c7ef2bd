package dev.vtrecycler.it.frameworks;

import dev.vtrecycler.it.support.ForkedJvm;
import dev.vtrecycler.it.support.JvmtiFlag;

import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Forked JVMs for the framework tests: test classes plus the real libraries (test-scoped Maven
 * dependencies), never the agent's own classes (they come from its jar and the boot loader).
 * Every fork verifies every class ({@code -Xverify:all}), so a broken stack map frame in a rewritten
 * library class fails the test.
 */
final class FrameworkForks {
    static final Duration TIMEOUT = Duration.ofMinutes(3);
    /** Jar path fragments of the libraries the forked programs use. */
    private static final List<String> LIBRARIES = List.of("/tomcat", "/springframework/", "/commons-logging/",
            "/eclipse/jetty/", "/slf4j/", "/helidon/", "/assertj-core/");

    private FrameworkForks() {}

    static String classPath() {
        return ForkedJvm.testClassPath(p -> LIBRARIES.stream().anyMatch(lib -> p.replace(File.separatorChar, '/').contains(lib)));
    }

    /** JVM options: -Xverify:all, and the agent in recycle mode unless {@code agent} is false. */
    static List<String> options(boolean agent, String... extra) {
        return options(agent, JvmtiFlag.TRANSITIONS_ON, extra);
    }

    /** As {@link #options(boolean, String...)}, with HotSpot's JVMTI virtual-thread transitions as {@code jvmti} says. */
    static List<String> options(boolean agent, JvmtiFlag jvmti, String... extra) {
        return options(agent ? "mode=recycle,port=none" : null, jvmti, extra);
    }

    /** As {@link #options(boolean, JvmtiFlag, String...)}, the agent with {@code agentArgs} (null: no agent). */
    static List<String> options(String agentArgs, JvmtiFlag jvmti, String... extra) {
        List<String> options = new ArrayList<>(List.of("-Xverify:all", "-XX:+EnableDynamicAgentLoading"));
        options.addAll(jvmti.jvmOptions());
        if (agentArgs != null) {
            options.add(ForkedJvm.javaagent(agentArgs));
        }
        options.addAll(List.of(extra));
        return options;
    }

    static ForkedJvm start(List<String> options, Class<?> main, String... args) throws Exception {
        return ForkedJvm.start(ForkedJvm.javaLauncher(), options, classPath(), main, args);
    }

    /** A started {@link ServerMain} and the port it listens on. */
    record Served(ForkedJvm jvm, int port) implements AutoCloseable {
        @Override
        public void close() {
            jvm.close();
        }
    }

    /** Starts {@link ServerMain}; returns once it printed its port. */
    static Served server(boolean agent, String server, boolean track) throws Exception {
        return server(agent, JvmtiFlag.TRANSITIONS_ON, server, track);
    }

    static Served server(boolean agent, JvmtiFlag jvmti, String server, boolean track) throws Exception {
        ForkedJvm jvm = start(options(agent, jvmti), ServerMain.class, server, track ? "track" : "-");
        String line;
        do {
            line = jvm.readLine(TIMEOUT);
        } while (!line.startsWith("PORT "));
        return new Served(jvm, Integer.parseInt(line.substring(5).trim()));
    }

    /** Asks a {@link ServerMain} for its counters. */
    static Map<String, Long> stats(ForkedJvm jvm) throws Exception {
        jvm.send("STATS");
        String line;
        do {
            line = jvm.readLine(TIMEOUT);
        } while (!line.startsWith("STATS "));
        Map<String, Long> stats = new HashMap<>();
        for (String pair : line.substring(6).split(" ")) {
            int eq = pair.indexOf('=');
            stats.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
        }
        return stats;
    }
}
