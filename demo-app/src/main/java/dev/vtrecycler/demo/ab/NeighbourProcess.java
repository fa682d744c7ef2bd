package dev.vtrecycler.demo.ab;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The running {@link Neighbour} JVM: closing its standard input stops it; killed if it lingers. */
final class NeighbourProcess implements AutoCloseable {
    private final Process process;
    private final OutputStream stdin;
    private final Thread killOnExit;

    private NeighbourProcess(Process process) {
        this.process = process;
        this.stdin = process.getOutputStream();
        this.killOnExit = new Thread(process::destroyForcibly, "service-ab-neighbour-kill");
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /**
     * Starts {@code threads} busy threads in a JVM of their own, on the server's CPUs when pinned (it
     * is the server's neighbour, not the load generator's); null for 0 threads.
     */
    static NeighbourProcess start(String java, Path classPath, int threads, CpuSplit cpus) throws IOException {
        if (threads <= 0) {
            return null;
        }
        Process process = new ProcessBuilder(cpus.serverCommand(List.of(java, "-Xmx32m", "-cp", classPath.toString(),
                Neighbour.class.getName(), Integer.toString(threads))))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        return new NeighbourProcess(process);
    }

    @Override
    public void close() throws InterruptedException {
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException e) {
            // the JVM is exiting: the hook kills it
        }
        try {
            stdin.close();
        } catch (IOException e) {
            // already gone
        }
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
