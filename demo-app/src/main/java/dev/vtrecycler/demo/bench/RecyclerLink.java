package dev.vtrecycler.demo.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The benchmarks' only way to the recycler: the agent (mode=recycle) puts
 * {@code dev.vtrecycler.bootstrap.recycler.Recycler} on the boot class path and installs it; we
 * look it up there reflectively (the demo has no compile dependency on the agent) and bind
 * {@code Routes.startVirtualThread(Runnable)}: the very method a {@code Thread.startVirtualThread(task);}
 * statement calls once the agent rewrote it, so the benchmarks measure what routed application
 * code pays (no task handle: nobody can see one; see {@code Recycler.execute}).
 *
 * <p>Loaded only by the {@code recycled} arms; a JVM without the recycler fails loudly here instead
 * of silently measuring plain threads twice.
 *
 * <p>Development shortcut: with {@code -Dvtrecycler.bench.selfInstall=true} and
 * {@code -Xbootclasspath/a:agent/target/classes} (plus the add-opens/exports flags) this installs the
 * recycler itself with default settings.
 */
public final class RecyclerLink {
    private RecyclerLink() {}

    /** {@code (Runnable)void}: {@code Routes.startVirtualThread(task)}. */
    static final MethodHandle START = link();

    private static MethodHandle link() {
        try {
            Class<?> recycler = Class.forName("dev.vtrecycler.bootstrap.recycler.Recycler", true, null);
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Object instance = lookup.findStatic(recycler, "get", MethodType.methodType(recycler)).invoke();
            if (instance == null && Boolean.getBoolean("vtrecycler.bench.selfInstall")) {
                Class<?> settings = Class.forName("dev.vtrecycler.bootstrap.recycler.RecyclerSettings", true, null);
                Object defaults = lookup.findStatic(settings, "defaults", MethodType.methodType(settings)).invoke();
                instance = lookup.findStatic(recycler, "install", MethodType.methodType(recycler, settings))
                        .invoke(defaults);
            }
            if (instance == null) {
                throw new IllegalStateException("the recycler is not installed: run the fork with "
                        + "-javaagent:agent/target/vtrecycler-agent.jar=mode=recycle,fallback=off");
            }
            Class<?> routes = Class.forName("dev.vtrecycler.bootstrap.routing.Routes", true, null);
            return lookup.findStatic(routes, "startVirtualThread", MethodType.methodType(void.class, Runnable.class));
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the recycler is not on the boot class path: run the fork with "
                    + "-javaagent:agent/target/vtrecycler-agent.jar=mode=recycle,fallback=off", e);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cannot link to the recycler", t);
        }
    }

    /**
     * JMH state for the {@code recycled} arms only: linking in its trial setup, on the benchmark
     * thread, makes a missing recycler fail the benchmark before the first iteration.
     */
    @org.openjdk.jmh.annotations.State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class Required {
        @org.openjdk.jmh.annotations.Setup(org.openjdk.jmh.annotations.Level.Trial)
        public void link() {
            if (START == null) {
                throw new IllegalStateException("no recycler");
            }
        }
    }

    /** As a routed {@code Thread.startVirtualThread(task);} statement: on the recycler, no handle. */
    static void start(Runnable task) {
        try {
            START.invokeExact(task);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
