package dev.vtrecycler.it.routing;

import dev.vtrecycler.agent.config.AgentConfig;
import dev.vtrecycler.agent.config.ConfigParser;
import dev.vtrecycler.agent.routing.RoutingInstaller;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Stand-in premain/agentmain for the routing ITs until the real agent's premain wires routing: does
 * what that premain does in mode=recycle, from the build's classes on -cp. Order matters: the
 * bootstrap classes go on the boot class path before anything here touches them, so the app loader's
 * parent-first delegation hands out the boot copies (the ones advice in java.* and rewritten code see).
 */
public final class RoutingTestAgent {
    private RoutingTestAgent() {}

    public static void premain(String args, Instrumentation inst) throws Exception {
        install(args, inst);
    }

    public static void agentmain(String args, Instrumentation inst) throws Exception {
        install(args, inst);
    }

    private static void install(String args, Instrumentation inst) throws Exception {
        inst.appendToBootstrapClassLoaderSearch(new java.util.jar.JarFile(bootstrapJar().toFile()));
        Class<?> recycler = Class.forName("dev.vtrecycler.bootstrap.recycler.Recycler", false, null);
        Module bootUnnamed = recycler.getModule();
        inst.redefineModule(Object.class.getModule(), Set.of(),
                Map.of("jdk.internal.misc", Set.of(bootUnnamed), "jdk.internal.access", Set.of(bootUnnamed)),
                Map.of("java.lang", Set.of(bootUnnamed), "java.util.concurrent", Set.of(bootUnnamed),
                        "jdk.internal.vm", Set.of(bootUnnamed)),
                Set.of(), Map.of());
        Class<?> settings = Class.forName("dev.vtrecycler.bootstrap.recycler.RecyclerSettings", true, null);
        recycler.getMethod("install", settings).invoke(null, settings.getMethod("defaults").invoke(null));
        AgentConfig config = ConfigParser.parse(args, new java.util.Properties());
        RoutingInstaller installed = RoutingInstaller.install(inst, config);
        System.out.println("AGENT routing executors=" + installed.executorsAdvised()
                + " callSites=" + installed.callSitesInstalled() + " retransformed=" + installed.retransformedClasses());
    }

    /** Every class under dev/vtrecycler/bootstrap/ of the build's main classes, in a temp jar. */
    private static Path bootstrapJar() throws IOException {
        URL marker = RoutingTestAgent.class.getClassLoader().getResource("dev/vtrecycler/bootstrap/StripedCounter.class");
        if (marker == null || !"file".equals(marker.getProtocol())) {
            throw new IllegalStateException("bootstrap classes not found as files: " + marker);
        }
        Path root = Path.of(java.net.URI.create(marker.toString())).getParent().getParent().getParent().getParent();
        Path bootstrapDir = root.resolve("dev/vtrecycler/bootstrap");
        Path jar = Files.createTempFile("vtrecycler-it-bootstrap", ".jar");
        jar.toFile().deleteOnExit();
        List<Path> classes;
        try (Stream<Path> walk = Files.walk(bootstrapDir)) {
            classes = walk.filter(p -> p.toString().endsWith(".class")).toList();
        }
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jos = new JarOutputStream(out)) {
            for (Path c : classes) {
                jos.putNextEntry(new JarEntry(root.relativize(c).toString().replace('\\', '/')));
                jos.write(Files.readAllBytes(c));
                jos.closeEntry();
            }
        }
        return jar;
    }
}
