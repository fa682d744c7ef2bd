package dev.vtrecycler.it.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtrecycler.it.support.ForkedJvm;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The one file users download: everything relocated, the manifest an agent needs. */
class ShadedJarIT {
    /** Class files may live only under our own package (shaded third-party code included). */
    private static final Pattern ALLOWED_CLASS = Pattern.compile("(META-INF/versions/\\d+/)?dev/vtrecycler/.+\\.class");

    @Test
    void everyThirdPartyClassIsRelocated() throws Exception {
        try (JarFile jar = new JarFile(ForkedJvm.agentJar().toFile())) {
            List<String> strays = jar.stream().map(JarEntry::getName)
                    .filter(n -> n.endsWith(".class"))
                    .filter(n -> !ALLOWED_CLASS.matcher(n).matches())
                    .toList();
            assertThat(strays).as("unrelocated classes").isEmpty();
            assertThat(jar.getEntry("dev/vtrecycler/shaded/net/bytebuddy/agent/builder/AgentBuilder.class")).isNotNull();
            assertThat(jar.getEntry("dev/vtrecycler/shaded/io/micrometer/core/instrument/MeterRegistry.class")).isNotNull();
            assertThat(jar.getEntry("dev/vtrecycler/bootstrap/VtHooks.class")).isNotNull();
            // services files must name relocated implementations too
            jar.stream().filter(e -> e.getName().startsWith("META-INF/services/") && !e.isDirectory()).forEach(e ->
                    assertThat(e.getName()).startsWith("META-INF/services/dev.vtrecycler.shaded."));
        }
    }

    @Test
    void manifestDeclaresEveryEntryPointAndCapability() throws Exception {
        try (JarFile jar = new JarFile(ForkedJvm.agentJar().toFile())) {
            Attributes main = jar.getManifest().getMainAttributes();
            assertThat(main.getValue("Premain-Class")).isEqualTo("dev.vtrecycler.agent.VtRecyclerAgent");
            assertThat(main.getValue("Agent-Class")).isEqualTo("dev.vtrecycler.agent.VtRecyclerAgent");
            assertThat(main.getValue("Main-Class")).isEqualTo("dev.vtrecycler.agent.VtRecyclerAgent");
            assertThat(main.getValue("Can-Retransform-Classes")).isEqualTo("true");
            assertThat(main.getValue("Can-Redefine-Classes")).isEqualTo("true");
            assertThat(main.getValue("Launcher-Agent-Class")).as("java -jar must not load the agent into the tool").isNull();
        }
    }

    @Test
    void entryClassLoadsOnOldJvms() throws Exception {
        try (JarFile jar = new JarFile(ForkedJvm.agentJar().toFile());
             var in = jar.getInputStream(jar.getEntry("dev/vtrecycler/agent/VtRecyclerAgent.class"))) {
            byte[] header = in.readNBytes(8);
            int major = ((header[6] & 0xff) << 8) | (header[7] & 0xff);
            assertThat(major).as("class file major version of the premain class").isEqualTo(52);
        }
    }
}
