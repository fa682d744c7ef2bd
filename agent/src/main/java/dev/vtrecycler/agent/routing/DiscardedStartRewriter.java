package dev.vtrecycler.agent.routing;

import net.bytebuddy.jar.asm.AnnotationVisitor;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.TypePath;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * A peephole over one method's instructions: finds virtual-thread starts whose {@code Thread} the code
 * never keeps and replaces them with a call to {@code dev.vtrecycler.bootstrap.routing.Routes}.
 *
 * <pre>
 *   invokestatic    Thread.startVirtualThread(Runnable)Thread; pop   -> Routes.startVirtualThread(Runnable)V
 *   invokeinterface Thread$Builder[$OfVirtual].start(Runnable); pop  -> Routes.start(Builder, Runnable)V
 *   invokeinterface Thread$Builder[$OfVirtual].unstarted(Runnable);
 *   invokevirtual   Thread.start()V                                   -> Routes.unstartedAndStart(Builder, Runnable)V
 *   invokeinterface ThreadFactory.newThread(Runnable);
 *   invokevirtual   Thread.start()V                                   -> Routes.newThreadAndStart(ThreadFactory, Runnable)V
 * </pre>
 * javac emits exactly these pairs for a discarded result and for the chains. Only <em>adjacent</em>
 * pairs match: the candidate invoke is held back, and any other event (a label, which may be a jump
 * target; a line number; a frame; any other instruction) first emits it unchanged. So a {@code Thread}
 * that is stored, returned, passed on or compared is never touched.
 *
 * <p>The replacement consumes the same operands and leaves the same stack as the pair, so stack map
 * frames and max stack stay valid. A receiver typed as an interface is passed to a parameter of an
 * interface type, which the verifier accepts like any reference.
 */
final class DiscardedStartRewriter extends MethodVisitor {
    static final String ROUTES = "dev/vtrecycler/bootstrap/routing/Routes";

    private static final String THREAD = "java/lang/Thread";
    private static final String BUILDER = "java/lang/Thread$Builder";
    private static final String OF_VIRTUAL = "java/lang/Thread$Builder$OfVirtual";
    private static final String FACTORY = "java/util/concurrent/ThreadFactory";
    private static final String RUNNABLE_TO_THREAD = "(Ljava/lang/Runnable;)Ljava/lang/Thread;";

    /** What the held-back invoke is, and so what must follow it. */
    private enum Pending {
        NONE, START_VIRTUAL_THREAD, BUILDER_START, BUILDER_UNSTARTED, FACTORY_NEW_THREAD
    }

    private Pending pending = Pending.NONE;
    private int pendingOpcode;
    private String pendingOwner;
    private String pendingName;
    private String pendingDescriptor;
    private boolean pendingInterface;

    private int rewritten;

    DiscardedStartRewriter(MethodVisitor next) {
        super(OpenedClassReader.ASM_API, next);
    }

    /** Call sites rewritten in this method so far. */
    int rewritten() {
        return rewritten;
    }

    private static Pending classify(int opcode, String owner, String name, String descriptor) {
        if (!RUNNABLE_TO_THREAD.equals(descriptor)) {
            return Pending.NONE;
        }
        if (opcode == Opcodes.INVOKESTATIC && THREAD.equals(owner) && "startVirtualThread".equals(name)) {
            return Pending.START_VIRTUAL_THREAD;
        }
        if (opcode == Opcodes.INVOKEINTERFACE && (BUILDER.equals(owner) || OF_VIRTUAL.equals(owner))) {
            if ("start".equals(name)) {
                return Pending.BUILDER_START;
            }
            if ("unstarted".equals(name)) {
                return Pending.BUILDER_UNSTARTED;
            }
        }
        if (opcode == Opcodes.INVOKEINTERFACE && FACTORY.equals(owner) && "newThread".equals(name)) {
            return Pending.FACTORY_NEW_THREAD;
        }
        return Pending.NONE;
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
        if (opcode == Opcodes.INVOKEVIRTUAL && THREAD.equals(owner) && "start".equals(name) && "()V".equals(descriptor)) {
            if (pending == Pending.BUILDER_UNSTARTED) {
                replacePending("unstartedAndStart", "(Ljava/lang/Thread$Builder;Ljava/lang/Runnable;)V");
                return;
            }
            if (pending == Pending.FACTORY_NEW_THREAD) {
                replacePending("newThreadAndStart", "(Ljava/util/concurrent/ThreadFactory;Ljava/lang/Runnable;)V");
                return;
            }
        }
        flush();
        Pending kind = classify(opcode, owner, name, descriptor);
        if (kind == Pending.NONE) {
            super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
            return;
        }
        pending = kind;
        pendingOpcode = opcode;
        pendingOwner = owner;
        pendingName = name;
        pendingDescriptor = descriptor;
        pendingInterface = isInterface;
    }

