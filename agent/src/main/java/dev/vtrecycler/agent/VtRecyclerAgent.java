package dev.vtrecycler.agent;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Entry points: {@code premain} ({@code -javaagent}), {@code agentmain} (attach) and {@code main}
 * ({@code java -jar vtrecycler-agent.jar attach|list}).
 *
 * <p>This class is compiled for Java 8 (see the agent pom) and touches nothing else until it has
 * checked the running JDK: on a JVM older than 21 the rest of the agent could not even be loaded
 * (class file version 65), and a premain class that fails to load aborts the host JVM. Here it
 * prints one line and the application runs without the agent.
 *
 * <p>It holds no state and catches everything: no path from here may throw into the host or exit it.
 */
public final class VtRecyclerAgent {
    private static final int MIN_FEATURE = 21;

    public static void premain(String args, Instrumentation inst) {
        start(args, inst, "premain");
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst, "agentmain");
    }

    public static void main(String[] args) throws Exception {
        if (!supportedJdk()) {
            System.err.println("[vtrecycler] the attach tool needs JDK " + MIN_FEATURE + "+; this is Java "
                    + System.getProperty("java.version") + " (" + System.getProperty("java.home") + "). Run it with a JDK "
                    + MIN_FEATURE + "+ java: /path/to/jdk-" + MIN_FEATURE + "/bin/java -jar vtrecycler-agent.jar ...,"
                    + " or $JAVA_HOME/bin/java when JAVA_HOME points at one.");
            System.exit(2); // the standalone tool's own JVM, never a host
        }
        invoke("dev.vtrecycler.agent.attach.AttachCommand", "main", new Class<?>[] {String[].class}, new Object[] {args});
    }

    private static void start(String args, Instrumentation inst, String how) {
        try {
            if (!supportedJdk()) {
                System.err.println("[vtrecycler] disabled: needs JDK " + MIN_FEATURE + " or newer, this is Java "
                        + System.getProperty("java.version") + "; the application runs without the agent");
                return;
            }
            invoke("dev.vtrecycler.agent.AgentStartup", "start",
                    new Class<?>[] {String.class, Instrumentation.class, boolean.class},
                    new Object[] {args, inst, Boolean.valueOf("agentmain".equals(how))});
        } catch (Throwable t) {
            System.err.println("[vtrecycler] disabled: " + how + " failed: " + t);
        }
    }

    private static boolean supportedJdk() {
        String spec = System.getProperty("java.specification.version", "0");
        try {
            return !spec.startsWith("1.") && Integer.parseInt(spec) >= MIN_FEATURE;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static void invoke(String className, String method, Class<?>[] types, Object[] values) throws Exception {
        Method m = Class.forName(className).getMethod(method, types);
        try {
            m.invoke(null, values);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception) {
                throw (Exception) cause;
            }
            throw e;
        }
    }

    private VtRecyclerAgent() {}
}
