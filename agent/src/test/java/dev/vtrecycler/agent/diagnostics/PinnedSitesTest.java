package dev.vtrecycler.agent.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PinnedSitesTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource({
            "java.lang.VirtualThread, true",
            "java.lang.invoke.LambdaForm$MH.0x00000000231cc400, true",
            "jdk.internal.foreign.abi.UpcallStub.0x00000000231c8c00, true",
            "javax.net.ssl.SSLSocket, true",
            "sun.nio.ch.NioSocketImpl, true",
            "com.sun.net.httpserver.HttpServer, true",
            "com.acme.Service, false",
            "javalin.Handler, false",
            "dev.vtrecycler.it.diagnostics.DiagnosticsMain$SlowInit, false",
            "Pin, false"})
    void tellsTheJdkFromTheApplication(String className, boolean jdk) {
        assertThat(PinnedSites.isJdk(className)).isEqualTo(jdk);
    }

    @Test
    void siteIsClassMethodAndLine() {
        assertThat(PinnedSites.site("com.acme.Init", "<clinit>", 12)).isEqualTo("com.acme.Init.<clinit>:12");
        assertThat(PinnedSites.site("com.acme.Native", "call", -1)).isEqualTo("com.acme.Native.call");
    }

    @Test
    void labelsTheFirstSitesAndCountsTheRestAsOther() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PinnedSites sites = new PinnedSites(registry, 2);
        assertThat(registry.find("vtrecycler.pinned").tag("site", "other").timer()).isNotNull();
        for (String site : new String[] {"a.A.x:1", "b.B.y:2", "a.A.x:1", "c.C.z:3", "d.D.w:4", null}) {
            sites.timerFor(site).record(Duration.ofMillis(25));
        }
        assertThat(registry.find("vtrecycler.pinned").timers()).hasSize(3);
        assertThat(registry.get("vtrecycler.pinned").tag("site", "a.A.x:1").timer().count()).isEqualTo(2);
        assertThat(registry.get("vtrecycler.pinned").tag("site", "b.B.y:2").timer().count()).isEqualTo(1);
        assertThat(registry.get("vtrecycler.pinned").tag("site", "other").timer().count()).isEqualTo(3);
    }
}
