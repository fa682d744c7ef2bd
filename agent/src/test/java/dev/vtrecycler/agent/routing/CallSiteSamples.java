package dev.vtrecycler.agent.routing;

import java.util.concurrent.ThreadFactory;

/**
 * Call sites as javac compiles them, for {@link DiscardedStartRewriterTest}: the ones named
 * {@code routed*} must be rewritten (7 sites), the ones named {@code kept*} must not.
 */
public final class CallSiteSamples {
    public static final int ROUTED_SITES = 7;

    private CallSiteSamples() {}

    public static void routedStartVirtualThread(Runnable task) {
        Thread.startVirtualThread(task);
    }

    public static void routedOfVirtualStart(Runnable task) {
        Thread.ofVirtual().name("w-", 0).start(task);
    }

    public static void routedBuilderStart(Thread.Builder builder, Runnable task) {
        builder.start(task); // Tomcat's style: an OfVirtual reached through Thread.Builder
    }

    public static void routedFactoryChain(ThreadFactory factory, Runnable task) {
        factory.newThread(task).start();
    }

    public static void routedUnstartedChain(Thread.Builder builder, Runnable task) {
        builder.unstarted(task).start();
    }

    public static void routedOfVirtualUnstartedChain(Thread.Builder.OfVirtual builder, Runnable task) {
        builder.unstarted(task).start();
    }

    public static Runnable routedInLambda(Runnable task) {
        return () -> Thread.startVirtualThread(task);
    }

    public static Thread keptReturned(Runnable task) {
        return Thread.startVirtualThread(task);
    }

    public static Thread keptJoined(Runnable task) throws InterruptedException {
        Thread t = Thread.ofVirtual().start(task);
        t.join();
        return t;
    }

    public static Thread keptFactoryThread(ThreadFactory factory, Runnable task) {
        Thread t = factory.newThread(task);
        t.start();
        return t;
    }

    public static void keptPlatformBuilder(Runnable task) {
        Thread.ofPlatform().start(task); // OfPlatform: never a candidate
    }

    public static String keptUsedInExpression(Runnable task) {
        return Thread.ofVirtual().name("kept").start(task).getName();
    }
}
