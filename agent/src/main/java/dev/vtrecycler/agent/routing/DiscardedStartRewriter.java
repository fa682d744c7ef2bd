package dev.vtrecycler.agent.routing;

import net.bytebuddy.jar.asm.AnnotationVisitor;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.TypePath;
import net.bytebuddy.utility.OpenedClassReader;

import java.util.Set;

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
 *
 * <p>Two more shapes (issue: servers that start threads by reflection or through a local):
 * <pre>
 *   invokevirtual Method.invoke(Object, Object[])Object; pop
 *       -> dup2_x1; invokestatic ReflectiveRoutes.startOrPass(Method, Object, Object[])Method;
 *          dup_x2; pop; invokevirtual Method.invoke; pop
 *   invokeinterface ThreadFactory.newThread | Builder.unstarted; astore n; aload n; invokevirtual Thread.start()V
 *       -> invokestatic Routes.newThreadAndStart | unstartedAndStart; aconst_null; astore n
 * </pre>
 * The reflective form keeps the site's own {@code invoke} (caller-sensitive: it must stay in the
 * application's class); {@code startOrPass} either returns the Method unchanged or, having started the
 * task, a no-op Method. No branch, so no new frame; two more stack slots, added in visitMaxs. Only in
 * classes that mention a virtual-thread start at all ({@code reflective} flag). The local form is
 * applied only where {@link LocalStartScanner} proved the local never read again; the slot then holds
 * null, which every frame that types it as a {@code Thread} accepts.
 */
final class DiscardedStartRewriter extends MethodVisitor {
    static final String ROUTES = "dev/vtrecycler/bootstrap/routing/Routes";

    private static final String THREAD = "java/lang/Thread";
    private static final String BUILDER = "java/lang/Thread$Builder";
    private static final String OF_VIRTUAL = "java/lang/Thread$Builder$OfVirtual";
    private static final String FACTORY = "java/util/concurrent/ThreadFactory";
    private static final String RUNNABLE_TO_THREAD = "(Ljava/lang/Runnable;)Ljava/lang/Thread;";
    static final String REFLECTIVE_ROUTES = "dev/vtrecycler/bootstrap/routing/ReflectiveRoutes";
    private static final String METHOD = "java/lang/reflect/Method";
    private static final String INVOKE_DESCRIPTOR = "(Ljava/lang/Object;[Ljava/lang/Object;)Ljava/lang/Object;";

    /** What the held-back invoke is, and so what must follow it. */
    private enum Pending {
        NONE, START_VIRTUAL_THREAD, BUILDER_START, BUILDER_UNSTARTED, FACTORY_NEW_THREAD, REFLECTIVE_INVOKE
    }

    /** Where a local-variable site stands once its newThread/unstarted was replaced. */
    private enum LocalStep { NONE, STORE_NEXT, LOAD_NEXT, START_NEXT }

    private Pending pending = Pending.NONE;
    private int pendingOpcode;
    private String pendingOwner;
    private String pendingName;
    private String pendingDescriptor;
    private boolean pendingInterface;

    private final boolean reflective;
    private final Set<Integer> localSites;
    private LocalStep localStep = LocalStep.NONE;
    private int ordinal = -1;

    /** Sites rewritten in this method, by {@code RoutingStats} kind index (direct, reflective, local). */
    private final int[] rewrittenByKind = new int[3];

    DiscardedStartRewriter(MethodVisitor next) {
        this(next, false, Set.of());
    }

    /**
     * @param reflective also rewrite discarded {@code Method.invoke} calls
     * @param localSites ordinals (among method-call instructions) of local-variable sites {@link LocalStartScanner} accepted
     */
    DiscardedStartRewriter(MethodVisitor next, boolean reflective, Set<Integer> localSites) {
        super(OpenedClassReader.ASM_API, next);
        this.reflective = reflective;
        this.localSites = localSites;
    }

    /** Call sites rewritten in this method so far. */
    int rewritten() {
        return rewrittenByKind[0] + rewrittenByKind[1] + rewrittenByKind[2];
    }

