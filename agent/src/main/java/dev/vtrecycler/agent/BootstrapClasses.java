package dev.vtrecycler.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.ZipFile;
import net.bytebuddy.jar.asm.ClassReader;

/**
 * The bootstrap runtime's class files, read from the agent jar itself (never a hand-kept list: any
 * class under {@code dev/vtrecycler/bootstrap/} is in), in an order the boot loader can define them.
 *
 * <p>Why an order: a class defined straight into the boot loader ({@link BootstrapInjector}) has its
 * superclass and interfaces resolved while it is being defined, and the boot loader finds a class of
 * ours only once it has been defined (there is no search path to load it from). Every other reference
 * (fields, calls, nest hosts, lambdas) is resolved lazily, after all of them are in.
 */
record BootstrapClasses(List<ClassFile> inDefinitionOrder) {
    static final String PACKAGE_PATH = "dev/vtrecycler/bootstrap/";

    /** One class file: binary name ({@code a.b.C}) and bytes. */
    record ClassFile(String name, byte[] bytes) {
        String internalName() {
            return name.replace('.', '/');
        }
    }

    /** Reads the runtime's versioned view of the jar (a multi-release entry wins over the base one). */
    static BootstrapClasses fromJar(Path agentJar) throws IOException {
        List<ClassFile> found = new ArrayList<>();
        try (JarFile jar = new JarFile(agentJar.toFile(), false, ZipFile.OPEN_READ, Runtime.version())) {
            for (JarEntry entry : (Iterable<JarEntry>) jar.versionedStream()::iterator) {
                String path = entry.getName();
                if (path.startsWith(PACKAGE_PATH) && path.endsWith(".class")) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        String name = path.substring(0, path.length() - ".class".length()).replace('/', '.');
                        found.add(new ClassFile(name, in.readAllBytes()));
                    }
                }
            }
        }
        if (found.isEmpty()) {
            throw new IOException("no bootstrap classes found in " + agentJar);
        }
        return new BootstrapClasses(ordered(found));
    }

    /**
     * Supertypes first: a depth-first walk over each class's superclass and interfaces that are in
     * the set (JDK supertypes the boot loader already has). Otherwise jar order, so the result is
     * stable. A cycle cannot occur in valid class files; {@code visiting} guards against a corrupt one.
     */
    static List<ClassFile> ordered(List<ClassFile> classes) {
        Map<String, ClassFile> byInternalName = new LinkedHashMap<>();
        classes.forEach(c -> byInternalName.put(c.internalName(), c));
        List<ClassFile> out = new ArrayList<>(classes.size());
        Set<String> done = new HashSet<>();
        for (ClassFile c : classes) {
            visit(c, byInternalName, done, new HashSet<>(), out);
        }
        return List.copyOf(out);
    }

    private static void visit(ClassFile c, Map<String, ClassFile> all, Set<String> done, Set<String> visiting,
                              List<ClassFile> out) {
        String self = c.internalName();
        if (done.contains(self)) {
            return;
        }
        if (!visiting.add(self)) {
            throw new IllegalArgumentException("cyclic supertypes at " + c.name());
        }
        for (String supertype : supertypes(c.bytes())) {
            ClassFile dependency = all.get(supertype);
            if (dependency != null) {
                visit(dependency, all, done, visiting, out);
            }
        }
        visiting.remove(self);
        done.add(self);
        out.add(c);
    }

    /** Internal names of the direct superclass (if any) and interfaces, from the class file header. */
    static List<String> supertypes(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        List<String> names = new ArrayList<>(List.of(reader.getInterfaces()));
        if (reader.getSuperName() != null) {
            names.add(0, reader.getSuperName());
        }
        return names;
    }
}
