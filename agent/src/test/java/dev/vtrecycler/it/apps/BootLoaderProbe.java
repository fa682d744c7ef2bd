package dev.vtrecycler.it.apps;

import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;

/**
 * Says which loader holds each of the agent's bootstrap classes, runs a few virtual threads through
 * the JDK's executor (the advice and the routing must still link to them), and exits.
 *
 * <p>Argument: the agent jar, read for the class names only (it is not on this JVM's class path, so
 * without the agent every class is "missing"). Output, one line each:
 * {@code boot=N other=N missing=N}, {@code elsewhere=[names]}, {@code tasks=N}.
 */
public final class BootLoaderProbe {
    public static void main(String[] args) throws Exception {
        List<String> names;
        try (JarFile jar = new JarFile(args[0])) {
            names = jar.stream().map(e -> e.getName())
                    .filter(n -> n.startsWith("dev/vtrecycler/bootstrap/") && n.endsWith(".class"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                    .toList();
        }
        int boot = 0;
        int missing = 0;
        List<String> elsewhere = new ArrayList<>();
        for (String name : names) {
            try {
                Class<?> c = Class.forName(name, false, BootLoaderProbe.class.getClassLoader());
                if (c.getClassLoader() == null) {
                    boot++;
                } else {
                    elsewhere.add(name);
                }
            } catch (ClassNotFoundException e) {
                missing++;
            }
        }
        System.out.println("boot=" + boot + " other=" + elsewhere.size() + " missing=" + missing);
        System.out.println("elsewhere=" + elsewhere);
        java.util.concurrent.atomic.AtomicInteger ran = new java.util.concurrent.atomic.AtomicInteger();
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 100; i++) {
                executor.submit(ran::incrementAndGet);
            }
        }
        System.out.println("tasks=" + ran.get());
    }

    private BootLoaderProbe() {}
}
