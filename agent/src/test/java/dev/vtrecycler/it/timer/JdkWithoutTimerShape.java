package dev.vtrecycler.it.timer;

import dev.vtrecycler.it.support.VirtualThreadPatch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.commons.ClassRemapper;
import net.bytebuddy.jar.asm.commons.SimpleRemapper;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * A real JDK on which the timer shape is missing, for the fail-open test: this JDK's own
 * {@code java.lang.VirtualThread} with its private {@code parkTimeoutExpired()} renamed (declaration
 * and the method handle of {@code this::parkTimeoutExpired} alike), put in front of
 * {@code java.base} with {@code --patch-module}. It behaves exactly as before, but the agent's real
 * detection ({@code TimerShape}) no longer finds the timeout lambda, as on a JDK whose timed park
 * takes another path.
 */
final class JdkWithoutTimerShape {
    private static final String VIRTUAL_THREAD = VirtualThreadPatch.VIRTUAL_THREAD;
    static final String METHOD = "parkTimeoutExpired";
    static final String RENAMED = "parkTimeoutExpiredRenamedByTest";

    static String patchModuleOption(Path dir) throws IOException {
        byte[] original = VirtualThreadPatch.originalBytes();
        int[] renamed = new int[1];
        SimpleRemapper methodOnly = new SimpleRemapper(OpenedClassReader.ASM_API,
                Map.of(VIRTUAL_THREAD + "." + METHOD + "()V", RENAMED)) {
            @Override
            public String mapMethodName(String owner, String name, String descriptor) {
                String mapped = super.mapMethodName(owner, name, descriptor);
                if (!mapped.equals(name)) {
                    renamed[0]++;
                }
                return mapped;
            }
        };
        ClassWriter writer = new ClassWriter(0);
        OpenedClassReader.of(original).accept(new ClassRemapper(writer, methodOnly), 0);
        if (renamed[0] < 2) { // the declaration and the lambda's handle, or this JDK never had the shape
            throw new IllegalStateException(VIRTUAL_THREAD + " of this JDK has no " + METHOD + " to rename ("
                    + renamed[0] + " references)");
        }
        return VirtualThreadPatch.patchModuleOption(dir, writer.toByteArray());
    }

    private JdkWithoutTimerShape() {}
}
