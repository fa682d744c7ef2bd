package dev.vtrecycler.agent.routing;

import dev.vtrecycler.bootstrap.routing.Routes;
import dev.vtrecycler.bootstrap.routing.RoutingStats;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redeploy-style churn: a thousand class loaders each define a class whose call sites the transformer
 * rewrote, then all are dropped. After a full GC every loader must be collected (the transformer keeps
 * none alive), its table must be empty again and {@code vtrecycler_routed_call_sites} back where it
 * started; heap after GC is printed next to the baseline.
 */
class ClassLoaderChurnTest {
    private static final int LOADERS = 1000;
    /** Outside the agent's own packages, which the class filter never rewrites. */
    private static final String SAMPLES = ReflectiveAndLocalSamples.JAVA17_NAME;
    private static final int SITES_PER_CLASS = 4; // 2 reflective + 2 local, see ReflectiveAndLocalStartsTest

    /** A redeployed application: one class, defined from the bytes the transformer returns. */
    private static final class AppLoader extends ClassLoader {
        AppLoader() {
            super(ClassLoaderChurnTest.class.getClassLoader());
        }

        Class<?> define(CallSiteTransformer transformer, byte[] original) {
            byte[] bytes = transformer.transform(this, SAMPLES.replace('.', '/'), null, null, original);
            assertThat(bytes).as("rewritten").isNotNull();
            return defineClass(SAMPLES, bytes, 0, bytes.length);
        }
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void droppedLoadersAreCollectedAndUncounted() throws Exception {
        CallSiteTransformer transformer = new CallSiteTransformer(new ClassFilter(List.of(), List.of()), Routes.class);
        byte[] original = InMemoryJavac.compile(SAMPLES, ReflectiveAndLocalSamples.JAVA17, 21).get(SAMPLES);
        long sitesBefore = RoutingStats.routedCallSites();
        long heapBefore = heapAfterGc();

        List<AppLoader> loaders = new ArrayList<>();
        List<WeakReference<ClassLoader>> gone = new ArrayList<>();
        for (int i = 0; i < LOADERS; i++) {
            AppLoader loader = new AppLoader();
            loader.define(transformer, original);
            loaders.add(loader);
            gone.add(new WeakReference<>(loader));
        }
        assertThat(RoutingStats.routedCallSites() - sitesBefore).isEqualTo((long) LOADERS * SITES_PER_CLASS);
        assertThat(transformer.trackedLoaders()).isEqualTo(LOADERS);

        loaders.clear();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (gone.stream().anyMatch(ref -> ref.get() != null) && System.nanoTime() < deadline) {
            heapAfterGc();
        }
        assertThat(gone).as("every loader collected").allMatch(ref -> ref.get() == null);
        assertThat(transformer.trackedLoaders()).as("table empty again").isZero();
        assertThat(RoutingStats.routedCallSites()).as("sites of dead loaders subtracted")
                .isEqualTo(sitesBefore);
        long heapAfter = heapAfterGc();
        System.out.printf("[churn] heap after GC: %,d bytes before %d loaders, %,d after dropping them%n",
                heapBefore, LOADERS, heapAfter);
        // the loaders and their classes are gone (above); allow for the test's own garbage and JIT
        assertThat(heapAfter).isLessThan(heapBefore + 16L * 1024 * 1024);
    }

    @Test
    void aClassTransformedAgainIsCountedOnce() throws Exception {
        CallSiteTransformer transformer = new CallSiteTransformer(new ClassFilter(List.of(), List.of()), Routes.class);
        byte[] original = InMemoryJavac.compile(SAMPLES, ReflectiveAndLocalSamples.JAVA17, 17).get(SAMPLES);
        long before = RoutingStats.routedCallSites();
        AppLoader loader = new AppLoader();
        Class<?> defined = loader.define(transformer, original);
        // retransformation: the same class of the same loader comes through again
        assertThat(transformer.transform(loader, SAMPLES.replace('.', '/'), defined, null, original)).isNotNull();
        assertThat(RoutingStats.routedCallSites() - before).isEqualTo(SITES_PER_CLASS);
        assertThat(RoutingStats.routedCallSites(RoutingStats.REFLECTIVE) > 0).isTrue();
        assertThat(transformer.trackedLoaders()).isEqualTo(1);
        // a second loader with the same class name is a different class
        new AppLoader().define(transformer, original);
        assertThat(RoutingStats.routedCallSites() - before).isEqualTo(2L * SITES_PER_CLASS);
    }
}
