package dev.vtrecycler.agent.routing;

import dev.vtrecycler.bootstrap.recycler.Recycler;
import dev.vtrecycler.bootstrap.recycler.RecyclerSettings;
import dev.vtrecycler.bootstrap.routing.RoutingStats;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.utility.OpenedClassReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The peephole on real javac output ({@link CallSiteSamples}): which sites it rewrites, that the
 * result verifies and loads, and that the rewritten sites route to the recycler with the names the
 * builder or factory would have given, while other builders keep their behaviour.
 */
class DiscardedStartRewriterTest {
    private static final String SAMPLES = CallSiteSamples.class.getName();
    private static Class<?> rewritten;

    @BeforeAll
    static void rewriteSamples() throws Exception {
        Recycler.install(RecyclerSettings.defaults());
        byte[] original = classBytes(SAMPLES);
        CallSiteTransformer.Rewrite rewrite = CallSiteTransformer.rewrite(original);
        assertThat(rewrite.sites()).isEqualTo(CallSiteSamples.ROUTED_SITES);
        rewritten = new SingleClassLoader(SAMPLES, rewrite.bytes()).loadClass(SAMPLES);
        assertThat(rewritten.getClassLoader()).isInstanceOf(SingleClassLoader.class);
    }

    static byte[] classBytes(String name) throws Exception {
        try (InputStream in = DiscardedStartRewriterTest.class.getClassLoader()
                .getResourceAsStream(name.replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }

    /** Defines one class from given bytes, everything else parent-first. */
    static final class SingleClassLoader extends ClassLoader {
        private final String name;
        private final byte[] bytes;

        SingleClassLoader(String name, byte[] bytes) {
            super(DiscardedStartRewriterTest.class.getClassLoader());
            this.name = name;
            this.bytes = bytes;
        }

        @Override
        protected Class<?> loadClass(String className, boolean resolve) throws ClassNotFoundException {
            if (className.equals(name)) {
                synchronized (getClassLoadingLock(className)) {
                    Class<?> c = findLoadedClass(className);
                    return c != null ? c : defineClass(className, bytes, 0, bytes.length);
                }
            }
            return super.loadClass(className, resolve);
        }
    }

    /** Per method of the rewritten class: how many Routes calls it holds, lambdas counted as one "lambda". */
    private static Map<String, Integer> routesCallsPerMethod(byte[] bytes) {
        return callsPerMethod(bytes, Set.of(DiscardedStartRewriter.ROUTES),
                name -> name.startsWith("lambda$") ? "lambda" : name);
    }

    /**
     * Per method of a rewritten class (named by {@code methodKey}): how many calls to the classes
     * in {@code owners} it holds. The rewriter only ever adds static calls: anything else fails.
     */
    static Map<String, Integer> callsPerMethod(byte[] bytes, Set<String> owners, UnaryOperator<String> methodKey) {
        Map<String, Integer> calls = new TreeMap<>();
        new ClassReader(bytes).accept(new ClassVisitor(OpenedClassReader.ASM_API) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                return new MethodVisitor(OpenedClassReader.ASM_API) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String mName, String mDesc, boolean itf) {
                        if (owners.contains(owner)) {
                            assertThat(opcode).isEqualTo(Opcodes.INVOKESTATIC);
                            calls.merge(methodKey.apply(name), 1, Integer::sum);
                        }
                    }
                };
            }
        }, 0);
        return calls;
    }

    @Test
    void rewritesExactlyTheDiscardedStartsAndChains() throws Exception {
        Map<String, Integer> calls = routesCallsPerMethod(CallSiteTransformer.rewrite(classBytes(SAMPLES)).bytes());
        assertThat(calls).containsOnlyKeys("routedStartVirtualThread", "routedOfVirtualStart", "routedBuilderStart",
                "routedFactoryChain", "routedUnstartedChain", "routedOfVirtualUnstartedChain", "lambda");
        assertThat(calls.values()).allMatch(n -> n == 1);
    }

    @Test
    void leavesClassesWithoutCandidatesByteIdentical() throws Exception {
        byte[] original = classBytes(DiscardedStartRewriterTest.class.getName() + "$SingleClassLoader");
        CallSiteTransformer.Rewrite rewrite = CallSiteTransformer.rewrite(original);
        assertThat(rewrite.sites()).isZero();
        assertThat(rewrite.bytes()).isSameAs(original);
    }

    private static Object call(String method, Object... args) throws Exception {
        for (Method m : rewritten.getMethods()) {
            if (m.getName().equals(method)) {
                return m.invoke(null, args);
            }
        }
        throw new NoSuchMethodException(method);
    }

    /** Runs a sample that starts a thread and reports the thread the task ran on. */
    private static Thread ranOn(String method, Object... leadingArgs) throws Exception {
        BlockingQueue<Thread> ran = new ArrayBlockingQueue<>(1);
        Runnable task = () -> ran.add(Thread.currentThread());
        Object[] args = new Object[leadingArgs.length + 1];
        System.arraycopy(leadingArgs, 0, args, 0, leadingArgs.length);
        args[leadingArgs.length] = task;
        call(method, args);
        Thread t = ran.poll(60, TimeUnit.SECONDS);
        assertThat(t).as("task of " + method + " ran").isNotNull();
        return t;
    }

    @Test
    void routedSitesReachTheRecyclerWithTheJdkNames() throws Exception {
        long routedBefore = RoutingStats.routedStarts();
        assertThat(ranOn("routedStartVirtualThread").getName()).isEmpty();
        assertThat(ranOn("routedOfVirtualStart").getName()).isEqualTo("w-0");

        Thread.Builder.OfVirtual builder = Thread.ofVirtual().name("b-", 7);
        assertThat(ranOn("routedBuilderStart", builder).getName()).isEqualTo("b-7");
        assertThat(ranOn("routedUnstartedChain", builder).getName()).isEqualTo("b-8");
        assertThat(ranOn("routedOfVirtualUnstartedChain", builder).getName()).isEqualTo("b-9");
        assertThat(builder.unstarted(() -> { }).getName()).as("the builder's counter moved").isEqualTo("b-10");

        ThreadFactory factory = Thread.ofVirtual().name("f-", 0).factory();
        assertThat(ranOn("routedFactoryChain", factory).getName()).isEqualTo("f-0");
        assertThat(factory.newThread(() -> { }).getName()).isEqualTo("f-1");

        assertThat(RoutingStats.routedStarts() - routedBefore).isEqualTo(6);
    }

    @Test
    void otherBuildersAndFactoriesKeepTheirBehaviour() throws Exception {
        long routedBefore = RoutingStats.routedStarts();
        Thread platform = ranOn("routedBuilderStart", Thread.ofPlatform().name("plat"));
        assertThat(platform.isVirtual()).isFalse();
        assertThat(platform.getName()).isEqualTo("plat");
        assertThat(ranOn("routedFactoryChain", Executors.defaultThreadFactory()).isVirtual()).isFalse();
        ThreadFactory wrapped = r -> Thread.ofVirtual().name("wrapped").unstarted(r);
        assertThat(ranOn("routedFactoryChain", wrapped).getName()).isEqualTo("wrapped");
        assertThat(RoutingStats.routedStarts()).isEqualTo(routedBefore);
    }

    @Test
    void keptThreadsAreRealUnsharedThreads() throws Exception {
        List<Thread> threads = new ArrayList<>();
        BlockingQueue<Thread> ran = new ArrayBlockingQueue<>(10);
        Runnable task = () -> ran.add(Thread.currentThread());
        Thread t1 = (Thread) call("keptJoined", task);
        threads.add(ran.poll(60, TimeUnit.SECONDS));
        assertThat(threads.get(0)).isSameAs(t1);
        assertThat(t1.isAlive()).isFalse();
        Thread t2 = (Thread) call("keptReturned", task);
        t2.join();
        assertThat(ran.poll(60, TimeUnit.SECONDS)).isSameAs(t2);
        assertThat(call("keptUsedInExpression", task)).isEqualTo("kept");
        assertThat(ran.poll(60, TimeUnit.SECONDS).getName()).isEqualTo("kept");
    }

    @Test
    void nullTaskFailsLikeTheJdkWithoutDrawingAName() throws Exception {
        Thread.Builder.OfVirtual builder = Thread.ofVirtual().name("n-", 0);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> call("routedBuilderStart", builder, null)))
                .hasCauseInstanceOf(NullPointerException.class);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> call("routedStartVirtualThread", (Object) null)))
                .hasCauseInstanceOf(NullPointerException.class);
        assertThat(builder.unstarted(() -> { }).getName()).isEqualTo("n-0");
    }
}
