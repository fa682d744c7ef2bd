package dev.vtrecycler.it.wakeup;

import dev.vtrecycler.it.support.VirtualThreadPatch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.commons.ClassRemapper;
import net.bytebuddy.jar.asm.commons.SimpleRemapper;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * A real JDK on which the wake-up shape is missing, for the fail-open test: this JDK's own
 * {@code java.lang.VirtualThread}, with its private {@code runContinuation} field renamed, put in
 * front of {@code java.base} with {@code --patch-module}. The class behaves exactly as before (the
 * field is private, read and written only by {@code VirtualThread} itself, and the VM does not
 * look it up by name), so the agent's real detection ({@code WakeupShape}) runs against a real
 * JVM, and nothing test-only is needed in the agent.
 *
 * <p>The bytes come from the JVM running the tests, whose launcher {@code ForkedJvm} uses for the
 * child: the patch always matches the child's {@code java.base}.
 */
final class JdkWithoutWakeupShape {
    private static final String VIRTUAL_THREAD = VirtualThreadPatch.VIRTUAL_THREAD;
    private static final String FORK_JOIN_TASK = "java/util/concurrent/ForkJoinTask";
    static final String FIELD = "runContinuation";
    static final String RENAMED = "runContinuationRenamedByTest";

    /** The patched class, written under {@code dir}; returns the JVM option that puts it in force. */
    static String patchModuleOption(Path dir) throws IOException {
        byte[] original = VirtualThreadPatch.originalBytes();
        int[] renamed = new int[1];
        SimpleRemapper fieldOnly = new SimpleRemapper(OpenedClassReader.ASM_API, Map.of(VIRTUAL_THREAD + "." + FIELD, RENAMED)) {
            @Override
            public String mapFieldName(String owner, String name, String descriptor) {
                String mapped = super.mapFieldName(owner, name, descriptor);
                if (!mapped.equals(name)) {
                    renamed[0]++;
                }
                return mapped;
            }
        };
        ClassWriter writer = new ClassWriter(0);
        OpenedClassReader.of(original).accept(new ClassRemapper(writer, fieldOnly), 0);
        // The declaration plus at least the constructor's store: otherwise this JDK never had the
        // shape, and the test would not be testing what it says.
        if (renamed[0] < 2) {
            throw new IllegalStateException(VIRTUAL_THREAD + " of this JDK has no field " + FIELD
                    + " to rename (" + renamed[0] + " references)");
        }
        return VirtualThreadPatch.patchModuleOption(dir, writer.toByteArray());
    }

    /**
     * The other partial shape: the field is there, but no {@code ForkJoinTask.adapt(Runnable)} call.
     * Each such call becomes {@code ForkJoinTask.adapt(runnable, null)}, which the JDK implements the
     * same way (a task that runs the runnable; the result is never read), so the class behaves as
     * before while the agent finds no adapt call site to redirect.
     */
    static String patchModuleOptionWithoutAdaptSites(Path dir) throws IOException {
        int[] replaced = new int[1];
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        OpenedClassReader.of(VirtualThreadPatch.originalBytes()).accept(new ClassVisitor(OpenedClassReader.ASM_API, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                return new MethodVisitor(OpenedClassReader.ASM_API, super.visitMethod(access, name, descriptor, signature, exceptions)) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String callName, String callDescriptor, boolean isInterface) {
                        if (opcode == Opcodes.INVOKESTATIC && owner.equals(FORK_JOIN_TASK) && callName.equals("adapt")
                                && callDescriptor.equals("(Ljava/lang/Runnable;)Ljava/util/concurrent/ForkJoinTask;")) {
                            replaced[0]++;
                            super.visitInsn(Opcodes.ACONST_NULL);
                            super.visitMethodInsn(opcode, owner, callName,
                                    "(Ljava/lang/Runnable;Ljava/lang/Object;)Ljava/util/concurrent/ForkJoinTask;", isInterface);
                        } else {
                            super.visitMethodInsn(opcode, owner, callName, callDescriptor, isInterface);
                        }
                    }
                };
            }
        }, 0);
        if (replaced[0] == 0) {
            throw new IllegalStateException(VIRTUAL_THREAD + " of this JDK has no ForkJoinTask.adapt(Runnable) call to replace");
        }
        return VirtualThreadPatch.patchModuleOption(dir, writer.toByteArray());
    }

    private JdkWithoutWakeupShape() {}
}