    /** Call sites rewritten in this method so far, of one kind (RoutingStats.DIRECT, REFLECTIVE, LOCAL). */
    int rewritten(int kind) {
        return rewrittenByKind[kind];
    }

    static boolean isThreadStart(String owner, String name, String descriptor) {
        return THREAD.equals(owner) && "start".equals(name) && "()V".equals(descriptor);
    }

    /** {@code ThreadFactory.newThread(Runnable)} or {@code Thread.Builder[.OfVirtual].unstarted(Runnable)}. */
    static boolean makesUnstartedThread(int opcode, String owner, String name, String descriptor) {
        Pending kind = classify(opcode, owner, name, descriptor);
        return kind == Pending.BUILDER_UNSTARTED || kind == Pending.FACTORY_NEW_THREAD;
    }

    private static Pending classify(int opcode, String owner, String name, String descriptor) {
        if (opcode == Opcodes.INVOKEVIRTUAL && METHOD.equals(owner) && "invoke".equals(name)
                && INVOKE_DESCRIPTOR.equals(descriptor)) {
            return Pending.REFLECTIVE_INVOKE;
        }
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
        ordinal++;
        if (localStep == LocalStep.START_NEXT) { // the scanner proved this is the site's Thread.start()
            localStep = LocalStep.NONE;
            return;
        }
        if (localSites.contains(ordinal)) {
            flush();
            boolean factory = classify(opcode, owner, name, descriptor) == Pending.FACTORY_NEW_THREAD;
            super.visitMethodInsn(Opcodes.INVOKESTATIC, ROUTES, factory ? "newThreadAndStart" : "unstartedAndStart",
                    factory ? "(Ljava/util/concurrent/ThreadFactory;Ljava/lang/Runnable;)V"
                            : "(Ljava/lang/Thread$Builder;Ljava/lang/Runnable;)V", false);
            super.visitInsn(Opcodes.ACONST_NULL); // what the site's astore now stores: the local is dead
            localStep = LocalStep.STORE_NEXT;
            rewrittenByKind[2]++;
            return;
        }
        if (opcode == Opcodes.INVOKEVIRTUAL && isThreadStart(owner, name, descriptor)) {
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
        if (kind == Pending.NONE || (kind == Pending.REFLECTIVE_INVOKE && !reflective)) {
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
            if (pending == Pending.REFLECTIVE_INVOKE) {
                pending = Pending.NONE;
                // stack: m, target, args -> target, args, m, target, args
                super.visitInsn(Opcodes.DUP2_X1);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, REFLECTIVE_ROUTES, "startOrPass",
                        "(Ljava/lang/reflect/Method;Ljava/lang/Object;[Ljava/lang/Object;)Ljava/lang/reflect/Method;", false);
                // target, args, m' -> m', target, args
                super.visitInsn(Opcodes.DUP_X2);
                super.visitInsn(Opcodes.POP);
                super.visitMethodInsn(pendingOpcode, pendingOwner, pendingName, pendingDescriptor, pendingInterface);
                super.visitInsn(Opcodes.POP);
                rewrittenByKind[1]++;
                return;
            }
        }
        flush();
        super.visitInsn(opcode);
    }

    private void replacePending(String routesMethod, String routesDescriptor) {
        pending = Pending.NONE;
        super.visitMethodInsn(Opcodes.INVOKESTATIC, ROUTES, routesMethod, routesDescriptor, false);
        rewrittenByKind[0]++;
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
        if (localStep == LocalStep.STORE_NEXT) {
            localStep = LocalStep.LOAD_NEXT; // the astore stays: it stores the null pushed above
        } else if (localStep == LocalStep.LOAD_NEXT) {
            localStep = LocalStep.START_NEXT; // the aload feeding Thread.start() goes with it
            return;
        }
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
        // a reflective site holds two more values (the duplicated target and args) for one instruction
        super.visitMaxs(rewrittenByKind[1] > 0 ? maxStack + 2 : maxStack, maxLocals);
    }

    @Override
    public void visitEnd() {
        flush();
        super.visitEnd();
    }
}
