package dev.vtrecycler.agent.routing;

import dev.vtrecycler.bootstrap.routing.Routes;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A class of a named module that cannot read the agent's runtime keeps its bytes: a call into
 * {@code Routes} would not link there. The same class in an unnamed module is rewritten.
 */
class NamedModuleGuardTest {
    @Test
    void namedModulesThatCannotReadTheRuntimeAreLeftAlone() {
        CallSiteTransformer transformer = new CallSiteTransformer(new ClassFilter(List.of(), List.of()), Routes.class);
        String name = ReflectiveAndLocalSamples.JAVA17_NAME;
        byte[] original = InMemoryJavac.compile(name, ReflectiveAndLocalSamples.JAVA17, 17).get(name);
        ClassLoader loader = new ClassLoader(getClass().getClassLoader()) { };
        Module named = Object.class.getModule(); // java.base: named, reads no unnamed module
        assertThat(named.canRead(Routes.class.getModule())).isFalse();
        assertThat(transformer.transform(named, loader, name.replace('.', '/'), null, null, original)).isNull();
        assertThat(transformer.transform(loader.getUnnamedModule(), loader, name.replace('.', '/'), null, null, original))
                .isNotNull();
    }
}
