package dev.vtrecycler.bootstrap.recycler;

/**
 * Makes a stack overflow inside the submit path's bookkeeping impossible by provoking it first,
 * where nothing is held yet.
 *
 * <p>HotSpot throws StackOverflowError at a method's entry, when the frame it pushes would come
 * within the shadow zone of the stack's end (it bangs that far ahead); returning never throws. So
 * if a call chain reached depth P below the current frame and returned, every later chain from
 * this frame that stays within P cannot overflow. {@link #ensure()} descends {@value #FRAMES}
 * frames, each holding four longs across its call (so the JIT keeps them in the frame, not in
 * registers): about 7 KiB interpreted (some 27 words a frame), about 1.5 KiB compiled (C2 inlines
 * one level of the recursion), in either mode several times what the submit path needs below
 * {@code Recycler.submit} (pin, the list pop or refill, the claim CAS, the unpark into the
 * scheduler, or a new thread's start) compiled the same way. Native code below a JDK call (a
 * carrier's {@code Thread.start}) runs in HotSpot's shadow zone, which every Java frame keeps free. A submitter that is that close to
 * its stack's end gets its StackOverflowError from here, before any list, pin or lock was touched:
 * the task is then not accepted, as a fresh thread's start at the same depth would fail too.
 *
 * <p>Cost: {@value #FRAMES} calls per submit, tens of nanoseconds compiled (a 64-frame version
 * timed 600-1,200 ns in a plain loop on a 2-core machine at load average 25, so about 50-100 ns
 * unloaded; halved here). Never needed on the worker's side: its bookkeeping runs at a fixed,
 * shallow depth below its own {@code run()}.
 */
final class StackProbe {
    static final int FRAMES = 32;

    private StackProbe() {}

    static void ensure() {
        if (descend(FRAMES, 1, 2, 3, 4) == Long.MIN_VALUE) {
            throw new AssertionError(); // never: only keeps the result (and so the calls) alive
        }
    }

    private static long descend(int n, long a, long b, long c, long d) {
        if (n == 0) {
            return a ^ b ^ c ^ d;
        }
        long r = descend(n - 1, a + 1, b + 3, c + 5, d + 7);
        return r + (a * b) + (c * d);
    }
}
