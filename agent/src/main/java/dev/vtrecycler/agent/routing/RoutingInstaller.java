package dev.vtrecycler.agent.routing;

import dev.vtrecycler.agent.instrument.AdviceErrorHandler;
import dev.vtrecycler.agent.instrument.IgnoreByName;
import dev.vtrecycler.agent.Log;
import dev.vtrecycler.agent.config.AgentConfig;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

import static net.bytebuddy.matcher.ElementMatchers.declaresField;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;
import static net.bytebuddy.matcher.ElementMatchers.takesNoArguments;

/**
 * Sends the JVM's own virtual-thread executors and fire-and-forget virtual-thread starts to the
 * recycler (mode=recycle). Two parts:
 * <ol>
 * <li>Advice on {@code Executors.newThreadPerTaskExecutor(ThreadFactory)} and
 *     {@code newVirtualThreadPerTaskExecutor()}: for the JDK's virtual factory they return the
 *     recycling executor. At the JDK's factory methods, so frameworks that call them (Jetty, Helidon,
 *     Spring; even reflectively) are covered, not only application bytecode.</li>
 * <li>Advice on Spring's {@code SimpleAsyncTaskExecutor.doExecute}, whose thread is made one call away
 *     from its start ({@link SpringAsyncAdvice}).</li>
 * <li>A class-file transformer that rewrites application call sites whose started {@code Thread}
 *     is never kept ({@link DiscardedStartRewriter}), honouring {@code include}/{@code exclude}.</li>
 * </ol>
 * Works for premain and dynamic attach alike: {@code Executors} is retransformed (executors created
 * earlier keep working unchanged), and already-loaded application classes that mention a candidate
 * member are retransformed.
 *
 * <p>Requires the bootstrap classes ({@code dev.vtrecycler.bootstrap.**}) in the boot loader,
 * java.lang opened to the boot unnamed module, and {@code Recycler.install(...)} done first. Never
 * throws: a failure is one stderr line and leaves the application as it was.
 */
public final class RoutingInstaller {
    private static final String ROUTES_CLASS = "dev.vtrecycler.bootstrap.routing.Routes";
    private static final String SPRING_ASYNC_EXECUTOR = "org.springframework.core.task.SimpleAsyncTaskExecutor";

    private final boolean executorsAdvised;
    private final boolean callSitesInstalled;
    private final int retransformedClasses;

    private RoutingInstaller(boolean executorsAdvised, boolean callSitesInstalled, int retransformedClasses) {
        this.executorsAdvised = executorsAdvised;
        this.callSitesInstalled = callSitesInstalled;
        this.retransformedClasses = retransformedClasses;
    }

    public static RoutingInstaller install(Instrumentation inst, AgentConfig config) {
        Class<?> routes;
        try {
            // Through our own loader: with the bootstrap classes in the boot loader, parent-first delegation
            // answers with the boot loader's copy, the one the rewritten code and the advice reach.
            routes = Class.forName(ROUTES_CLASS, true, RoutingInstaller.class.getClassLoader());
        } catch (Throwable e) {
            Log.line("routing not installed: " + e);
            return new RoutingInstaller(false, false, 0);
        }
        boolean executors = adviseExecutors(inst);
        ClassFilter filter = new ClassFilter(config.include(), config.exclude());
        adviseSpringAsync(inst, filter);
        CallSiteTransformer transformer = null;
        int retransformed = 0;
        try {
            transformer = new CallSiteTransformer(filter, routes, (from, to) -> addRead(inst, from, to));
            warmUp(transformer);
            inst.addTransformer(transformer, true);
            retransformed = retransformLoaded(inst, transformer);
        } catch (Throwable e) {
            Log.line("call sites not routed: " + e);
        }
        return new RoutingInstaller(executors, transformer != null, retransformed);
    }

    /** The read edge a named module needs before its rewritten calls can link to the agent's runtime. */
    private static boolean addRead(Instrumentation inst, Module from, Module to) {
        if (!inst.isModifiableModule(from)) {
            return false;
        }
        inst.redefineModule(from, Set.of(to), Map.of(), Map.of(), Set.of(), Map.of());
        return from.canRead(to);
    }

    private static boolean adviseExecutors(Instrumentation inst) {
        try {
            new AgentBuilder.Default()
                    .disableClassFormatChanges()
                    .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                    .with(new AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Explicit(Executors.class))
                    .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                    .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                    .with(new FailureListener())
                    .ignore(IgnoreByName.everyTypeBut("java.util.concurrent.Executors"))
                    .type(named("java.util.concurrent.Executors"))
                    .transform((builder, type, loader, module, domain) -> builder
                            .visit(AdviceErrorHandler.to(ExecutorsAdvice.PerTaskExecutor.class)
                                    .on(named("newThreadPerTaskExecutor").and(takesArguments(ThreadFactory.class))))
                            .visit(AdviceErrorHandler.to(ExecutorsAdvice.VirtualPerTaskExecutor.class)
                                    .on(named("newVirtualThreadPerTaskExecutor").and(takesNoArguments()))))
                    .installOn(inst);
            return true;
        } catch (Throwable e) {
            Log.line("JDK executors not routed: " + e);
            return false;
        }
    }

