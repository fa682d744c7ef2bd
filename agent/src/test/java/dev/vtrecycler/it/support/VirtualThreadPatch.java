package dev.vtrecycler.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This JDK's own {@code java.lang.VirtualThread} class file, and a changed copy of it put in front of
 * {@code java.base}: how the fail-open tests make a real JDK that lacks a shape the agent looks for.
 * Read from the running JDK so the patch always matches the forked child's {@code java.base}.
 */
public final class VirtualThreadPatch {
    public static final String VIRTUAL_THREAD = "java/lang/VirtualThread";

    private VirtualThreadPatch() {}

    /** The class file of this JDK's {@code java.lang.VirtualThread}. */
    public static byte[] originalBytes() throws IOException {
        try (InputStream in = ClassLoader.getSystemResourceAsStream(VIRTUAL_THREAD + ".class")) {
            if (in == null) {
                throw new IOException("cannot read " + VIRTUAL_THREAD + ".class from this JDK");
            }
            return in.readAllBytes();
        }
    }

    /** Writes the changed class under {@code dir}; returns the JVM option that puts it in force. */
    public static String patchModuleOption(Path dir, byte[] changed) throws IOException {
        Path file = dir.resolve(VIRTUAL_THREAD + ".class");
        Files.createDirectories(file.getParent());
        Files.write(file, changed);
        return "--patch-module=java.base=" + dir;
    }
}
