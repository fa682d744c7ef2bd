package dev.vtrecycler.agent.routing;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ClassFilterTest {
    @Test
    void neverTheJdkTheAgentOrByteBuddy() {
        ClassFilter all = new ClassFilter(List.of(), List.of());
        assertThat(all.accepts("java/util/concurrent/ThreadPerTaskExecutor")).isFalse();
        assertThat(all.accepts("jdk/internal/misc/Foo")).isFalse();
        assertThat(all.accepts("sun/nio/ch/Foo")).isFalse();
        assertThat(all.accepts("com/sun/net/httpserver/Foo")).isFalse();
        assertThat(all.accepts("dev/vtrecycler/bootstrap/recycler/Recycler")).isFalse();
        assertThat(all.accepts("dev/vtrecycler/agent/VtRecyclerAgent")).isFalse();
        assertThat(all.accepts("dev/vtrecycler/shaded/io/micrometer/Foo")).isFalse();
        assertThat(all.accepts("net/bytebuddy/Foo")).isFalse();
        assertThat(all.accepts(null)).isFalse();
        // applications, including the project's own demo
        assertThat(all.accepts("com/acme/Main")).isTrue();
        assertThat(all.accepts("dev/vtrecycler/demo/Main")).isTrue();
        assertThat(all.accepts("Main")).isTrue();
    }

    @Test
    void includeNarrowsExcludeWinsOnPackageBoundaries() {
        ClassFilter filter = new ClassFilter(List.of("com.acme", "org.example."), List.of("com.acme.legacy"));
        assertThat(filter.accepts("com/acme/Main")).isTrue();
        assertThat(filter.accepts("com/acme/web/Handler")).isTrue();
        assertThat(filter.accepts("org/example/App")).isTrue();
        assertThat(filter.accepts("com/acmetools/Main")).isFalse();
        assertThat(filter.accepts("com/acme/legacy/Old")).isFalse();
        assertThat(filter.accepts("com/acme/legacyish/New")).isTrue();
        assertThat(filter.accepts("net/other/Main")).isFalse();
        assertThat(filter.accepts("java/lang/Thread")).isFalse();
    }
}