    @Override
    public void visitInsn(int opcode) {
        if (opcode == Opcodes.POP) {
            if (pending == Pending.START_VIRTUAL_THREAD) {
                replacePending("startVirtualThread", "(Ljava/lang/Runnable;)V");
                return;
            }
            if (pending == Pending.BUILDER_START) {
                replacePending("start", "(Ljava/lang/Thread$Builder;Ljava/lang/Runnable;)V");
                return;
            }
        }
        flush();
        super.visitInsn(opcode);
    }

    private void replacePending(String routesMethod, String routesDescriptor) {
        pending = Pending.NONE;
        super.visitMethodInsn(Opcodes.INVOKESTATIC, ROUTES, routesMethod, routesDescriptor, false);
        rewritten++;
    }

    /** Emits the held-back invoke unchanged: what followed it was not the pattern. */
    private void flush() {
        if (pending != Pending.NONE) {
            pending = Pending.NONE;
            super.visitMethodInsn(pendingOpcode, pendingOwner, pendingName, pendingDescriptor, pendingInterface);
        }
    }

    // Every other event ends a pattern. Listed exhaustively: a missed one would reorder code.

    @Override
    public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
        flush();
        super.visitFrame(type, numLocal, local, numStack, stack);
    }

    @Override
    public void visitIntInsn(int opcode, int operand) {
        flush();
        super.visitIntInsn(opcode, operand);
    }

    @Override
    public void visitVarInsn(int opcode, int varIndex) {
        flush();
        super.visitVarInsn(opcode, varIndex);
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
        flush();
        super.visitTypeInsn(opcode, type);
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
        flush();
        super.visitFieldInsn(opcode, owner, name, descriptor);
    }

    @Override
    public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrapMethodHandle,
                                       Object... bootstrapMethodArguments) {
        flush();
        super.visitInvokeDynamicInsn(name, descriptor, bootstrapMethodHandle, bootstrapMethodArguments);
    }

    @Override
    public void visitJumpInsn(int opcode, Label label) {
        flush();
        super.visitJumpInsn(opcode, label);
    }

    @Override
    public void visitLabel(Label label) {
        flush();
        super.visitLabel(label);
    }

    @Override
    public void visitLdcInsn(Object value) {
        flush();
        super.visitLdcInsn(value);
    }

    @Override
    public void visitIincInsn(int varIndex, int increment) {
        flush();
        super.visitIincInsn(varIndex, increment);
    }

    @Override
    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
        flush();
        super.visitTableSwitchInsn(min, max, dflt, labels);
    }

    @Override
    public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
        flush();
        super.visitLookupSwitchInsn(dflt, keys, labels);
    }

    @Override
    public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
        flush();
        super.visitMultiANewArrayInsn(descriptor, numDimensions);
    }

    @Override
    public AnnotationVisitor visitInsnAnnotation(int typeRef, TypePath typePath, String descriptor,
                                                                        boolean visible) {
        // annotates the instruction just visited: emit it first so the annotation stays on it
        flush();
        return super.visitInsnAnnotation(typeRef, typePath, descriptor, visible);
    }

    @Override
    public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
        flush();
        super.visitTryCatchBlock(start, end, handler, type);
    }

    @Override
    public void visitLocalVariable(String name, String descriptor, String signature, Label start, Label end, int index) {
        flush();
        super.visitLocalVariable(name, descriptor, signature, start, end, index);
    }

    @Override
    public AnnotationVisitor visitTryCatchAnnotation(int typeRef, TypePath typePath,
                                                                            String descriptor, boolean visible) {
        flush();
        return super.visitTryCatchAnnotation(typeRef, typePath, descriptor, visible);
    }

    @Override
    public AnnotationVisitor visitLocalVariableAnnotation(int typeRef, TypePath typePath,
                                                                                 Label[] start, Label[] end, int[] index,
                                                                                 String descriptor, boolean visible) {
        flush();
        return super.visitLocalVariableAnnotation(typeRef, typePath, start, end, index, descriptor, visible);
    }

    @Override
    public void visitLineNumber(int line, Label start) {
        flush();
        super.visitLineNumber(line, start);
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
        flush();
        super.visitMaxs(maxStack, maxLocals);
    }

    @Override
    public void visitEnd() {
        flush();
        super.visitEnd();
    }
}
