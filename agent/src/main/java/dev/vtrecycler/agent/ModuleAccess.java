package dev.vtrecycler.agent;

import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Set;

/**
 * Grants the bootstrap runtime (the boot loader's unnamed module) and the agent's own module the
 * JDK internals they read: {@code Continuation.pin/unpin}, {@code StackChunk} sizes, a carrier's
 * identity, {@code Thread}'s thread-local maps, the JDK's virtual-thread builder and factory.
 * {@code redefineModule} is the supported way for an agent to do this; it changes nothing else.
 */
final class ModuleAccess {
    private static final Set<String> OPENED = Set.of("java.lang", "java.util.concurrent", "java.util.concurrent.locks", "jdk.internal.vm");
    private static final Set<String> EXPORTED = Set.of("jdk.internal.misc", "jdk.internal.access", "jdk.internal.vm");

    static void grant(Instrumentation inst, Module bootstrapModule) {
        Module javaBase = Object.class.getModule();
        Set<Module> readers = Set.of(bootstrapModule, ModuleAccess.class.getModule());
        Map<String, Set<Module>> opens = new java.util.HashMap<>();
        Map<String, Set<Module>> exports = new java.util.HashMap<>();
        OPENED.forEach(pkg -> opens.put(pkg, readers));
        EXPORTED.forEach(pkg -> exports.put(pkg, readers));
        inst.redefineModule(javaBase, Set.of(), exports, opens, Set.of(), Map.of());
    }

    /**
     * Exports {@code jdk.internal.misc} to the agent alone, before the bootstrap module exists: the
     * agent defines the bootstrap classes with its {@code Unsafe.defineClass} ({@link BootstrapInjector}).
     */
    static void exportInternalsToAgent(Instrumentation inst) {
        inst.redefineModule(Object.class.getModule(), Set.of(),
                Map.of("jdk.internal.misc", Set.of(ModuleAccess.class.getModule())), Map.of(), Set.of(), Map.of());
    }

    private ModuleAccess() {}
}
