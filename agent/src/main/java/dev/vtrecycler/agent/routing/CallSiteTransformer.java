package dev.vtrecycler.agent.routing;

import dev.vtrecycler.agent.Log;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
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
    /**
     * Strings one of which every candidate class's constant pool holds, as UTF-8. "Thread$Builder"
     * matches the internal name and the dotted one a reflective caller looks up by name (Tomcat).
     */
    private static final byte[][] MARKERS = {
            utf8("Thread$Builder"),
            utf8("startVirtualThread"),
            utf8("java/util/concurrent/ThreadFactory"),
    };
    /** A class that mentions one of these may start virtual threads by reflection: its discarded invokes are rewritten. */
    private static final byte[][] REFLECTIVE_MARKERS = {MARKERS[0], MARKERS[1]};

    private static final int MAX_REPORTED_FAILURES = 5;

    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicBoolean blindLoaderReported = new AtomicBoolean();
    private final ClassFilter filter;
    private final Class<?> routes;
    private final ClassLoader platformLoader = ClassLoader.getPlatformClassLoader();
    /** Whether a loader resolves Routes to the class the agent installed (OSGi-style loaders may not). */
    private final Map<ClassLoader, Boolean> seesRoutes = Collections.synchronizedMap(new WeakHashMap<>());
    private final RewrittenSites sites = new RewrittenSites();

    /**
     * Gives a named module a read edge to another ({@code Instrumentation.redefineModule}); returns
     * whether the first now reads the second.
     */
    interface ReadEdges {
        boolean add(Module from, Module to);

        /** For a transformer that must never change a module: named modules that cannot read the runtime stay as they are. */
        ReadEdges NONE = (from, to) -> false;
    }

    private final ReadEdges readEdges;
    private final AtomicBoolean unreadableReported = new AtomicBoolean();

    /** @param routes {@code dev.vtrecycler.bootstrap.routing.Routes} as the agent resolved it (boot loader) */
    CallSiteTransformer(ClassFilter filter, Class<?> routes) {
        this(filter, routes, ReadEdges.NONE);
    }

    CallSiteTransformer(ClassFilter filter, Class<?> routes, ReadEdges readEdges) {
        this.filter = filter;
        this.routes = routes;
        this.readEdges = readEdges;
    }

    /** What the JVM calls: the class's module decides whether a rewritten class can link to {@code Routes}. */
    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        return rewriteIfRoutable(module, loader, className, classfileBuffer);
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        return rewriteIfRoutable(null, loader, className, classfileBuffer);
    }

    private byte[] rewriteIfRoutable(Module module, ClassLoader loader, String className, byte[] classfileBuffer) {
        try {
            sites.expungeCollected();
            if (!candidate(loader, className, classfileBuffer)) {
                return null;
            }
            Rewrite rewrite = rewrite(classfileBuffer);
            if (rewrite.sites() == 0 || !seesRoutes(loader) || !readsRoutes(module)) {
                return null;
            }
            sites.record(loader, className, rewrite.sitesByKind);
            return rewrite.bytes;
        } catch (Throwable e) {
            reportFailure(className, e);
            return null;
        }
    }

    /**
     * A named module reads only what it declares, so a rewritten call into {@code Routes} (the boot
     * loader's unnamed module, which exports everything) would fail to link there with
     * {@code IllegalAccessError}. Such a module gets the read edge, as agents that weave calls into
     * application modules do; asked only for a class that has a call site to rewrite. One that cannot
     * be given the edge keeps its classes as they are, said once.
     */
    private boolean readsRoutes(Module module) {
        Module runtime = routes.getModule();
        if (module == null || !module.isNamed() || module.canRead(runtime)) {
            return true;
        }
        if (readEdges.add(module, runtime)) {
            return true;
        }
        if (unreadableReported.compareAndSet(false, true)) {
            Log.line("left the virtual-thread starts of named module " + module.getName()
                    + " unrouted: it cannot be given a read edge to the agent's runtime");
        }
        return false;
    }

    /** One line per failure, for the first few only: a JDK with a class format ASM cannot read would fail on every class. */
    private void reportFailure(String className, Throwable e) {
        int n = failures.incrementAndGet();
        if (n <= MAX_REPORTED_FAILURES) {
            Log.line("left " + className + " unchanged: " + e
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
        return mentionsAny(bytes, MARKERS);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static boolean mentionsAny(byte[] bytes, byte[][] markers) {
        for (byte[] marker : markers) {
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

    /** @param sitesByKind indexed by RoutingStats.DIRECT, REFLECTIVE, LOCAL */
    record Rewrite(byte[] bytes, int[] sitesByKind) {
        int sites() {
            return sitesByKind[0] + sitesByKind[1] + sitesByKind[2];
        }
    }

    /**
     * Two passes: {@link LocalStartScanner} finds the local-variable sites whose thread is never read
     * again, then {@link DiscardedStartRewriter} rewrites every method. Frames are kept (the rewrite
     * preserves them); max stack grows only for reflective sites, by the rewriter.
     */
    static Rewrite rewrite(byte[] classfile) {
        // OpenedClassReader also reads class files newer than this ASM knows when net.bytebuddy.experimental is set
        ClassReader reader = OpenedClassReader.of(classfile);
        Map<String, LocalStartScanner> scanners = new HashMap<>();
        reader.accept(new ClassVisitor(OpenedClassReader.ASM_API) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                LocalStartScanner scanner = new LocalStartScanner();
                scanners.put(name + descriptor, scanner);
                return scanner;
            }
        }, 0);
        boolean reflective = mentionsAny(classfile, REFLECTIVE_MARKERS);
        ClassWriter writer = new ClassWriter(reader, 0);
        List<DiscardedStartRewriter> rewriters = new ArrayList<>();
        reader.accept(new ClassVisitor(OpenedClassReader.ASM_API, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                DiscardedStartRewriter rewriter = new DiscardedStartRewriter(
                        super.visitMethod(access, name, descriptor, signature, exceptions),
                        reflective, scanners.get(name + descriptor).accepted());
                rewriters.add(rewriter);
                return rewriter;
            }
        }, 0);
        int[] byKind = new int[3];
        for (DiscardedStartRewriter rewriter : rewriters) {
            for (int kind = 0; kind < byKind.length; kind++) {
                byKind[kind] += rewriter.rewritten(kind);
            }
        }
        Rewrite rewrite = new Rewrite(null, byKind);
        return new Rewrite(rewrite.sites() == 0 ? classfile : writer.toByteArray(), byKind);
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
            if (!sees && blindLoaderReported.compareAndSet(false, true)) {
                // once: a module system (OSGi) may have hundreds of such loaders
                Log.line("class loader " + loader + " does not see the agent's runtime; classes of such loaders"
                        + " keep their virtual-thread starts");
            }
        }
        return sees;
    }

    /** Loaders whose rewritten classes are still counted (test hook). */
    int trackedLoaders() {
        return sites.trackedLoaders();
    }
}
