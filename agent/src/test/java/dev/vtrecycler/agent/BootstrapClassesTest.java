package dev.vtrecycler.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vtrecycler.agent.BootstrapClasses.ClassFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class BootstrapClassesTest {

    /** name:super:interface,interface (empty super = java/lang/Object); expected definition order. */
    static Stream<Arguments> orders() {
        return Stream.of(
                Arguments.of(List.of("b/A:", "b/B:"), List.of("b/A", "b/B")),
                Arguments.of(List.of("b/Sub:b/Base", "b/Base:"), List.of("b/Base", "b/Sub")),
                Arguments.of(List.of("b/C:b/B", "b/B:b/A", "b/A:"), List.of("b/A", "b/B", "b/C")),
                Arguments.of(List.of("b/Impl::b/I", "b/I::b/J", "b/J:"), List.of("b/J", "b/I", "b/Impl")),
                Arguments.of(List.of("b/X:java/lang/Thread:java/lang/Runnable", "b/Y:"), List.of("b/X", "b/Y")),
                Arguments.of(List.of("b/Both:b/Base:b/I", "b/I:", "b/Base::b/I"), List.of("b/I", "b/Base", "b/Both")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("orders")
    void supertypesInTheSetComeFirstOtherwiseJarOrder(List<String> specs, List<String> expected) {
        List<ClassFile> classes = specs.stream().map(BootstrapClassesTest::classFile).toList();
        assertThat(BootstrapClasses.ordered(classes)).extracting(ClassFile::internalName).isEqualTo(expected);
    }

    @Test
    void aCycleOfCorruptClassFilesIsRefusedNotLooped() {
        List<ClassFile> classes = List.of(classFile("b/A:b/B"), classFile("b/B:b/A"));
        assertThatThrownBy(() -> BootstrapClasses.ordered(classes)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cyclic");
    }

    /** The real package, compiled: every class comes after each of its in-package supertypes. */
    @Test
    void theRealBootstrapPackageIsOrderedSupertypesFirst() throws IOException {
        Path root = Path.of(BootstrapClasses.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        List<ClassFile> compiled;
        try (Stream<Path> files = Files.walk(root.resolve(BootstrapClasses.PACKAGE_PATH))) {
            compiled = files.filter(p -> p.toString().endsWith(".class")).sorted(java.util.Comparator.reverseOrder())
                    .map(p -> new ClassFile(root.relativize(p).toString().replace(".class", "").replace('/', '.'), read(p)))
                    .toList();
        }
        List<ClassFile> ordered = BootstrapClasses.ordered(compiled);
        assertThat(ordered).hasSameSizeAs(compiled);
        Set<String> all = new HashSet<>(compiled.stream().map(ClassFile::internalName).toList());
        Set<String> defined = new HashSet<>();
        for (ClassFile c : ordered) {
            for (String supertype : BootstrapClasses.supertypes(c.bytes())) {
                if (all.contains(supertype)) {
                    assertThat(defined).as("%s before %s", supertype, c.name()).contains(supertype);
                }
            }
            defined.add(c.internalName());
        }
    }

    private static ClassFile classFile(String spec) {
        String[] parts = spec.split(":", -1);
        String superName = parts.length > 1 && !parts[1].isEmpty() ? parts[1] : "java/lang/Object";
        String[] interfaces = parts.length > 2 ? parts[2].split(",") : new String[0];
        boolean isInterface = Arrays.stream(new String[] {"b/I", "b/J"}).anyMatch(parts[0]::equals);
        ClassWriter writer = new ClassWriter(0);
        writer.visit(Opcodes.V21, Opcodes.ACC_PUBLIC | (isInterface ? Opcodes.ACC_INTERFACE | Opcodes.ACC_ABSTRACT : 0),
                parts[0], null, superName, interfaces);
        writer.visitEnd();
        return new ClassFile(parts[0].replace('/', '.'), writer.toByteArray());
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