    /**
     * Spring's {@code SimpleAsyncTaskExecutor} ({@link SpringAsyncAdvice}), wherever it is loaded, unless
     * the filter excludes it. Only a version with the fields the advice reads (Spring 6.1+:
     * {@code virtualThreadDelegate}, {@code activeThreads}) matches; any other is left alone silently.
     */
    private static void adviseSpringAsync(Instrumentation inst, ClassFilter filter) {
        try {
            new AgentBuilder.Default()
                    .disableClassFormatChanges()
                    .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                    .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                    .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                    .with(new FailureListener())
                    .ignore(everyTypeButSpringsExecutor())
                    .type(named(SPRING_ASYNC_EXECUTOR)
                            .and(declaresField(named("virtualThreadDelegate")))
                            .and(declaresField(named("activeThreads")))
                            .and(type -> filter.accepts(type.getInternalName())))
                    .transform((builder, type, loader, module, domain) -> builder
                            .visit(AdviceErrorHandler.to(SpringAsyncAdvice.class)
                                    .on(named("doExecute").and(takesArguments(Runnable.class)))))
                    .installOn(inst);
        } catch (Throwable e) {
            Log.line("Spring's SimpleAsyncTaskExecutor not routed: " + e);
        }
    }

    /** What the Spring transformer leaves alone: every other class, by name ({@link IgnoreByName}). */
    static ElementMatcher<TypeDescription> everyTypeButSpringsExecutor() {
        return IgnoreByName.everyTypeBut(SPRING_ASYNC_EXECUTOR);
    }

    /**
     * Loads the ASM classes the transformer uses now, so that the first real transformation does not
     * load classes while the JVM is in the middle of defining another.
     */
    private static void warmUp(CallSiteTransformer transformer) throws Exception {
        try (InputStream in = RoutingInstaller.class.getResourceAsStream("RoutingInstaller.class")) {
            if (in != null) {
                CallSiteTransformer.rewrite(in.readAllBytes());
            }
        }
        CallSiteTransformer.mentionsMarker(new byte[1]);
    }

    /**
     * Retransforms loaded application classes that can hold a call site: those the filter accepts and
     * whose class file (read through their loader) mentions a candidate member. Reading first keeps a
     * dynamic attach from retransforming (and deoptimizing) every class of a large application.
     */
    private static int retransformLoaded(Instrumentation inst, CallSiteTransformer transformer) {
        List<Class<?>> candidates = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            try {
                if (c.isArray() || c.isPrimitive() || c.isHidden() || !inst.isModifiableClass(c)) {
                    continue;
                }
                ClassLoader loader = c.getClassLoader();
                String internalName = c.getName().replace('.', '/');
                if (!transformer.eligible(loader, internalName)) {
                    continue;
                }
                byte[] bytes;
                try (InputStream in = loader.getResourceAsStream(internalName + ".class")) {
                    if (in == null) {
                        continue;
                    }
                    bytes = in.readAllBytes();
                }
                if (CallSiteTransformer.mentionsMarker(bytes)) {
                    candidates.add(c);
                }
            } catch (Throwable ignore) {
                // a class we cannot read is a class we leave alone
            }
        }
        int done = 0;
        for (Class<?> c : candidates) {
            try {
                inst.retransformClasses(c); // one at a time: a class that fails must not stop the others
                done++;
            } catch (Throwable e) {
                Log.line("could not retransform " + c.getName() + ": " + e);
            }
        }
        return done;
    }

    /** True if the Executors factory methods were advised. */
    public boolean executorsAdvised() {
        return executorsAdvised;
    }

    /** True if the call-site transformer is registered. */
    public boolean callSitesInstalled() {
        return callSitesInstalled;
    }

    /** Already-loaded classes retransformed at install (dynamic attach; usually 0 at premain). */
    public int retransformedClasses() {
        return retransformedClasses;
    }

    /** Errors only: one line each, never a stack trace, never rethrown. */
    private static final class FailureListener extends AgentBuilder.Listener.Adapter {
        @Override
        public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded,
                            Throwable throwable) {
            Log.line("could not advise " + typeName + ": " + throwable);
        }

        @Override
        public void onTransformation(TypeDescription typeDescription, ClassLoader classLoader, JavaModule module,
                                     boolean loaded, DynamicType dynamicType) {
            // success is silent
        }
    }
}
