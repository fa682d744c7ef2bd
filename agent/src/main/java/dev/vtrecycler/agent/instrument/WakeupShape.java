package dev.vtrecycler.agent.instrument;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * Where {@code java.lang.VirtualThread} submits a wake-up, found in its class file by the shape of
 * its code, never by version number. The shapes seen so far:
 * <ul>
 *   <li>JDK 21: {@code lazySubmitRunContinuation(ForkJoinPool)} and
 *       {@code externalSubmitRunContinuation(ForkJoinPool)} call {@code ForkJoinTask.adapt(runContinuation)};</li>
 *   <li>JDK 25: three such calls (lazy, external, {@code externalSubmitRunContinuationOrThrow()});</li>
 *   <li>JDK mainline (26+): the same three, plus a private {@code submit(Executor, Runnable task)}
 *       that calls {@code ForkJoinTask.adapt(task)} on its parameter, called with
 *       {@code runContinuation} (a "relayed" site);</li>
 *   <li>the Loom repository's custom-scheduler work: {@code runContinuation} is a
 *       {@code VirtualThread$VThreadTask}, not a {@code Runnable} field the agent could set: refused.</li>
 * </ul>
 * What the wake-up instrumentation needs: an instance field {@code Runnable runContinuation} (set
 * once in the constructor). The adapt calls on it, direct or relayed, are where reuse pays; there
 * may be none, then only the {@code scheduler.execute(runContinuation)} path reuses its task.
 *
 * @param fieldType the binary name of the instance field {@code runContinuation}'s type, null without one
 * @param adaptSites {@code ForkJoinTask.adapt(runContinuation)} calls
 * @param relayedSites {@code ForkJoinTask.adapt(p)} calls on a {@code Runnable} parameter {@code p}
 *        of a method of the class that the class itself calls with {@code runContinuation} as {@code p}
 * @param otherAdaptCalls every other {@code ForkJoinTask.adapt(Runnable)} call in the class
 * @param adaptingMethods name + descriptor of every method with a {@code ForkJoinTask.adapt(Runnable)}
 *        call: the only methods the substitution needs to visit (visiting all of them resolved every
 *        call in the class and cost about half a second of start-up on 2 cores)
 */
