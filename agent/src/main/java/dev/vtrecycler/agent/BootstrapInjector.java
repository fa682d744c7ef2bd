package dev.vtrecycler.agent;

import dev.vtrecycler.agent.config.AgentConfig;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Puts the {@code dev.vtrecycler.bootstrap} classes into the boot loader, where advice woven into
 * {@code java.lang} and {@code java.util.concurrent} can link to them.
 *
 * <p>First choice: define every one of them directly in the boot loader with
 * {@code jdk.internal.misc.Unsafe.defineClass(name, bytes, 0, len, null, null)}. Appending a jar to
 * the boot class path instead (the fallback) makes HotSpot print "Sharing is only supported for boot
 * loader classes because bootstrap classpath has been appended" on the host's stderr and turns
 * class-data sharing off for every platform and application class: a service that starts from an
 * AppCDS archive would lose it. The JDK-internal Unsafe (exported to the agent with
 * {@code redefineModule}) is used rather than {@code sun.misc.Unsafe}, whose memory methods print
 * JDK 24+'s terminal-deprecation warning; {@code defineClass} has the same signature on 21 and 25.
 *
 * <p>Only the bootstrap package goes: the rest of the agent (Byte Buddy, Micrometer) stays with the
 * system class loader, which delegates to the boot loader first, so the agent's own references
 * resolve to the boot copies as long as none was loaded before this runs ({@link AgentStartup}).
 */
final class BootstrapInjector {
    private static final String UNSAFE = "jdk.internal.misc.Unsafe";

    /** How the classes got there, for the caller's startup line and the tests. */
    enum Outcome { DEFINED, APPENDED }

    static Outcome inject(Instrumentation inst, AgentConfig.Bootstrap way) throws IOException {
        BootstrapClasses classes = BootstrapClasses.fromJar(agentJar());
        if (way == AgentConfig.Bootstrap.APPEND) {
            appendToBootSearchPath(inst, classes);
            return Outcome.APPENDED;
        }
        try {
            defineInBootLoader(inst, classes);
            return Outcome.DEFINED;
        } catch (Throwable e) {
            // Safe after a partial definition too: the classes already defined stay in the boot
            // loader's dictionary and win over the appended copies, which are the same bytes.
            Log.line("could not define the bootstrap classes in the boot loader (" + describe(e)
                    + "); appended them to the boot class path instead, which turns class-data sharing off"
                    + " for application classes");
            appendToBootSearchPath(inst, classes);
            return Outcome.APPENDED;
        }
    }

    private static void defineInBootLoader(Instrumentation inst, BootstrapClasses classes) throws Exception {
        ModuleAccess.exportInternalsToAgent(inst);
        Class<?> unsafeClass = Class.forName(UNSAFE);
        Object unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
        Method define = unsafeClass.getMethod("defineClass",
                String.class, byte[].class, int.class, int.class, ClassLoader.class, ProtectionDomain.class);
        for (BootstrapClasses.ClassFile c : classes.inDefinitionOrder()) {
            try {
                define.invoke(unsafe, c.name(), c.bytes(), 0, c.bytes().length, null, null);
            } catch (InvocationTargetException e) {
                throw new IllegalStateException("defining " + c.name() + ": " + e.getCause(), e.getCause());
            }
        }
    }

    private static void appendToBootSearchPath(Instrumentation inst, BootstrapClasses classes) throws IOException {
        Path bootJar = Files.createTempFile("vtrecycler-bootstrap-", ".jar");
        bootJar.toFile().deleteOnExit();
        try (OutputStream out = Files.newOutputStream(bootJar); JarOutputStream jar = new JarOutputStream(out)) {
            for (BootstrapClasses.ClassFile c : classes.inDefinitionOrder()) {
                jar.putNextEntry(new JarEntry(c.internalName() + ".class"));
                jar.write(c.bytes());
                jar.closeEntry();
            }
        }
        inst.appendToBootstrapClassLoaderSearch(new JarFile(bootJar.toFile()));
    }

    private static String describe(Throwable e) {
        return e instanceof IllegalStateException && e.getCause() != null ? e.getMessage() : e.toString();
    }

    private static Path agentJar() throws IOException {
        try {
            Path path = new File(BootstrapInjector.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toPath();
            if (!Files.isRegularFile(path)) {
                throw new IOException("the agent is not running from its jar: " + path);
            }
            return path;
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            throw new IOException("cannot locate the agent jar", e);
        }
    }

    private BootstrapInjector() {}
}
