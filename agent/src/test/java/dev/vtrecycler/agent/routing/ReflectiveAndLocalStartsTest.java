package dev.vtrecycler.agent.routing;

import dev.vtrecycler.bootstrap.recycler.Recycler;
import dev.vtrecycler.bootstrap.recycler.RecyclerSettings;
import dev.vtrecycler.bootstrap.routing.RoutingStats;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two shapes real servers use ({@link ReflectiveAndLocalSamples}, compiled by javac for Java 17
 * and 21): which sites are rewritten and which are left alone, that the rewritten classes verify
 * (classes of a custom loader are always verified), and that a rewritten reflective site behaves
 * exactly as the original for every Method and every bad argument, side by side with the original.
 */
class ReflectiveAndLocalStartsTest {

    @BeforeAll
    static void installRecycler() {
        Recycler.install(RecyclerSettings.defaults());
    }

    /** The original and the rewritten class, each in its own loader. */
    private record Pair(Class<?> original, Class<?> rewritten, Map<String, Integer> sitesPerMethod, int[] byKind) {}

    private static Pair compileAndRewrite(String name, String source, int release) throws Exception {
        byte[] original = InMemoryJavac.compile(name, source, release).get(name);
        CallSiteTransformer.Rewrite rewrite = CallSiteTransformer.rewrite(original);
        Class<?> plain = new DiscardedStartRewriterTest.SingleClassLoader(name, original).loadClass(name);
        Class<?> rewritten = new DiscardedStartRewriterTest.SingleClassLoader(name, rewrite.bytes()).loadClass(name);
        // force verification and initialisation now, not at first call
        Class.forName(name, true, rewritten.getClassLoader());
        return new Pair(plain, rewritten, DiscardedStartRewriterTest.callsPerMethod(rewrite.bytes(),
                Set.of(DiscardedStartRewriter.ROUTES, DiscardedStartRewriter.REFLECTIVE_ROUTES), UnaryOperator.identity()), rewrite.sitesByKind());
    }

