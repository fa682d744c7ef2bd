package dev.vtrecycler.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Puts the {@code dev.vtrecycler.bootstrap} package on the boot class path, where advice woven into
 * {@code java.lang} and {@code java.util.concurrent} can link to it (BlockHound does the same).
 *
 * <p>Only that package goes: the rest of the agent (Byte Buddy, Micrometer) stays with the system
 * class loader. Once appended, the system class loader delegates to the boot loader first, so the
 * agent's own references to bootstrap classes resolve to the boot copies too, as long as none was
 * loaded before this runs. {@link AgentStartup} makes sure of that.
 */
final class BootstrapInjector {
    static final String PACKAGE_PATH = "dev/vtrecycler/bootstrap/";

    static void inject(Instrumentation inst) throws IOException {
        Path agentJar = agentJar();
        Path bootJar = Files.createTempFile("vtrecycler-bootstrap-", ".jar");
        bootJar.toFile().deleteOnExit();
        int copied = 0;
        try (JarFile source = new JarFile(agentJar.toFile());
             OutputStream out = Files.newOutputStream(bootJar);
             JarOutputStream jar = new JarOutputStream(out)) {
            for (Enumeration<JarEntry> entries = source.entries(); entries.hasMoreElements(); ) {
                JarEntry entry = entries.nextElement();
                if (entry.getName().startsWith(PACKAGE_PATH) && entry.getName().endsWith(".class")) {
                    jar.putNextEntry(new JarEntry(entry.getName()));
                    try (InputStream in = source.getInputStream(entry)) {
                        in.transferTo(jar);
                    }
                    jar.closeEntry();
                    copied++;
                }
            }
        }
        if (copied == 0) {
            throw new IOException("no bootstrap classes found in " + agentJar);
        }
        inst.appendToBootstrapClassLoaderSearch(new JarFile(bootJar.toFile()));
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
