package dev.vtrecycler.agent;

import dev.vtrecycler.bootstrap.context.ApmAgents;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;

/**
 * Tells {@link ApmAgents} when a class of a known APM agent is loaded, so an agent that starts after
 * ours (a later {@code -javaagent}, or a dynamic attach) is noticed without any clock or polling on
 * the submission path. Transforms nothing; a prefix test per class load.
 */
final class ApmAgentWatcher implements ClassFileTransformer {

    static void install(Instrumentation inst) {
        inst.addTransformer(new ApmAgentWatcher(), false);
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        if (className != null && classBeingRedefined == null) {
            try {
                ApmAgents.classLoading(className);
            } catch (Throwable ignored) {
                // never into class loading; it only sets flags
            }
        }
        return null;
    }
}
