package dev.vtrecycler.demo.measure;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * The time this JVM's JIT compilers have run so far, nanoseconds: what a configuration that compiles
 * more (recycling adds a path, and its probes make the fresh one hot later) pays in a server's first
 * minute, apart from what its requests cost.
 *
 * <p>On Linux it is the compiler threads' own CPU time, the first field of each
 * {@code /proc/self/task/<tid>/schedstat} (nanoseconds on a CPU) of the threads HotSpot names
 * "C1 CompilerThre..." and "C2 CompilerThre..." ({@code comm} keeps 15 characters). Those threads are
 * hidden from {@code ThreadMXBean}, and {@link CompilationMXBean#getTotalCompilationTime} is elapsed
 * time, which counts the seconds a compiler waits for a CPU its server is using: on a server pinned
 * to one CPU it read 2-3 s in an 8 s step that kept the CPU 45% busy. Elsewhere, or where the files
 * cannot be read at the first reading, that elapsed time (an upper bound) is used for the JVM's life.
 * A compiler thread that exits (HotSpot removes idle extra compiler threads) takes its time with it:
 * a delta can then read low, never high; with one or two CPUs HotSpot keeps one thread per compiler
 * and removes none.
 */
public final class CompilerCpu {
    private static final Path TASKS = Path.of("/proc/self/task");
    private static final String COMPILER_THREAD = "CompilerThre";
    private static final CompilerCpu THIS_JVM = new CompilerCpu(() -> compilerThreadsOnCpu(TASKS), CompilerCpu::elapsedNanos);

    private final LongSupplier onCpu;
    private final LongSupplier elapsed;
    private Boolean fromProc; // chosen at the first read, then kept: a delta never mixes CPU time with elapsed time
    private long last;

    CompilerCpu(LongSupplier onCpu, LongSupplier elapsed) {
        this.onCpu = onCpu;
        this.elapsed = elapsed;
    }

    /** The compilers' time so far in this JVM, nanoseconds; 0 where the JVM reports none. */
    public static long nanos() {
        return THIS_JVM.read();
    }

    /**
     * The next reading: from the source the first read found (the threads' CPU time if readable then,
     * else the MXBean's elapsed time), never below the last one. A later read of {@code /proc} that
     * fails repeats the last reading instead of switching to the other source's unrelated count, and a
     * sum that drops (a compiler thread exited with its time) holds at the last reading, so a delta
     * reads low for a while, never negative and never high.
     */
    synchronized long read() {
        long now;
        if (fromProc == null) {
            now = onCpu.getAsLong();
            fromProc = now >= 0;
            if (!fromProc) {
                now = elapsed.getAsLong();
            }
        } else {
            now = fromProc ? onCpu.getAsLong() : elapsed.getAsLong();
        }
        last = Math.max(last, now);
        return last;
    }

    /** The on-CPU nanoseconds of the compiler threads under {@code tasks}, or -1 if unreadable. */
    static long compilerThreadsOnCpu(Path tasks) {
        if (!Files.isDirectory(tasks)) {
            return -1;
        }
        long sum = 0;
        int found = 0;
        try (Stream<Path> threads = Files.list(tasks)) {
            for (Path thread : (Iterable<Path>) threads::iterator) {
                long nanos = onCpuIfCompiler(thread);
                if (nanos >= 0) {
                    sum += nanos;
                    found++;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return found > 0 ? sum : -1; // no compiler thread seen (an interpreter-only JVM): the MXBean says
    }

    /** The thread's on-CPU nanoseconds if it is a compiler thread, else -1; a thread that exited meanwhile is -1. */
    private static long onCpuIfCompiler(Path thread) throws IOException {
        try {
            if (!Files.readString(thread.resolve("comm")).contains(COMPILER_THREAD)) {
                return -1;
            }
            String schedstat = Files.readString(thread.resolve("schedstat")).strip();
            int space = schedstat.indexOf(' ');
            return Long.parseLong(space < 0 ? schedstat : schedstat.substring(0, space));
        } catch (NoSuchFileException e) {
            return -1;
        }
    }

    private static long elapsedNanos() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() * 1_000_000 : 0;
    }
}
