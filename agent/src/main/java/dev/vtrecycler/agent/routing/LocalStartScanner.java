package dev.vtrecycler.agent.routing;

import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.utility.OpenedClassReader;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * First pass over one method, before {@link DiscardedStartRewriter}: finds the local-variable
 * starts that are safe to route,
 * <pre>
 *   invokeinterface ThreadFactory.newThread(Runnable) | Thread$Builder[$OfVirtual].unstarted(Runnable)
 *   astore n
 *   (labels and line numbers only, none of them a jump, switch or exception-range target)
 *   aload n
 *   invokevirtual Thread.start()V
 * </pre>
 * where that {@code aload n} is the only read of slot {@code n} anywhere in the method. That check
 * is deliberately cruder than a data-flow analysis: a slot that javac reuses for another variable,
 * a thread that is read again, stored in a field, passed on, captured by a lambda, used in an
 * exception handler or read in a loop all show up as a second read, and the site is left alone.
 * Anything unexpected between the instructions (a frame, any other instruction) also leaves it.
 *
 * <p>Sites are identified by the ordinal of their {@code newThread}/{@code unstarted} instruction among
 * the method's method-call instructions, which the second pass over the same class file sees in the
 * same order.
 */
final class LocalStartScanner extends MethodVisitor {
    private enum State { IDLE, INVOKED, STORED, LOADED }

    private record Candidate(int ordinal, int slot, List<Label> labelsBetween) {}

    private final Map<Integer, Integer> loadsBySlot = new HashMap<>();
    private final Set<Label> targets = new HashSet<>();
    private final List<Candidate> candidates = new ArrayList<>();
    private final Set<Integer> accepted = new HashSet<>();

    private State state = State.IDLE;
    private int ordinal = -1;
    private int candidateOrdinal;
    private int slot;
    private List<Label> labelsBetween;

    LocalStartScanner() {
        super(OpenedClassReader.ASM_API);
    }

    /** Ordinals of the method-call instructions that start a safe local-variable site; valid after visitEnd. */
    Set<Integer> accepted() {
        return accepted;
    }

    private void reset() {
        state = State.IDLE;
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
        ordinal++;
        if (state == State.LOADED && opcode == Opcodes.INVOKEVIRTUAL && DiscardedStartRewriter.isThreadStart(owner, name, descriptor)) {
            candidates.add(new Candidate(candidateOrdinal, slot, labelsBetween));
            reset();
            return;
        }
        reset();
        if (DiscardedStartRewriter.makesUnstartedThread(opcode, owner, name, descriptor)) {
            state = State.INVOKED;
            candidateOrdinal = ordinal;
        }
    }

    @Override
    public void visitVarInsn(int opcode, int varIndex) {
        if (opcode == Opcodes.ALOAD || opcode == Opcodes.RET) {
            loadsBySlot.merge(varIndex, 1, Integer::sum);
        }
        if (state == State.INVOKED && opcode == Opcodes.ASTORE) {
            state = State.STORED;
            slot = varIndex;
            labelsBetween = new ArrayList<>();
        } else if (state == State.STORED && opcode == Opcodes.ALOAD && varIndex == slot) {
            state = State.LOADED;
        } else {
            reset();
        }
    }

    @Override
    public void visitLabel(Label label) {
        if (state == State.STORED) {
            labelsBetween.add(label);
        } else {
            reset();
        }
    }

    @Override
    public void visitLineNumber(int line, Label start) {
        if (state != State.STORED) {
            reset();
        }
    }

    @Override
    public void visitJumpInsn(int opcode, Label label) {
        targets.add(label);
        reset();
    }

    @Override
    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
        targets.add(dflt);
        targets.addAll(List.of(labels));
        reset();
    }

    @Override
    public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
        targets.add(dflt);
        targets.addAll(List.of(labels));
        reset();
    }

    @Override
    public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
        // a try range that begins or ends between the store and the start would see the start's
        // exceptions differently once the start moved up to the store
        targets.add(start);
        targets.add(end);
        targets.add(handler);
    }

    @Override
    public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
        reset();
    }

    @Override
    public void visitInsn(int opcode) {
        reset();
    }

    @Override
    public void visitIntInsn(int opcode, int operand) {
        reset();
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
        reset();
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
        reset();
    }

    @Override
    public void visitInvokeDynamicInsn(String name, String descriptor, net.bytebuddy.jar.asm.Handle bsm, Object... args) {
        reset();
    }

    @Override
    public void visitLdcInsn(Object value) {
        reset();
    }

    @Override
    public void visitIincInsn(int varIndex, int increment) {
        reset();
    }

    @Override
    public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
        reset();
    }

    @Override
    public void visitEnd() {
        for (Candidate c : candidates) {
            if (loadsBySlot.getOrDefault(c.slot, 0) == 1 && c.labelsBetween.stream().noneMatch(targets::contains)) {
                accepted.add(c.ordinal);
            }
        }
    }
}