record WakeupShape(String fieldType, int adaptSites, int relayedSites, int otherAdaptCalls,
                   Set<String> adaptingMethods) {
    WakeupShape {
        adaptingMethods = Set.copyOf(adaptingMethods);
    }

    static final String FIELD = "runContinuation";
    private static final String RUNNABLE = "java.lang.Runnable";
    private static final String FORK_JOIN_TASK = "java/util/concurrent/ForkJoinTask";
    private static final String ADAPT_DESCRIPTOR = "(Ljava/lang/Runnable;)Ljava/util/concurrent/ForkJoinTask;";
    private static final String RUNNABLE_DESCRIPTOR = "Ljava/lang/Runnable;";
    private static final String KEEPS_ADAPTERS = "; wake-ups keep the JDK's task adapters";

    /** The shape of a loaded class, read from its class file. */
    static WakeupShape of(Class<?> virtualThread) throws IOException {
        try (InputStream in = ClassLoader.getSystemResourceAsStream(virtualThread.getName().replace('.', '/') + ".class")) {
            if (in == null) {
                throw new IOException("cannot read the class file of " + virtualThread.getName());
            }
            return scan(in.readAllBytes());
        }
    }

    /** Whether the reusable task can be installed at all. */
    boolean supported() {
        return RUNNABLE.equals(fieldType);
    }

    /** The one {@code [vtrecycler]} line this shape makes the agent print (without the prefix); null for none. */
    String line() {
        if (!supported()) {
            return "wakeups=reuse not applied: java.lang.VirtualThread has no Runnable " + FIELD + " field"
                    + (fieldType == null ? " on this JDK" : " (its " + FIELD + " is a " + fieldType
                            + ", which a reusable task cannot stand in for)")
                    + KEEPS_ADAPTERS;
        }
        if (adaptSites + relayedSites == 0) {
            return "wakeups=reuse: no ForkJoinTask.adapt(" + FIELD + ") call in java.lang.VirtualThread"
                    + " on this JDK; only wake-ups through scheduler.execute reuse their task";
        }
        return null;
    }

    /** What was found, for tests and diagnostics. */
    @Override
    public String toString() {
        return FIELD + " field: " + (fieldType == null ? "none" : fieldType) + ", adapt(" + FIELD + ") sites: "
                + adaptSites + ", relayed: " + relayedSites + ", other adapt calls: " + otherAdaptCalls;
    }

    /** Reads a {@code VirtualThread}-like class file. */
    static WakeupShape scan(byte[] classFile) {
        ShapeVisitor visitor = new ShapeVisitor();
        OpenedClassReader.of(classFile).accept(visitor, 0);
        return visitor.shape();
    }

    /** One {@code adapt(p)} call on parameter {@code p} of method {@code method} (name + descriptor). */
    private record ParameterAdapt(String method, int parameter) {}

    private static final class ShapeVisitor extends ClassVisitor {
        private String owner;
        private String fieldType;
        private int adaptSites;
        private int unknownAdapts;
        private final List<ParameterAdapt> parameterAdapts = new ArrayList<>();
        private final Set<String> adaptingMethods = new HashSet<>();
        /** Methods of the class called with {@code runContinuation} as their last argument. */
        private final Set<ParameterAdapt> fedWithField = new HashSet<>();

        ShapeVisitor() {
            super(OpenedClassReader.ASM_API);
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
            owner = name;
        }

        @Override
        public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
            if (name.equals(FIELD) && (access & Opcodes.ACC_STATIC) == 0) {
                fieldType = Type.getType(descriptor).getClassName();
            }
            return null;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
            String method = name + descriptor;
            int[] runnableParameterOfSlot = runnableParameterSlots(access, descriptor);
            return new MethodVisitor(OpenedClassReader.ASM_API) {
                /** What the instruction just before pushed: the field, a Runnable parameter (>= 0), or else. */
                private static final int OTHER = -1;
                private static final int THE_FIELD = -2;
                private int last = OTHER;

                @Override
                public void visitFieldInsn(int opcode, String fieldOwner, String fieldName, String fieldDescriptor) {
                    last = opcode == Opcodes.GETFIELD && fieldOwner.equals(owner) && fieldName.equals(FIELD) ? THE_FIELD : OTHER;
                }

                @Override
                public void visitVarInsn(int opcode, int slot) {
                    last = opcode == Opcodes.ALOAD && slot < runnableParameterOfSlot.length ? runnableParameterOfSlot[slot] : OTHER;
                }

                @Override
                public void visitMethodInsn(int opcode, String callOwner, String callName, String callDescriptor,
                                            boolean isInterface) {
                    if (opcode == Opcodes.INVOKESTATIC && callOwner.equals(FORK_JOIN_TASK)
                            && callName.equals("adapt") && callDescriptor.equals(ADAPT_DESCRIPTOR)) {
                        adaptingMethods.add(method);
                        if (last == THE_FIELD) {
                            adaptSites++;
                        } else if (last >= 0) {
                            parameterAdapts.add(new ParameterAdapt(method, last));
                        } else {
                            unknownAdapts++;
                        }
                    } else if (last == THE_FIELD && callOwner.equals(owner)) {
                        Type[] arguments = Type.getArgumentTypes(callDescriptor);
                        fedWithField.add(new ParameterAdapt(callName + callDescriptor, arguments.length - 1));
                    }
                    last = OTHER;
                }

                @Override
                public void visitInsn(int opcode) {
                    last = OTHER;
                }

                @Override
                public void visitIntInsn(int opcode, int operand) {
                    last = OTHER;
                }

                @Override
                public void visitTypeInsn(int opcode, String type) {
                    last = OTHER;
                }

                @Override
                public void visitLdcInsn(Object value) {
                    last = OTHER;
                }

                @Override
                public void visitJumpInsn(int opcode, net.bytebuddy.jar.asm.Label label) {
                    last = OTHER;
                }

                @Override
                public void visitInvokeDynamicInsn(String name, String descriptor, net.bytebuddy.jar.asm.Handle bootstrap,
                                                   Object... arguments) {
                    last = OTHER;
                }
            };
        }

        /** For each local slot, the index of the {@code Runnable} parameter it holds on entry, else -1. */
        private static int[] runnableParameterSlots(int access, String descriptor) {
            Type[] parameters = Type.getArgumentTypes(descriptor);
            int slot = (access & Opcodes.ACC_STATIC) == 0 ? 1 : 0;
            int[] bySlot = new int[slot + parameters.length * 2];
            java.util.Arrays.fill(bySlot, -1);
            for (int i = 0; i < parameters.length; i++) {
                if (parameters[i].getDescriptor().equals(RUNNABLE_DESCRIPTOR)) {
                    bySlot[slot] = i;
                }
                slot += parameters[i].getSize();
            }
            return bySlot;
        }

        WakeupShape shape() {
            int relayed = 0;
            for (ParameterAdapt adapt : parameterAdapts) {
                if (fedWithField.contains(adapt)) {
                    relayed++;
                }
            }
            return new WakeupShape(fieldType, adaptSites, relayed, unknownAdapts + parameterAdapts.size() - relayed,
                    adaptingMethods);
        }
    }
}
