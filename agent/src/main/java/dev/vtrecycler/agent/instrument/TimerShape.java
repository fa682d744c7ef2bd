package dev.vtrecycler.agent.instrument;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * Where {@code java.lang.VirtualThread} arms the timeout of a timed park, found by the shape of its
 * code, never by version. JDK 25: {@code afterYield} calls
 * {@code schedule(this::parkTimeoutExpired, timeout, NANOSECONDS)}, which for a {@code ForkJoinPool}
 * scheduler is {@code pool.schedule(...)} on the pool's {@code DelayScheduler}. JDK 21 has no such
 * site ({@code parkNanos} calls {@code scheduleUnpark(this::unpark, nanos)} on the shared
 * "VirtualThread-unparker" {@code ScheduledThreadPoolExecutor}), and neither has a JDK whose
 * {@code afterYield} changed: the reusable timeout is then not installed, with one line.
 *
 * <p>Needed, all in {@code afterYield}: exactly one {@code invokedynamic} whose implementation is
 * {@code VirtualThread.parkTimeoutExpired()V} ({@link #lambdaSites}), and calls of
 * {@code VirtualThread.schedule(Runnable, long, TimeUnit)Future} ({@link #scheduleSites}). The JDK
 * classes and fields the runtime reads are checked by {@link #missingMember(ClassLoader)}.
 */
record TimerShape(int lambdaSites, int scheduleSites) {
    static final String METHOD = "afterYield";
    static final String CANCEL_METHOD = "cancelTimeoutTask";
    static final String OWNER = "java/lang/VirtualThread";
    static final String TIMEOUT_METHOD = "parkTimeoutExpired";
    static final String SCHEDULE = "schedule";
    static final String SCHEDULE_DESCRIPTOR = "(Ljava/lang/Runnable;JLjava/util/concurrent/TimeUnit;)Ljava/util/concurrent/Future;";

    static TimerShape of(Class<?> virtualThread) throws IOException {
        try (InputStream in = ClassLoader.getSystemResourceAsStream(virtualThread.getName().replace('.', '/') + ".class")) {
            if (in == null) {
                throw new IOException("cannot read the class file of " + virtualThread.getName());
            }
            return scan(in.readAllBytes(), virtualThread.getName().replace('.', '/'));
        }
    }

    /** Counts, in {@code afterYield} of the class file, the timeout lambdas and the schedule calls. */
    static TimerShape scan(byte[] classFile, String owner) {
        int[] counts = new int[2];
        OpenedClassReader.of(classFile).accept(new ClassVisitor(OpenedClassReader.ASM_API) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                if (!name.equals(METHOD)) {
                    return null;
                }
                return new MethodVisitor(OpenedClassReader.ASM_API) {
                    @Override
                    public void visitInvokeDynamicInsn(String indyName, String indyDescriptor, Handle bootstrap, Object... args) {
                        if (isTimeoutLambda(owner, indyDescriptor, args)) {
                            counts[0]++;
                        }
                    }

                    @Override
                    public void visitMethodInsn(int opcode, String callOwner, String callName, String callDescriptor, boolean itf) {
                        if (isSchedule(owner, opcode, callOwner, callName, callDescriptor)) {
                            counts[1]++;
                        }
                    }
                };
            }
        }, 0);
        return new TimerShape(counts[0], counts[1]);
    }

    /** {@code this::parkTimeoutExpired}: a metafactory call capturing only {@code this}. */
    static boolean isTimeoutLambda(String owner, String indyDescriptor, Object[] args) {
        return indyDescriptor.equals("(L" + owner + ";)Ljava/lang/Runnable;")
                && args.length >= 2 && args[1] instanceof Handle impl
                && impl.getOwner().equals(owner) && impl.getName().equals(TIMEOUT_METHOD) && impl.getDesc().equals("()V");
    }

    static boolean isSchedule(String owner, int opcode, String callOwner, String callName, String callDescriptor) {
        return (opcode == Opcodes.INVOKEVIRTUAL || opcode == Opcodes.INVOKESPECIAL)
                && callOwner.equals(owner) && callName.equals(SCHEDULE) && callDescriptor.equals(SCHEDULE_DESCRIPTOR);
    }

    /** {@code timeoutTask.cancel(boolean)} in {@code cancelTimeoutTask}; without it no cancel is ever dropped. */
    static boolean isCancel(int opcode, String callOwner, String callName, String callDescriptor) {
        return opcode == Opcodes.INVOKEINTERFACE && callOwner.equals("java/util/concurrent/Future")
                && callName.equals("cancel") && callDescriptor.equals("(Z)Z");
    }

    boolean supported() {
        return lambdaSites == 1 && scheduleSites >= 1;
    }

    /**
     * The first JDK member the runtime ({@code bootstrap.wakeup.JdkTimers}) needs that this JDK lacks,
     * or null when all are there.
     */
    static String missingMember(ClassLoader boot) {
        List<String[]> needed = new ArrayList<>(List.of(
                new String[] {"java.util.concurrent.DelayScheduler", "nanoTimeOffset"},
                new String[] {"java.util.concurrent.DelayScheduler$ScheduledForkJoinTask", "pool"},
                new String[] {"java.util.concurrent.DelayScheduler$ScheduledForkJoinTask", "runnable"},
                new String[] {"java.util.concurrent.DelayScheduler$ScheduledForkJoinTask", "when"},
                new String[] {"java.util.concurrent.ForkJoinTask", "status"},
                new String[] {"java.lang.VirtualThread", "scheduler"}));
        for (String[] member : needed) {
            try {
                Class.forName(member[0], false, boot).getDeclaredField(member[1]);
            } catch (ReflectiveOperationException | LinkageError e) {
                return member[0] + "." + member[1];
            }
        }
        return null;
    }
}
