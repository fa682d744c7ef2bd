package dev.vtrecycler.agent.instrument;

import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Which {@code java.lang.VirtualThread} we are looking at. JDK 21 update releases differ (see
 * shared notes, jdk-internals §1.3): 21.0.4 moved mount/unmount out of {@code run(Runnable)} and
 * renamed {@code afterTerminate(boolean, boolean)} to {@code afterDone(boolean)}. Detected once,
 * from the declared methods, never from version strings (vendors backport).
 */
enum VirtualThreadLayout {
    /** JDK 21.0.4+ and 22+: {@code run(Runnable)} runs mounted on the virtual thread; {@code afterDone(boolean)}. */
    CURRENT("afterDone", boolean.class),
    /** JDK 21.0.0 to 21.0.3: {@code run(Runnable)} is entered before mount, so only created/terminated are hooked. */
    EARLY_21("afterTerminate", boolean.class, boolean.class);

    final String terminationMethod;
    final Class<?>[] terminationParameters;

    VirtualThreadLayout(String terminationMethod, Class<?>... terminationParameters) {
        this.terminationMethod = terminationMethod;
        this.terminationParameters = terminationParameters;
    }

    boolean hooksRun() {
        return this == CURRENT;
    }

    static VirtualThreadLayout detect(Class<?> virtualThread) {
        for (VirtualThreadLayout layout : values()) {
            for (Method m : virtualThread.getDeclaredMethods()) {
                if (m.getName().equals(layout.terminationMethod)
                        && Arrays.equals(m.getParameterTypes(), layout.terminationParameters)) {
                    return layout;
                }
            }
        }
        throw new IllegalStateException("java.lang.VirtualThread has neither afterDone(boolean) nor "
                + "afterTerminate(boolean, boolean); this JDK's layout is not supported");
    }
}
