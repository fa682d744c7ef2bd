package dev.vtrecycler.demo.measure;

import java.util.Arrays;

/**
 * Counts the distinct threads a set of tasks ran on. Without recycling every task started with
 * {@code Thread.startVirtualThread} gets a new thread (as many ids as tasks); with recycling
 * fewer. This is how {@code compare} sees, from outside the agent, that recycling really happened.
 */
public final class ThreadReuse {
    private ThreadReuse() {}

    /** Distinct non-zero ids among the first {@code count} entries (0 = slot never filled). */
    public static ResultLine.Reuse of(long[] threadIds, int count) {
        long[] ids = Arrays.copyOf(threadIds, Math.min(count, threadIds.length));
        Arrays.sort(ids);
        long distinct = 0;
        long filled = 0;
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == 0) {
                continue;
            }
            filled++;
            if (i == 0 || ids[i] != ids[i - 1]) {
                distinct++;
            }
        }
        return new ResultLine.Reuse(filled, distinct);
    }
}
