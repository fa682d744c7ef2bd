package dev.vtrecycler.demo.compare;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/** Reading a child JVM's output: {@code compare}'s workload children and {@code service-ab}'s servers. */
public final class ChildOutput {
    private ChildOutput() {}

    /** Hands every line of {@code stream} to {@code onLine} on a daemon thread, until the stream ends. */
    public static Thread pump(InputStream stream, Consumer<String> onLine, String threadName) {
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    onLine.accept(line);
                }
            } catch (IOException ignored) {
                // the child is gone; its exit says why
            }
        }, threadName);
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    /** The last lines of a child's stderr, for a failure message; added to from a reader thread. */
    public static final class Tail {
        private final int capacity;
        private final Deque<String> lines = new ArrayDeque<>();

        public Tail(int capacity) {
            this.capacity = capacity;
        }

        public void add(String line) {
            synchronized (lines) {
                lines.addLast(line);
                if (lines.size() > capacity) {
                    lines.removeFirst();
                }
            }
        }

        /** {@code "; last stderr lines:"} and the lines, each on its own indented line; {@code whenEmpty} if none. */
        public String describe(String whenEmpty) {
            synchronized (lines) {
                if (lines.isEmpty()) {
                    return whenEmpty;
                }
                StringBuilder text = new StringBuilder("; last stderr lines:");
                for (String line : lines) {
                    text.append("\n    | ").append(line);
                }
                return text.toString();
            }
        }
    }
}
