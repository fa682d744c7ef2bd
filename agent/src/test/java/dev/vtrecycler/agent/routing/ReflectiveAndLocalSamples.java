package dev.vtrecycler.agent.routing;

/**
 * Sources of the reflective and local-variable call sites for {@link ReflectiveAndLocalStartsTest},
 * compiled at test time for a given {@code --release} ({@link InMemoryJavac}). Methods named
 * {@code routed*} must be rewritten, {@code kept*} must not.
 */
final class ReflectiveAndLocalSamples {
    private ReflectiveAndLocalSamples() {}

    static final String JAVA17_NAME = "samples.Java17Starts";

    /** Compiles for Java 17: no Thread.Builder in the source, as Tomcat 11 and Spring 7 are written. */
    static final String JAVA17 = """
            package samples;

            import java.lang.reflect.Method;
            import java.util.List;
            import java.util.concurrent.ThreadFactory;

            public final class Java17Starts {
                public static final Method START;           // Thread.Builder.start(Runnable), as Tomcat's Jre21Compat finds it
                public static final Method START_VIRTUAL;   // Thread.startVirtualThread(Runnable)
                public static Thread field;

                static {
                    try {
                        START = Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class);
                        START_VIRTUAL = Thread.class.getMethod("startVirtualThread", Runnable.class);
                    } catch (ReflectiveOperationException e) {
                        throw new ExceptionInInitializerError(e);
                    }
                }

                // Tomcat 11.0.27 Jre21Compat.threadBuilderStart, statement for statement
                public static void routedReflectiveStart(Object builder, Runnable task) {
                    try {
                        START.invoke(builder, task);
                    } catch (IllegalAccessException | IllegalArgumentException | java.lang.reflect.InvocationTargetException e) {
                        throw new UnsupportedOperationException(e);
                    }
                }

                public static void routedReflectiveInvoke(Method m, Object target, Object[] args) throws Exception {
                    m.invoke(target, args);
                }

                public static Object keptInvokeResult(Method m, Object target, Object[] args) throws Exception {
                    return m.invoke(target, args);
                }

                /** Package-private: only this class may invoke it reflectively without setAccessible. */
                static void secret(List<String> sink) {
                    sink.add("secret");
                }

                public static Method secretMethod() throws NoSuchMethodException {
                    return Java17Starts.class.getDeclaredMethod("secret", List.class);
                }

                public static void routedLocalFactory(ThreadFactory factory, Runnable task) {
                    Thread t = factory.newThread(task);
                    t.start();
                }

                public static void routedLocalInLoopBody(ThreadFactory factory, Runnable task, int n) {
                    for (int i = 0; i < n; i++) {
                        Thread t = factory.newThread(task);
                        t.start();
                    }
                }

                public static Thread keptLocalReadAgain(ThreadFactory factory, Runnable task) {
                    Thread t = factory.newThread(task);
                    t.start();
                    return t;
                }

                public static void keptLocalStoredInField(ThreadFactory factory, Runnable task) {
                    Thread t = factory.newThread(task);
                    t.start();
                    field = t;
                }

                public static void keptLocalPassedOn(ThreadFactory factory, Runnable task, List<Thread> sink) {
                    Thread t = factory.newThread(task);
                    t.start();
                    sink.add(t);
                }

                public static void keptLocalInHandler(ThreadFactory factory, Runnable task) {
                    Thread t = factory.newThread(task);
                    try {
                        t.start();
                    } catch (IllegalThreadStateException e) {
                        field = t;
                    }
                }

                public static void keptLocalReassignedInLoop(ThreadFactory factory, Runnable task, int n) {
                    Thread t = factory.newThread(task);
                    for (int i = 0; i < n; i++) {
                        t.start();
                        t = factory.newThread(task);
                    }
                }

                public static void keptLocalCapturedByLambda(ThreadFactory factory, Runnable task, List<Runnable> sink) {
                    Thread t = factory.newThread(task);
                    t.start();
                    sink.add(() -> t.interrupt());
                }

                public static void keptLocalNamedBeforeStart(ThreadFactory factory, Runnable task) {
                    Thread t = factory.newThread(task);
                    t.setName("renamed");
                    t.start();
                }
            }
            """;

    static final String JAVA21_NAME = "samples.Java21Starts";

    /** Compiles for Java 21: the builder shapes of the local-variable form. */
    static final String JAVA21 = """
            package samples;

            import java.util.List;

            public final class Java21Starts {
                public static void routedLocalUnstarted(Thread.Builder builder, Runnable task) {
                    Thread t = builder.unstarted(task);
                    t.start();
                }

                public static void routedLocalOfVirtual(Runnable task) {
                    Thread t = Thread.ofVirtual().name("local-", 0).unstarted(task);
                    t.start();
                }

                public static void keptLocalJoined(Thread.Builder builder, Runnable task) throws InterruptedException {
                    Thread t = builder.unstarted(task);
                    t.start();
                    t.join();
                }

                public static void keptSlotReused(Thread.Builder builder, Runnable task, List<Object> sink) {
                    {
                        Thread t = builder.unstarted(task);
                        t.start();
                    }
                    {
                        Object other = "other";
                        sink.add(other);
                    }
                }
            }
            """;
}
