package dev.vtrecycler.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.is;

import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.utility.JavaModule;

/**
 * The one way this agent retransforms {@code java.lang.VirtualThread}: the observation hooks
 * ({@link VirtualThreadInstrumentation}) and the reusable wake-up task ({@link WakeupInstrumentation})
 * each run it once with their own transformer, so the two retransformations chain.
 */
final class VirtualThreadRetransformation {

    /**
     * Retransforms {@code virtualThread} with {@code transformer}; throws when Byte Buddy reports an
     * error for it (the listener collects errors that {@code installOn} would otherwise swallow).
     */
    static void apply(Instrumentation inst, Class<?> virtualThread, AgentBuilder.Transformer transformer) {
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        AgentBuilder.Listener listener = new AgentBuilder.Listener.Adapter() {
            @Override
            public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable t) {
                errors.add(t);
            }
        };

        new AgentBuilder.Default()
                // The class is loaded before any agent, and retransformation may not change its
                // shape: advice and substitutions are inlined, nothing added.
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                // Only this one, already loaded class: no scan of every loaded class.
                .with(new AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Explicit(virtualThread))
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(listener)
                // Byte Buddy ignores boot-loader classes by default; this instrumentation is about
                // exactly one of them (OpenTelemetry once shipped a VirtualThread fix that never ran
                // because of that default).
                .ignore(IgnoreByName.everyTypeBut(virtualThread.getName()))
                .type(is(virtualThread))
                .transform(transformer)
                .installOn(inst);

        if (!errors.isEmpty()) {
            throw new IllegalStateException("retransforming java.lang.VirtualThread failed: " + errors.get(0), errors.get(0));
        }
    }

    private VirtualThreadRetransformation() {}
}
