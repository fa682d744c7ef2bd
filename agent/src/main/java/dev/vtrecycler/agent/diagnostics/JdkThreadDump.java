package dev.vtrecycler.agent.diagnostics;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.HotSpotDiagnosticMXBean.ThreadDumpFormat;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The JDK's own thread dump, {@code HotSpotDiagnosticMXBean.dumpThreads}: every platform thread
 * and every virtual thread the JDK tracks (all of them unless {@code -Djdk.trackAllThreads=false}),
 * grouped by thread container. The API writes to a new file only, so each dump goes to a file in a
 * directory of ours (owner-only permissions: a dump shows what the application is doing), is read
 * back and deleted.
 */
final class JdkThreadDump {
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static volatile Path directory;

    /** Too large to serve: the dump had this many bytes. */
    static final class TooLarge extends IOException {
        final long bytes;

        TooLarge(long bytes) {
            super("thread dump of " + bytes + " bytes");
            this.bytes = bytes;
        }
    }

    /**
     * The dump's bytes (UTF-8), at most {@code maxBytes} and at most a sixteenth of the maximum heap
     * (the reader holds a copy or two of it: a dump must not be what runs the host out of memory).
     * The size is checked on the file, before anything is read.
     */
    static byte[] take(boolean json, long maxBytes) throws IOException {
        long cap = Math.min(maxBytes, Runtime.getRuntime().maxMemory() / 16);
        Path file = directory().resolve("threads-" + SEQUENCE.incrementAndGet() + (json ? ".json" : ".txt"));
        try {
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .dumpThreads(file.toString(), json ? ThreadDumpFormat.JSON : ThreadDumpFormat.TEXT_PLAIN);
            long size = Files.size(file);
            if (size > cap) {
                throw new TooLarge(size);
            }
            return Files.readAllBytes(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static Path directory() throws IOException {
        Path dir = directory;
        if (dir == null) {
            synchronized (JdkThreadDump.class) {
                dir = directory;
                if (dir == null) {
                    dir = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                            ? Files.createTempDirectory("vtrecycler-threads",
                                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))
                            : Files.createTempDirectory("vtrecycler-threads");
                    dir.toFile().deleteOnExit(); // empty by then: every dump file is deleted after reading
                    directory = dir;
                }
            }
        }
        return dir;
    }

    private JdkThreadDump() {}
}
