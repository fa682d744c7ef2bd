package dev.vtrecycler.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.vtrecycler.bootstrap.VtHooks;
import java.lang.instrument.Instrumentation;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/**
 * Observes every virtual thread by retransforming {@code java.lang.VirtualThread}.
 *
 * <p>Hooks, and why only these (shared DESIGN §3): the constructor (created), {@code run(Runnable)}
 * (start and end, on the virtual thread) and {@code afterDone}/{@code afterTerminate} (terminated,
 * on the carrier). Never {@code mount}, {@code unmount}, {@code runContinuation},
 * {@code yieldContinuation} or the JVMTI notifications: they run inside mount transitions, where
 * parking, locking or loading a class deadlocks carriers.
 */
public final class VirtualThreadInstrumentation {

    /** What was installed, for the startup line and the self-check. */
    public record Result(boolean observesRun, String notice) {}

    public static Result install(Instrumentation inst) throws Exception {
        // initialize=false: VirtualThread's static initializer creates the default scheduler;
        // the VM has loaded the class already, we must not be the one to initialize it.
        Class<?> virtualThread = Class.forName("java.lang.VirtualThread", false, null);
        VirtualThreadLayout layout = VirtualThreadLayout.detect(virtualThread);
        String countingProblem = VtHooks.preload();

        VirtualThreadRetransformation.apply(inst, virtualThread,
                (DynamicType.Builder<?> builder, TypeDescription type, ClassLoader loader,
                 JavaModule module, java.security.ProtectionDomain pd) -> {
                    DynamicType.Builder<?> b = builder
                            .visit(AdviceErrorHandler.to(VirtualThreadAdvice.Created.class).on(isConstructor()))
                            .visit(AdviceErrorHandler.to(VirtualThreadAdvice.Terminated.class)
                                    .on(named(layout.terminationMethod).and(takesArguments(layout.terminationParameters))));
                    if (layout.hooksRun()) {
                        b = b.visit(AdviceErrorHandler.to(VirtualThreadAdvice.Run.class)
                                .on(named("run").and(takesArguments(Runnable.class))));
                    }
                    return b;
                });

        String notice = layout.hooksRun() ? null
                : "this JDK 21 update (before 21.0.4) enters run(Runnable) before mounting: counting created and "
                        + "terminated virtual threads only (no live gauge, no duration histogram)";
        if (countingProblem != null) {
            String slower = "counting on shared atomic stripes instead of per-carrier cells (" + countingProblem + ")";
            notice = notice == null ? slower : notice + "; " + slower;
        }
        return new Result(layout.hooksRun(), notice);
    }

    /**
     * Starts and joins one virtual thread and checks the hooks saw it. Returns null when they did,
     * else what is wrong (printed as one warning line).
     */
    public static String selfCheck(Result result) throws InterruptedException {
        long created = VtHooks.CREATED.sum();
        long terminated = VtHooks.TERMINATED.sum();
        long ended = VtHooks.ended();
        Thread probe = Thread.ofVirtual().name("vtrecycler-self-check").start(() -> { });
        probe.join();
        // afterDone runs on the carrier after the thread counts as terminated for join(): allow it a moment.
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (VtHooks.TERMINATED.sum() == terminated && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        StringBuilder missing = new StringBuilder();
        if (VtHooks.CREATED.sum() == created) missing.append(" created");
        if (result.observesRun() && VtHooks.ended() == ended) missing.append(" run");
        if (VtHooks.TERMINATED.sum() == terminated) missing.append(" terminated");
        return missing.length() == 0 ? null : "self-check: a virtual thread started after install was not seen by hooks:" + missing;
    }

    private VirtualThreadInstrumentation() {}
}
