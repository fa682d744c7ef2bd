package dev.vtrecycler.agent.recycler;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;
import static net.bytebuddy.matcher.ElementMatchers.takesNoArguments;

import dev.vtrecycler.agent.instrument.AdviceErrorHandler;
import dev.vtrecycler.agent.instrument.IgnoreByName;
import dev.vtrecycler.bootstrap.recycler.PooledThreads;
import java.lang.instrument.Instrumentation;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.utility.JavaModule;

/**
 * Retransforms {@code java.lang.Thread} ({@code isAlive}, {@code getState}, the three timed and
 * untimed {@code join}s that do the waiting: {@code join()} calls {@code join(0)}) and
 * {@code java.lang.VirtualThread.interrupt()} with {@link PooledThreadAdvice}. Both classes are
 * loaded before any agent, so only inlined advice works. None of these methods runs in a mount
 * transition; the advice only reads a map and a state word, and {@link PooledThreads#preload()}
 * links everything it reaches before the advice goes in.
 *
 * <p>Installed after the recycler measured its idle stack (that measurement reads a pooled
 * thread's real {@code getState()}).
 */
public final class PooledThreadInstrumentation {
    private PooledThreadInstrumentation() {}

    /** Returns null when installed, else what failed (one line for the caller to print). */
    public static String install(Instrumentation inst) {
        try {
            PooledThreads.preload();
            Class<?> virtualThread = Class.forName("java.lang.VirtualThread", false, null);
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            new AgentBuilder.Default()
                    .disableClassFormatChanges()
                    .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                    .with(new AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Explicit(Thread.class, virtualThread))
                    .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                    .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                    .with(new AgentBuilder.Listener.Adapter() {
                        @Override
                        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded,
                                            Throwable t) {
                            errors.add(t);
                        }
                    })
                    .ignore(IgnoreByName.everyTypeBut("java.lang.Thread", "java.lang.VirtualThread"))
                    .type(named("java.lang.Thread"))
                    .transform((builder, type, loader, module, domain) -> builder
                            .visit(AdviceErrorHandler.to(PooledThreadAdvice.IsAlive.class)
                                    .on(named("isAlive").and(takesNoArguments())))
                            .visit(AdviceErrorHandler.to(PooledThreadAdvice.GetState.class)
                                    .on(named("getState").and(takesNoArguments()).and(isPublic())))
                            .visit(AdviceErrorHandler.to(PooledThreadAdvice.JoinMillis.class)
                                    .on(named("join").and(takesArguments(long.class))))
                            .visit(AdviceErrorHandler.to(PooledThreadAdvice.JoinMillisNanos.class)
                                    .on(named("join").and(takesArguments(long.class, int.class))))
                            .visit(AdviceErrorHandler.to(PooledThreadAdvice.JoinDuration.class)
                                    .on(named("join").and(takesArguments(Duration.class)))))
                    .type(named("java.lang.VirtualThread"))
                    .transform((builder, type, loader, module, domain) -> builder
                            .visit(AdviceErrorHandler.to(PooledThreadAdvice.Interrupt.class)
                                    .on(named("interrupt").and(takesNoArguments()))))
                    .installOn(inst);
            return errors.isEmpty() ? null : errors.get(0).toString();
        } catch (Throwable t) {
            return t.toString();
        }
    }
}
