package dev.vtrecycler.agent.instrument;

import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * Rewrites {@code VirtualThread.afterYield} and {@code cancelTimeoutTask} (JDK 25 shape, {@link TimerShape}):
 * <ul>
 *   <li>{@code invokedynamic this::parkTimeoutExpired} becomes
 *       {@code invokestatic Timeouts.action(Thread)Runnable} (same stack: the thread in, a Runnable out);</li>
 *   <li>{@code invokevirtual VirtualThread.schedule(Runnable, long, TimeUnit)} becomes
 *       {@code invokestatic Timeouts.schedule(Thread, Runnable, long, TimeUnit)} (the receiver becomes
 *       the first argument; the stack is the same);</li>
 *   <li>in {@code cancelTimeoutTask}, {@code invokeinterface Future.cancel(boolean)} becomes
 *       {@code invokestatic Timeouts.cancel(Future, boolean)} (same stack).</li>
 * </ul>
 * Same stack heights and types at every instruction, so the stack-map frames stay valid.
 */
final class TimeoutCallRewriter extends MethodVisitor {
    static final String TIMEOUTS = "dev/vtrecycler/bootstrap/wakeup/Timeouts";
    private final String owner;

    TimeoutCallRewriter(MethodVisitor next, String owner) {
        super(OpenedClassReader.ASM_API, next);
        this.owner = owner;
    }

    @Override
    public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... args) {
        if (TimerShape.isTimeoutLambda(owner, descriptor, args)) {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, TIMEOUTS, "action", "(Ljava/lang/Thread;)Ljava/lang/Runnable;", false);
        } else {
            super.visitInvokeDynamicInsn(name, descriptor, bootstrap, args);
        }
    }

    @Override
    public void visitMethodInsn(int opcode, String callOwner, String name, String descriptor, boolean isInterface) {
        if (TimerShape.isCancel(opcode, callOwner, name, descriptor)) {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, TIMEOUTS, "cancel", "(Ljava/util/concurrent/Future;Z)Z", false);
        } else if (TimerShape.isSchedule(owner, opcode, callOwner, name, descriptor)) {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, TIMEOUTS, "schedule",
                    "(Ljava/lang/Thread;Ljava/lang/Runnable;JLjava/util/concurrent/TimeUnit;)Ljava/util/concurrent/Future;", false);
        } else {
            super.visitMethodInsn(opcode, callOwner, name, descriptor, isInterface);
        }
    }
}
