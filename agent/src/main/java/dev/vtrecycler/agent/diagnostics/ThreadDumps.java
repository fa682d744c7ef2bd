package dev.vtrecycler.agent.diagnostics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Thread dumps for {@code /threads}, kept off the scrape path and bounded: one dump at a time on a
 * thread of its own, at least {@link #MIN_INTERVAL_NANOS} from the end of one dump to the start of the next, at most
 * {@link #MAX_BYTES}, and the requester waits at most {@link #WAIT_MILLIS} (under the endpoint's
 * response deadline). A request that comes while a dump runs or too soon after one is refused at
 * once (the endpoint answers 429), so dump requests never pile up on connection threads.
 *
 * <p>Each dump is the JDK's own ({@link JdkThreadDump}) with the deadlock check's latest verdict
 * in front: a {@code "deadlocks"} property before the JDK's {@code "threadDump"} in JSON, a
 * paragraph before the dump in text.
 */
public final class ThreadDumps {
    static final long MIN_INTERVAL_NANOS = 2_000_000_000L;
    /** About 1 KiB per thread: some 60,000 threads (less on a heap under 1 GiB, see {@link JdkThreadDump#take}). Larger: jcmd. */
    static final long MAX_BYTES = 64L << 20;
    static final long WAIT_MILLIS = 20_000;

    public enum Status { OK, BUSY, TOO_SOON, TOO_LARGE, FAILED }

    /** What a request gets: a body for OK, else a one-line reason; {@code retryAfterSeconds} for BUSY and TOO_SOON. */
    public record Result(Status status, byte[] body, String reason, long retryAfterSeconds) {}

    private final ExecutorService worker;
    private final Supplier<DeadlockDetector.Report> deadlocks; // null: check off
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong lastEnd = new AtomicLong(System.nanoTime() - MIN_INTERVAL_NANOS);

    public ThreadDumps(Supplier<DeadlockDetector.Report> deadlocks) {
        this.deadlocks = deadlocks;
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "vtrecycler-thread-dump"); // platform: the dump must not list itself as work
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        this.worker = pool;
    }

    public Result dump(boolean json) {
        long now = System.nanoTime();
        if (!running.compareAndSet(false, true)) {
            return new Result(Status.BUSY, null, "a thread dump is being taken", 2);
        }
        long since = now - lastEnd.get();
        if (since < MIN_INTERVAL_NANOS) {
            running.set(false);
            return new Result(Status.TOO_SOON, null, "at most one thread dump per 2 s",
                    Math.max(1, (MIN_INTERVAL_NANOS - since + 999_999_999L) / 1_000_000_000L));
        }
        Future<byte[]> future;
        try {
            future = worker.submit(() -> {
                try {
                    return withDeadlocks(json, JdkThreadDump.take(json, MAX_BYTES));
                } finally {
                    lastEnd.set(System.nanoTime());
                    running.set(false); // only when the dump has ended, even if the requester gave up
                }
            });
        } catch (RuntimeException e) {
            running.set(false);
            return new Result(Status.FAILED, null, "cannot start a thread dump: " + e, 0);
        }
        try {
            return new Result(Status.OK, future.get(WAIT_MILLIS, TimeUnit.MILLISECONDS), null, 0);
        } catch (TimeoutException e) {
            return new Result(Status.FAILED, null, "the thread dump took longer than " + WAIT_MILLIS / 1000 + " s", 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(Status.FAILED, null, "interrupted", 0);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof JdkThreadDump.TooLarge large) {
                return new Result(Status.TOO_LARGE, null, "the thread dump has " + large.bytes + " bytes, more than the endpoint serves"
                        + " (64 MiB, at most 1/16 of the heap); take it with jcmd <pid> Thread.dump_to_file -format=json <file>", 0);
            }
            return new Result(Status.FAILED, null, "thread dump failed: " + e.getCause(), 0);
        }
    }

    private byte[] withDeadlocks(boolean json, byte[] dump) throws IOException {
        DeadlockDetector.Report report = deadlocks == null ? null : deadlocks.get();
        ByteArrayOutputStream out = new ByteArrayOutputStream(dump.length + 1024);
        if (json) {
            int brace = indexOf(dump, (byte) '{');
            if (brace < 0) {
                return dump;
            }
            out.write(dump, 0, brace + 1);
            String deadlockProperty = report == null
                    ? "\n  \"deadlocks\": null,"
                    : "\n  \"deadlocks\": " + report.json() + ",";
            out.write(deadlockProperty.getBytes(StandardCharsets.UTF_8));
            out.write(dump, brace + 1, dump.length - brace - 1);
        } else {
            String head = report == null ? "Deadlock check: off (deadlock-check=off)\n" : report.describe();
            out.write(head.getBytes(StandardCharsets.UTF_8));
            out.write('\n');
            out.write(dump);
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
