package dev.vtrecycler.bootstrap.context;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Locale;

/**
 * The OpenTelemetry Java agent's context, reached in the boot loader where the agent puts it.
 *
 * <p>Why this and not the agent's executor instrumentation: that instrumentation matches executors by
 * exact class name ({@code java.util.concurrent.ThreadPerTaskExecutor} and a fixed list, plus the
 * user's {@code otel.instrumentation.executors.include}), so it never matches our executor; and
 * whether it would see a class depends on which agent transformed or retransformed it last. Its
 * runtime side is stable and simple instead: at submission it takes {@code Context.current()} and
 * asks {@code ExecutorAdviceHelper.shouldPropagateContext(context, task)} (root context, the agent's
 * ignored task classes, propagation disabled on a carrier); when the task runs it calls
 * {@code context.makeCurrent()} and closes the scope after. We do exactly that, with the same
 * classes, so a recycled task gets what a task of the JDK's executor gets under the same agent.
 *
 * <p>The classes are the agent's relocated copies of the OpenTelemetry context API, on the boot class
 * path since agent 1.0 (2021). The application's own {@code io.opentelemetry.context} API is bridged
 * by the agent onto this same storage, so a span made current by the application is what
 * {@code current()} returns here.
 */
final class OpenTelemetryBridge implements ContextBridge {
    static final String CONTEXT = "io.opentelemetry.javaagent.shaded.io.opentelemetry.context.Context";
    static final String SCOPE = "io.opentelemetry.javaagent.shaded.io.opentelemetry.context.Scope";
    static final String ADVICE_HELPER = "io.opentelemetry.javaagent.bootstrap.executors.ExecutorAdviceHelper";
    /** The agent's premain class, on the system class path for -javaagent and for a dynamic attach. */
    static final String PREMAIN = "io.opentelemetry.javaagent.OpenTelemetryAgent";

    private final String agent;
    private final MethodHandle current;         // ()Object
    private final MethodHandle makeCurrent;     // (Object)Object
    private final MethodHandle shouldPropagate; // (Object,Object)boolean, null on agents without the helper
    private final Object root;

    private OpenTelemetryBridge(String agent, MethodHandle current, MethodHandle makeCurrent,
                                MethodHandle shouldPropagate, Object root) {
        this.agent = agent;
        this.current = current;
        this.makeCurrent = makeCurrent;
        this.shouldPropagate = shouldPropagate;
        this.root = root;
    }

    /**
     * The bridge if the agent's context classes are on the boot class path and its executors
     * instrumentation is not switched off; else null. Loads classes: call off every hot path.
     */
    static OpenTelemetryBridge find() throws Throwable {
        Class<?> context;
        try {
            context = Class.forName(CONTEXT, false, null);
        } catch (ClassNotFoundException absent) {
            return null;
        }
        if (!executorsInstrumentationEnabled()) {
            return null; // the agent would not propagate into the JDK's executor either
        }
        Class<?> scope = Class.forName(SCOPE, false, null);
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        MethodHandle current = lookup.findStatic(context, "current", MethodType.methodType(context))
                .asType(MethodType.methodType(Object.class));
        MethodHandle makeCurrent = lookup.findVirtual(context, "makeCurrent", MethodType.methodType(scope))
                .asType(MethodType.methodType(Object.class, Object.class));
        Object root = lookup.findStatic(context, "root", MethodType.methodType(context)).invoke();
        MethodHandle shouldPropagate = null;
        try {
            shouldPropagate = lookup.findStatic(Class.forName(ADVICE_HELPER, false, null), "shouldPropagateContext",
                            MethodType.methodType(boolean.class, context, Object.class))
                    .asType(MethodType.methodType(boolean.class, Object.class, Object.class));
        } catch (ReflectiveOperationException older) {
            // an agent without the helper: propagate every non-root context, as its advice did
        }
        return new OpenTelemetryBridge(name(), current, makeCurrent, shouldPropagate, root);
    }

    /**
     * {@code otel.instrumentation.executors.enabled}, else {@code otel.instrumentation.common.default-enabled},
     * as system property or environment variable, the way the agent reads them; default true.
     * (A declarative-config file is not read: there the switch is not honoured.)
     */
    static boolean executorsInstrumentationEnabled() {
        return enabled(setting("otel.instrumentation.executors.enabled"),
                setting("otel.instrumentation.common.default-enabled"));
    }

    /**
     * As the agent's config reads booleans: an unset or empty value falls back (the module's own
     * switch to the common default, that one to true); any other value is {@code Boolean.parseBoolean}.
     */
    static boolean enabled(String own, String commonDefault) {
        return flag(own, flag(commonDefault, true));
    }

    private static boolean flag(String value, boolean fallback) {
        return value == null || value.isBlank() ? fallback : Boolean.parseBoolean(value.trim());
    }

    private static String setting(String key) {
        String value = System.getProperty(key);
        if (value == null) {
            value = System.getenv(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
        }
        return value;
    }

    private static String name() {
        String version = null;
        try {
            version = Class.forName(PREMAIN, false, ClassLoader.getSystemClassLoader()).getPackage().getImplementationVersion();
        } catch (ClassNotFoundException | LinkageError | RuntimeException unknown) {
            // the version is only for the startup line
        }
        return "OpenTelemetry Java agent" + (version == null ? "" : " " + version);
    }

    @Override
    public String agent() {
        return agent;
    }

    @Override
    public Object capture(Object task) throws Throwable {
        Object context = current.invokeExact();
        if (shouldPropagate == null) {
            return context != null && context != root ? context : null;
        }
        try {
            return (boolean) shouldPropagate.invokeExact(context, task) ? context : null;
        } catch (NullPointerException initialising) {
            // A dynamically attached agent still starting: its ignored-task predicate is not set yet,
            // so its own executor advice fails the same way (suppressed) and carries nothing either.
            return null;
        }
    }

    @Override
    public Object enter(Object captured) throws Throwable {
        return makeCurrent.invokeExact(captured);
    }

    @Override
    public void exit(Object scope) throws Exception {
        ((AutoCloseable) scope).close(); // the agent's Scope: restores the context current before enter
    }
}
