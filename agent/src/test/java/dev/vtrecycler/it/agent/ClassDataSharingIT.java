package dev.vtrecycler.it.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtrecycler.it.apps.BootLoaderProbe;
import dev.vtrecycler.it.support.ForkedJvm;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bootstrap runtime goes into the boot loader without appending to the boot class path, so
 * HotSpot keeps class-data sharing for application classes (an AppCDS archive still serves them) and
 * prints no warning on the host's stderr. {@code bootstrap=append} shows what the test would catch.
 */
class ClassDataSharingIT {
    private static final String SHARING_OFF = "Sharing is only supported";
    private static final String PROBE_FROM_ARCHIVE = BootLoaderProbe.class.getName() + " source: shared objects file";

    @ParameterizedTest(name = "mode={0}")
    @ValueSource(strings = {"observe", "recycle"})
    void everyBootstrapClassIsInTheBootLoaderAndSharingStaysOn(String mode) throws Exception {
        try (ForkedJvm app = ForkedJvm.start(
                List.of("-Xshare:auto", ForkedJvm.javaagent("mode=" + mode + ",port=none")),
                BootLoaderProbe.class, ForkedJvm.agentJar().toString())) {
            assertThat(app.waitFor(Duration.ofSeconds(60))).as(app.transcript()).isZero();
            assertThat(app.stdoutLines()).as(app.transcript())
                    .contains("boot=" + bootstrapClassCount() + " other=0 missing=0", "tasks=100");
            assertThat(app.stderrLines()).noneMatch(l -> l.contains(SHARING_OFF));
            assertThat(app.stdoutLines()).noneMatch(l -> l.contains(SHARING_OFF));
            assertThat(app.agentLines()).singleElement().asString().contains("active: mode=" + mode);
        }
    }

    @Test
    void anAppCdsArchiveStillServesApplicationClassesUnderTheAgent(@TempDir Path dir) throws Exception {
        Path probeJar = probeJar(dir);
        Path archive = dir.resolve("app.jsa");
        // The training run, as users make one: without the agent (dumping with one needs a diagnostic flag).
        try (ForkedJvm dump = start(probeJar, "-XX:ArchiveClassesAtExit=" + archive)) {
            assertThat(dump.waitFor(Duration.ofSeconds(90))).as(dump.transcript()).isZero();
        }
        assertThat(archive).isRegularFile();

        try (ForkedJvm app = start(probeJar, "-XX:SharedArchiveFile=" + archive, "-Xlog:class+load=info",
                ForkedJvm.javaagent("mode=recycle,port=none"))) {
            assertThat(app.waitFor(Duration.ofSeconds(60))).as(app.transcript()).isZero();
            assertThat(app.stdoutLines()).as(app.transcript()).anyMatch(l -> l.contains(PROBE_FROM_ARCHIVE));
            assertThat(app.stdoutLines()).contains("boot=" + bootstrapClassCount() + " other=0 missing=0", "tasks=100");
            assertThat(app.stderrLines()).noneMatch(l -> l.contains(SHARING_OFF));
        }

        // The classic append, as the fallback does it: HotSpot says so and the archive no longer serves the app.
        try (ForkedJvm appended = start(probeJar, "-XX:SharedArchiveFile=" + archive, "-Xlog:class+load=info",
                ForkedJvm.javaagent("mode=recycle,port=none,bootstrap=append"))) {
            assertThat(appended.waitFor(Duration.ofSeconds(60))).as(appended.transcript()).isZero();
            assertThat(appended.stdoutLines()).noneMatch(l -> l.contains(PROBE_FROM_ARCHIVE));
            assertThat(appended.stdoutLines()).contains("boot=" + bootstrapClassCount() + " other=0 missing=0");
            assertThat(appended.stderrLines()).anyMatch(l -> l.contains(SHARING_OFF));
        }
    }

    private static ForkedJvm start(Path probeJar, String... jvmArgs) throws IOException {
        return ForkedJvm.start(ForkedJvm.javaLauncher(), List.of(jvmArgs), probeJar.toString(), BootLoaderProbe.class,
                ForkedJvm.agentJar().toString());
    }

    /** CDS archives only classes from jars (a class-path directory refuses the dump): the probe in a jar of its own. */
    private static Path probeJar(Path dir) throws IOException {
        Path jar = dir.resolve("probe.jar");
        String entry = BootLoaderProbe.class.getName().replace('.', '/') + ".class";
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out)) {
            jarOut.putNextEntry(new JarEntry(entry));
            jarOut.write(Files.readAllBytes(ForkedJvm.testClasses().resolve(entry)));
            jarOut.closeEntry();
        }
        return jar;
    }

    private static long bootstrapClassCount() throws IOException {
        try (JarFile jar = new JarFile(ForkedJvm.agentJar().toFile())) {
            List<String> names = new ArrayList<>();
            jar.stream().map(JarEntry::getName)
                    .filter(n -> n.startsWith("dev/vtrecycler/bootstrap/") && n.endsWith(".class"))
                    .forEach(names::add);
            assertThat(names).as("bootstrap classes in the agent jar").hasSizeGreaterThan(10);
            return names.size();
        }
    }
}
