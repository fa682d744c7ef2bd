package dev.vtrecycler.it.routing;

import dev.vtrecycler.it.support.ForkedJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fire-and-forget loop in a named module (on the module path, run with {@code -m}) is routed like
 * the same loop on the class path: the agent gives the module the read edge its rewritten calls need
 * ({@code Instrumentation.redefineModule}). Before, a named module's classes were silently left
 * alone: every one of the {@value #STARTS} starts ran on a thread of its own.
 */
class NamedModuleIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final int STARTS = 300;
    private static final String MODULE = "vtr.sample";
    private static final String MAIN = MODULE + ".FireAndForgetLoop";

    private static final String MODULE_INFO = "module " + MODULE + " { }\n";
    private static final String LOOP = """
            package vtr.sample;

            import java.util.Set;
            import java.util.concurrent.ConcurrentHashMap;
            import java.util.concurrent.CountDownLatch;

            public final class FireAndForgetLoop {
                public static void main(String[] args) throws Exception {
                    int starts = Integer.parseInt(args[0]);
                    Set<Thread> threads = ConcurrentHashMap.newKeySet();
                    Thread driver = Thread.ofVirtual().start(() -> {
                        for (int i = 0; i < starts; i++) {
                            CountDownLatch done = new CountDownLatch(1);
                            Thread.startVirtualThread(() -> {
                                threads.add(Thread.currentThread());
                                done.countDown();
                            });
                            try {
                                done.await();
                                Thread.sleep(1); // lets the finished thread reach a free list
                            } catch (InterruptedException e) {
                                throw new IllegalStateException(e);
                            }
                        }
                    });
                    driver.join();
                    System.out.println("MODULE " + FireAndForgetLoop.class.getModule().getName());
                    System.out.println("THREADS " + threads.size());
                }
            }
            """;

    private static Path compileModule(Path dir) throws IOException {
        Path src = dir.resolve("src");
        Path out = dir.resolve("mods").resolve(MODULE);
        Files.createDirectories(src.resolve("vtr/sample"));
        Files.writeString(src.resolve("module-info.java"), MODULE_INFO);
        Files.writeString(src.resolve("vtr/sample/FireAndForgetLoop.java"), LOOP);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", out.toString(),
                src.resolve("module-info.java").toString(), src.resolve("vtr/sample/FireAndForgetLoop.java").toString());
        assertThat(rc).as("javac").isZero();
        return out;
    }

    @Test
    void fireAndForgetStartsInANamedModuleReuseThreads(@TempDir Path dir) throws Exception {
        Path module = compileModule(dir);
        List<String> command = new ArrayList<>(List.of(ForkedJvm.javaLauncher(),
                ForkedJvm.javaagent("mode=recycle,fallback=off,port=none"),
                "-p", module.toString(), "-m", MODULE + "/" + MAIN, Integer.toString(STARTS)));
        try (ForkedJvm jvm = ForkedJvm.exec(command)) {
            assertThat(jvm.waitFor(TIMEOUT)).as(jvm.transcript()).isZero();
            assertThat(jvm.stdoutLines()).as(jvm.transcript()).contains("MODULE " + MODULE);
            int threads = jvm.stdoutLines().stream().filter(l -> l.startsWith("THREADS "))
                    .mapToInt(l -> Integer.parseInt(l.substring(8))).findFirst().orElseThrow();
            System.out.println("[named-module] " + STARTS + " fire-and-forget starts ran on " + threads + " threads");
            assertThat(threads).as("starts routed to recycled threads\n" + jvm.transcript()).isLessThan(STARTS / 2);
            assertThat(jvm.agentLines()).as(jvm.transcript()).noneMatch(l -> l.contains("unrouted") || l.contains("left "));
        }
    }
}
