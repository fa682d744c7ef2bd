package dev.vtrecycler.agent.instrument;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * Where {@code java.lang.VirtualThread} submits a wake-up, found by the shape of its code, never by
 * version number (JDK 21 has {@code lazySubmitRunContinuation(ForkJoinPool)} and
 * {@code externalSubmitRunContinuation(ForkJoinPool)}; JDK 25 has other method names and one more
 * site in {@code externalSubmitRunContinuationOrThrow()}). What both have, and what the wake-up
 * instrumentation needs:
 * <ul>
 *   <li>an instance field {@code Runnable runContinuation} (set once in the constructor);</li>
 *   <li>calls {@code ForkJoinTask.adapt(Runnable)} whose argument is that field
 *       ({@code getfield runContinuation} right before the call). There may be none: then the
 *       {@code scheduler.execute(runContinuation)} path alone is reused.</li>
 * </ul>
 */
record WakeupShape(boolean hasField, int adaptSites, int otherAdaptCalls) {
    static final String FIELD = "runContinuation";
    private static final String FORK_JOIN_TASK = "java/util/concurrent/ForkJoinTask";
    private static final String ADAPT_DESCRIPTOR = "(Ljava/lang/Runnable;)Ljava/util/concurrent/ForkJoinTask;";

    static WakeupShape of(Class<?> virtualThread) throws IOException {
        boolean hasField = false;
        for (Field f : virtualThread.getDeclaredFields()) {
            if (f.getName().equals(FIELD) && f.getType() == Runnable.class && !Modifier.isStatic(f.getModifiers())) {
                hasField = true;
            }
        }
        byte[] bytes;
        try (InputStream in = ClassLoader.getSystemResourceAsStream(virtualThread.getName().replace('.', '/') + ".class")) {
            if (in == null) {
                throw new IOException("cannot read the class file of " + virtualThread.getName());
            }
            bytes = in.readAllBytes();
        }
        return scan(hasField, bytes, virtualThread.getName().replace('.', '/'));
    }

    /** Counts the adapt calls in a class file, telling those on {@code runContinuation} from others. */
    static WakeupShape scan(boolean hasField, byte[] classFile, String owner) {
        int[] sites = new int[2];
        OpenedClassReader.of(classFile).accept(new ClassVisitor(OpenedClassReader.ASM_API) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                return new MethodVisitor(OpenedClassReader.ASM_API) {
                    private boolean lastWasField;

                    @Override
                    public void visitFieldInsn(int opcode, String fieldOwner, String fieldName, String fieldDescriptor) {
                        lastWasField = opcode == Opcodes.GETFIELD && fieldOwner.equals(owner) && fieldName.equals(FIELD);
                    }

                    @Override
                    public void visitMethodInsn(int opcode, String callOwner, String callName, String callDescriptor,
                                                boolean isInterface) {
                        if (opcode == Opcodes.INVOKESTATIC && callOwner.equals(FORK_JOIN_TASK)
                                && callName.equals("adapt") && callDescriptor.equals(ADAPT_DESCRIPTOR)) {
                            sites[lastWasField ? 0 : 1]++;
                        }
                        lastWasField = false;
                    }

                    @Override
                    public void visitInsn(int opcode) {
                        lastWasField = false;
                    }

                    @Override
                    public void visitVarInsn(int opcode, int varIndex) {
                        lastWasField = false;
                    }

                    @Override
                    public void visitTypeInsn(int opcode, String type) {
                        lastWasField = false;
                    }
                };
            }
        }, 0);
        return new WakeupShape(hasField, sites[0], sites[1]);
    }

    /** Whether the reusable task can be installed at all. */
    boolean supported() {
        return hasField;
    }
}
