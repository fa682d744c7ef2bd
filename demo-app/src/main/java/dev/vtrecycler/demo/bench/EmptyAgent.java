package dev.vtrecycler.demo.bench;

import java.lang.instrument.Instrumentation;

/**
 * A {@code -javaagent} that does nothing: the floor any agent stands on. Loading any agent creates
 * a JVMTI environment, and HotSpot then sends every virtual-thread mount and unmount through its
 * JVMTI transition path; {@link ObservationFloor} compares {@code mode=observe} against this, so
 * the difference is the observation hooks alone.
 */
public final class EmptyAgent {
    private EmptyAgent() {}

    public static void premain(String args, Instrumentation inst) {
        // nothing, on purpose
    }
}
