package dev.vtrecycler.bootstrap;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * Where a hot-path counter update lands: a row owned by the current carrier, written without an
 * atomic read-modify-write (Go's per-P counters), or a shared stripe updated atomically.
 *
 * <p>Rows {@code 0 .. CARRIER_ROWS-1} belong to the carriers of the JDK's default virtual-thread
 * scheduler, one per {@link ForkJoinWorkerThread#getPoolIndex() pool index}; rows
 * {@code CARRIER_ROWS ..} are {@link #STRIPES} stripes chosen by thread id for everyone else
 * (platform threads, carriers of another pool, a carrier whose index has no row).
 *
 * <h2>Why a plain write to a carrier row is safe</h2>
 * <ul>
 *   <li><b>One writer per row at a time.</b> A pool index is unique among the live workers of a
 *       pool ({@code ForkJoinPool.registerWorker} hands it out under the pool's run-state lock), and
 *       a carrier is one OS thread running one virtual thread at a time. Code on a row therefore runs
 *       on that one OS thread, whichever virtual thread is mounted.</li>
 *   <li><b>Nothing interleaves mid-update.</b> A virtual thread leaves its carrier only where it
 *       yields (park, sleep, blocking I/O, {@code j.u.c} locks; on 24+ also contended
 *       {@code synchronized} and {@code Object.wait}); there is no preemption between plain
 *       statements (DESIGN §3). The load, add and store of {@link #add} contain none of those, so
 *       no other virtual thread can run on the carrier between them, and the thread cannot migrate
 *       to another carrier between choosing the row and writing it.</li>
 *   <li><b>A reused index sees its predecessor's writes.</b> When a carrier exits and a new one
 *       gets its index, the old one's deregistration and the new one's registration both take the
 *       pool's run-state lock: the old writes happen-before the new read.</li>
 *   <li><b>Readers</b> ({@link #read}, at scrape time) use acquire loads and writers release
 *       stores, so a reader that sees a count also sees everything the writer did before it (the
 *       live gauge relies on it: a thread's start, on one carrier, happens-before its end, possibly
 *       on another). On x86 both are plain moves: the update costs a load and a store.</li>
 * </ul>
 *
 * <p>Rows are {@value #PAD} longs (128 bytes: two cache lines, which also defeats adjacent-line
 * prefetch) apart, so two carriers never write the same line. Everything here is looked up once;
 * if a JDK internal is missing (an unusual JDK, or this class initialized before the agent opened
 * {@code java.lang}), every update takes the striped path: slower, still exact.
 */
public final class CarrierStripes {
    /** Longs between two rows: 128 bytes. */
    public static final int PAD = 16;
    /** Shared stripes for threads without a carrier row: a power of two, at least 2 x cores, at most 64. */
    static final int STRIPES;
    /** Rows reserved for carriers, indexed by pool index: covers the indices a pool of the configured parallelism hands out. */
    static final int CARRIER_ROWS;
    /** All rows. */
    public static final int ROWS;

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    static {
        int cpus = Runtime.getRuntime().availableProcessors();
        STRIPES = Math.min(nextPowerOfTwo(2 * cpus), 64);
        // Pool indices are not dense (parallelism 1 gave {3}, 4 gave {2,3,5,6}) but stay below about
        // twice the parallelism; compensating workers beyond that take the striped path.
        CARRIER_ROWS = Math.min(Math.max(nextPowerOfTwo(2 * Math.max(cpus, configuredParallelism())), 8), 256);
        ROWS = CARRIER_ROWS + STRIPES;
    }

    /**
     * The JDK internals that find the carrier, in a holder of their own: the row sizes above are
     * needed as soon as any counter exists (the agent creates its counters before it opens
     * {@code java.lang} to the bootstrap runtime), these only once the agent has opened it.
     * {@link #init()} runs from {@link VtHooks#preload()}, before any advice can call {@link #row()}.
     */
    private static final class Carrier {
        /** {@code Thread.currentCarrierThread()} (package-private, intrinsic) as {@code ()Thread}; null if unavailable. */
        static final MethodHandle CURRENT;
        /** The JDK's default virtual-thread scheduler; rows are handed out for its workers only. */
        static final ForkJoinPool DEFAULT_SCHEDULER;
        /** Why carrier rows are not in use, or null when they are. */
        static final String PROBLEM;

        static {
            MethodHandle current = null;
            ForkJoinPool scheduler = null;
            String problem = null;
            try {
                Class<?> vt = Class.forName("java.lang.VirtualThread");
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                current = MethodHandles.privateLookupIn(Thread.class, lookup)
                        .findStatic(Thread.class, "currentCarrierThread", MethodType.methodType(Thread.class));
                scheduler = (ForkJoinPool) MethodHandles.privateLookupIn(vt, lookup)
                        .findStaticVarHandle(vt, "DEFAULT_SCHEDULER", ForkJoinPool.class).get();
            } catch (Throwable t) {
                problem = t.getClass().getSimpleName() + ": " + t.getMessage();
                current = null;
                scheduler = null;
            }
            CURRENT = current;
            DEFAULT_SCHEDULER = scheduler;
            PROBLEM = problem;
        }
    }

    private static int nextPowerOfTwo(int n) {
        return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
    }

    private static int configuredParallelism() {
        try {
            return Integer.parseInt(System.getProperty("jdk.virtualThreadScheduler.parallelism", "1").trim());
        } catch (RuntimeException e) {
            return 1;
        }
    }

    /** The current thread's row: {@code < CARRIER_ROWS} when it is owned by the current carrier (see {@link #owned}). */
    public static int row() {
        if (Carrier.CURRENT != null) {
            Thread carrier;
            try {
                carrier = (Thread) Carrier.CURRENT.invokeExact();
            } catch (Throwable t) {
                carrier = null; // cannot happen for a resolved static method without checked exceptions
            }
            if (carrier instanceof ForkJoinWorkerThread worker && worker.getPool() == Carrier.DEFAULT_SCHEDULER) {
                int index = worker.getPoolIndex();
                if (index < CARRIER_ROWS) {
                    return index;
                }
            }
        }
        return stripe();
    }

    /** A shared stripe from the current thread's id (ids are sequential: consecutive threads spread). */
    static int stripe() {
        long id = Thread.currentThread().threadId();
        return CARRIER_ROWS + (int) ((id ^ (id >>> 7)) & (STRIPES - 1));
    }

    /** Whether {@code row} belongs to the current carrier alone (a plain update is safe, see the class comment). */
    public static boolean owned(int row) {
        return row < CARRIER_ROWS;
    }

    /**
     * Adds {@code delta} to {@code cells[index]}, which lies in {@code row}; returns the new value.
     * Owned rows: load, add, release-store (no other writer can run meanwhile). Stripes: atomic add.
     */
    public static long add(long[] cells, int row, int index, long delta) {
        if (owned(row)) {
            long updated = cells[index] + delta;
            LONGS.setRelease(cells, index, updated);
            return updated;
        }
        return (long) LONGS.getAndAdd(cells, index, delta) + delta;
    }

    /** A scrape-time read of one cell. */
    public static long read(long[] cells, int index) {
        return (long) LONGS.getAcquire(cells, index);
    }

    /** A single-word value many threads write and read, such as the last measured duration: opaque, never torn. */
    public static void writeShared(long[] cells, int index, long value) {
        LONGS.setOpaque(cells, index, value);
    }

    public static long readShared(long[] cells, int index) {
        return (long) LONGS.getOpaque(cells, index);
    }

    /**
     * Looks up the carrier internals (once) and says why carrier rows cannot be used, or null when
     * they are: updates from carriers of the default scheduler then avoid atomic read-modify-writes.
     */
    public static String init() {
        row();
        return Carrier.PROBLEM;
    }

    private CarrierStripes() {}
}
