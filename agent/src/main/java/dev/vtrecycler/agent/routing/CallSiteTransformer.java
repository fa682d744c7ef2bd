package dev.vtrecycler.agent.routing;

import dev.vtrecycler.bootstrap.routing.RoutingStats;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.utility.OpenedClassReader;

import java.lang.instrument.ClassFileTransformer;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Rewrites fire-and-forget virtual-thread starts in application classes (see
 * {@link DiscardedStartRewriter}) as they load, and again when retransformed (dynamic attach).
 *
 * <p>Cheap for the classes it leaves alone, which is nearly all: the JDK's and the platform loader's
 * classes are skipped by loader, others by name ({@link ClassFilter}), and a class whose constant
 * pool does not mention one of the invoked members cannot contain a call site, so a byte search
 * decides before anything is parsed. Returns null (no change) whenever it rewrote nothing or
 * anything went wrong: a failure here must never stop a class from loading.
 */
final class CallSiteTransformer implements ClassFileTransformer {
    /** Strings one of which every candidate class's constant pool holds (owner names, as UTF-8). */
    private static final byte[][] MARKERS = {
            "java/lang/Thread$Builder".getBytes(StandardCharsets.UTF_8),
            "startVirtualThread".getBytes(StandardCharsets.UTF_8),
            "java/util/concurrent/ThreadFactory".getBytes(StandardCharsets.UTF_8),
    };

    private static final int MAX_REPORTED_FAILURES = 5;

    private final AtomicInteger failures = new AtomicInteger();
    private final ClassFilter filter;
    private final Class<?> routes;
    private final ClassLoader platformLoader = ClassLoader.getPlatformClassLoader();
    /** Whether a loader resolves Routes to the class the agent installed (OSGi-style loaders may not). */
    private final Map<ClassLoader, Boolean> seesRoutes = Collections.synchronizedMap(new WeakHashMap<>());
    /**
     * Sites per rewritten class (name @ loader identity), so a class transformed again
     * (retransformation) is not counted twice. Entries outlive unloaded classes: the gauge counts
     * sites rewritten, not sites alive.
     */
    private final Map<String, Integer> sitesByClass = new ConcurrentHashMap<>();

    /** @param routes {@code dev.vtrecycler.bootstrap.routing.Routes} as the agent resolved it (boot loader) */
    CallSiteTransformer(ClassFilter filter, Class<?> routes) {
        this.filter = filter;
        this.routes = routes;
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        try {
            if (!candidate(loader, className, classfileBuffer)) {
                return null;
            }
            Rewrite rewrite = rewrite(classfileBuffer);
            if (rewrite.sites == 0 || !seesRoutes(loader)) {
                return null;
            }
            count(loader, className, rewrite.sites);
            return rewrite.bytes;
        } catch (Throwable e) {
            reportFailure(className, e);
            return null;
        }
    }

    /** One line per failure, for the first few only: a JDK with a class format ASM cannot read would fail on every class. */
    private void reportFailure(String className, Throwable e) {
        int n = failures.incrementAndGet();
        if (n <= MAX_REPORTED_FAILURES) {
            System.err.println("[vtrecycler] left " + className + " unchanged: " + e
                    + (n == MAX_REPORTED_FAILURES ? " (further such failures are not reported)" : ""));
        }
    }

    /** Could this class hold a call site we rewrite? Loader and name first, then a byte search. */
    boolean candidate(ClassLoader loader, String className, byte[] bytes) {
        return eligible(loader, className) && mentionsMarker(bytes);
    }

    /** Not the JDK's (boot or platform loader), and a name the filter accepts. */
    boolean eligible(ClassLoader loader, String className) {
        return loader != null && loader != platformLoader && filter.accepts(className);
    }

    static boolean mentionsMarker(byte[] bytes) {
        for (byte[] marker : MARKERS) {
            if (indexOf(bytes, marker) >= 0) {
                return true;
            }
        }
        return false;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        byte first = needle[0];
        int last = haystack.length - needle.length;
        outer:
        for (int i = 0; i <= last; i++) {
            if (haystack[i] != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    record Rewrite(byte[] bytes, int sites) {}

    /** Runs the peephole over every method. Frames and maxs are kept: the rewrite preserves both. */
    static Rewrite rewrite(byte[] classfile) {
        ClassReader reader = new ClassReader(classfile);
        ClassWriter writer = new ClassWriter(reader, 0);
        List<DiscardedStartRewriter> rewriters = new ArrayList<>();
        reader.accept(new ClassVisitor(OpenedClassReader.ASM_API, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                DiscardedStartRewriter rewriter =
                        new DiscardedStartRewriter(super.visitMethod(access, name, descriptor, signature, exceptions));
                rewriters.add(rewriter);
                return rewriter;
            }
        }, 0);
        int sites = 0;
        for (DiscardedStartRewriter rewriter : rewriters) {
            sites += rewriter.rewritten();
        }
        return new Rewrite(sites == 0 ? classfile : writer.toByteArray(), sites);
    }

    private boolean seesRoutes(ClassLoader loader) {
        Boolean sees = seesRoutes.get(loader);
        if (sees == null) {
            try {
                sees = Class.forName(routes.getName(), false, loader) == routes;
            } catch (Throwable e) {
                sees = false;
            }
            seesRoutes.put(loader, sees);
            if (!sees) {
                System.err.println("[vtrecycler] class loader " + loader + " does not see the agent's runtime; its classes keep their virtual-thread starts");
            }
        }
        return sees;
    }

    private void count(ClassLoader loader, String className, int sites) {
        String key = className + '@' + Integer.toHexString(System.identityHashCode(loader));
        Integer before = sitesByClass.put(key, sites);
        RoutingStats.callSitesRewritten(sites - (before == null ? 0 : before));
    }
}