    private static Object call(Class<?> c, String method, Object... args) throws Throwable {
        for (Method m : c.getMethods()) {
            if (m.getName().equals(method)) {
                try {
                    return m.invoke(null, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
        }
        throw new NoSuchMethodException(method);
    }

    /** What a call did: its result or its exception, and the exception's cause chain, as comparable text. */
    private static String outcome(Class<?> c, String method, Object... args) {
        try {
            return "returned " + call(c, method, args);
        } catch (Throwable e) {
            StringBuilder text = new StringBuilder("threw");
            for (Throwable t = e; t != null; t = t.getCause()) {
                text.append(' ').append(t.getClass().getName());
            }
            return text.toString();
        }
    }

    private static Thread ranOn(Class<?> c, String method, Object... leadingArgs) throws Throwable {
        BlockingQueue<Thread> ran = new ArrayBlockingQueue<>(1);
        Object[] args = new Object[leadingArgs.length + 1];
        System.arraycopy(leadingArgs, 0, args, 0, leadingArgs.length);
        args[leadingArgs.length] = (Runnable) () -> ran.add(Thread.currentThread());
        call(c, method, args);
        Thread t = ran.poll(60, TimeUnit.SECONDS);
        assertThat(t).as("task of " + method + " ran").isNotNull();
        return t;
    }

    @ParameterizedTest(name = "javac --release {0}")
    @ValueSource(ints = {17, 21})
    void java17ShapesRewriteExactlyTheRoutedMethods(int release) throws Exception {
        Pair pair = compileAndRewrite(ReflectiveAndLocalSamples.JAVA17_NAME, ReflectiveAndLocalSamples.JAVA17, release);
        // the reflective rewrite covers every discarded invoke of a class that mentions a virtual-thread start
        assertThat(pair.sitesPerMethod()).containsOnlyKeys("routedReflectiveStart", "routedReflectiveInvoke",
                "routedLocalFactory", "routedLocalInLoopBody");
        assertThat(pair.byKind()[RoutingStats.REFLECTIVE]).isEqualTo(2);
        assertThat(pair.byKind()[RoutingStats.LOCAL]).isEqualTo(2);
        assertThat(pair.byKind()[RoutingStats.DIRECT]).isZero();
    }

    @ParameterizedTest(name = "javac --release {0}")
    @ValueSource(ints = {21})
    void java21BuilderLocalsAreRewrittenAndSlotReuseIsLeftAlone(int release) throws Throwable {
        Pair pair = compileAndRewrite(ReflectiveAndLocalSamples.JAVA21_NAME, ReflectiveAndLocalSamples.JAVA21, release);
        assertThat(pair.sitesPerMethod()).containsOnlyKeys("routedLocalUnstarted", "routedLocalOfVirtual");
        assertThat(pair.byKind()[RoutingStats.LOCAL]).isEqualTo(2);

        long before = RoutingStats.routedStarts();
        Thread.Builder.OfVirtual builder = Thread.ofVirtual().name("u-", 0);
        assertThat(ranOn(pair.rewritten(), "routedLocalUnstarted", builder).getName()).isEqualTo("u-0");
        assertThat(builder.unstarted(() -> { }).getName()).as("the builder's counter moved once").isEqualTo("u-1");
        assertThat(ranOn(pair.rewritten(), "routedLocalOfVirtual").getName()).isEqualTo("local-0");
        assertThat(RoutingStats.routedStarts() - before).isEqualTo(2);
        // a platform builder keeps its own thread
        Thread platform = ranOn(pair.rewritten(), "routedLocalUnstarted", Thread.ofPlatform().name("p"));
        assertThat(platform.isVirtual()).isFalse();
    }

    @ParameterizedTest(name = "javac --release {0}")
    @ValueSource(ints = {17, 21})
    void reflectiveStartOfAJdkVirtualBuilderRoutesWithTheBuildersName(int release) throws Throwable {
        Pair pair = compileAndRewrite(ReflectiveAndLocalSamples.JAVA17_NAME, ReflectiveAndLocalSamples.JAVA17, release);
        long before = RoutingStats.routedStarts();
        Thread.Builder.OfVirtual builder = Thread.ofVirtual().name("tomcat-", 5);
        Thread ran = ranOn(pair.rewritten(), "routedReflectiveStart", builder);
        assertThat(ran.isVirtual()).isTrue();
        assertThat(ran.getName()).isEqualTo("tomcat-5");
        assertThat(builder.unstarted(() -> { }).getName()).isEqualTo("tomcat-6");

        Method startVirtual = (Method) pair.rewritten().getField("START_VIRTUAL").get(null);
        BlockingQueue<Thread> ranVt = new ArrayBlockingQueue<>(1);
        call(pair.rewritten(), "routedReflectiveInvoke", startVirtual, "ignored target",
                new Object[] {(Runnable) () -> ranVt.add(Thread.currentThread())});
        assertThat(Objects.requireNonNull(ranVt.poll(60, TimeUnit.SECONDS)).getName()).isEmpty();
        assertThat(RoutingStats.routedStarts() - before).isEqualTo(2);

        ThreadFactory factory = Thread.ofVirtual().name("f-", 0).factory();
        assertThat(ranOn(pair.rewritten(), "routedLocalFactory", factory).getName()).isEqualTo("f-0");
        assertThat(RoutingStats.routedStarts() - before).isEqualTo(3);
    }

    @ParameterizedTest(name = "javac --release {0}")
    @ValueSource(ints = {17, 21})
    void everyOtherReflectiveCallBehavesExactlyAsTheOriginal(int release) throws Throwable {
        Pair pair = compileAndRewrite(ReflectiveAndLocalSamples.JAVA17_NAME, ReflectiveAndLocalSamples.JAVA17, release);
        Method start = (Method) pair.rewritten().getField("START").get(null);
        Method startVirtual = (Method) pair.rewritten().getField("START_VIRTUAL").get(null);
        Method add = List.class.getMethod("add", Object.class);
        Runnable nothing = () -> { };
        // {method, target, args}: bad receivers, bad arguments, a thread start that must not route, another Method
        Object[][] cases = {
                {start, null, new Object[] {nothing}},                          // NPE, not wrapped
                {start, "not a builder", new Object[] {nothing}},               // IllegalArgumentException
                {start, Thread.ofVirtual(), new Object[] {null}},               // ITE(NPE) from start(null)
                {start, Thread.ofVirtual(), new Object[] {"not a Runnable"}},   // IllegalArgumentException
                {start, Thread.ofVirtual(), new Object[0]},                     // wrong argument count
                {start, Thread.ofVirtual(), null},                              // null args: wrong count
                {startVirtual, null, new Object[] {null}},                      // ITE(NPE)
                {startVirtual, null, new Object[] {nothing, nothing}},          // wrong argument count
                {add, new ArrayList<>(), new Object[] {"x"}},                   // not a start: invoked as is
                {add, List.of(), new Object[] {"x"}},                           // ITE(UnsupportedOperationException)
                {null, null, new Object[] {nothing}},                           // NPE
        };
        long before = RoutingStats.routedStarts();
        for (Object[] c : cases) {
            assertThat(outcome(pair.rewritten(), "routedReflectiveInvoke", c))
                    .as("m=%s target=%s", c[0], c[1])
                    .isEqualTo(outcome(pair.original(), "routedReflectiveInvoke", c));
        }
        // Tomcat's own catch clause sees the same exceptions
        assertThat(outcome(pair.rewritten(), "routedReflectiveStart", "not a builder", nothing))
                .isEqualTo(outcome(pair.original(), "routedReflectiveStart", "not a builder", nothing))
                .startsWith("threw java.lang.UnsupportedOperationException java.lang.IllegalArgumentException");
        assertThat(RoutingStats.routedStarts()).as("nothing routed").isEqualTo(before);
    }

    @ParameterizedTest(name = "javac --release {0}")
    @ValueSource(ints = {17, 21})
    void theSitesOwnClassStaysTheCallerOfMethodInvoke(int release) throws Throwable {
        Pair pair = compileAndRewrite(ReflectiveAndLocalSamples.JAVA17_NAME, ReflectiveAndLocalSamples.JAVA17, release);
        Method secret = (Method) call(pair.rewritten(), "secretMethod");
        List<String> sink = new ArrayList<>();
        // a package-private method: only the sample class itself may invoke it (no setAccessible)
        call(pair.rewritten(), "routedReflectiveInvoke", secret, null, new Object[] {sink});
        assertThat(sink).containsExactly("secret");
    }

    @ParameterizedTest(name = "javac --release {0}")
    @ValueSource(ints = {17, 21})
    void keptLocalsStillGetTheirOwnThreads(int release) throws Throwable {
        Pair pair = compileAndRewrite(ReflectiveAndLocalSamples.JAVA17_NAME, ReflectiveAndLocalSamples.JAVA17, release);
        ThreadFactory factory = Thread.ofVirtual().name("k-", 0).factory();
        long before = RoutingStats.routedStarts();
        BlockingQueue<Thread> ran = new ArrayBlockingQueue<>(1);
        Thread t = (Thread) call(pair.rewritten(), "keptLocalReadAgain", factory, (Runnable) () -> ran.add(Thread.currentThread()));
        assertThat(ran.poll(60, TimeUnit.SECONDS)).isSameAs(t);
        t.join();
        List<Thread> sink = new ArrayList<>();
        call(pair.rewritten(), "keptLocalPassedOn", factory, (Runnable) () -> { }, sink);
        assertThat(sink).hasSize(1);
        sink.get(0).join();
        assertThat(RoutingStats.routedStarts()).isEqualTo(before);
    }
}
