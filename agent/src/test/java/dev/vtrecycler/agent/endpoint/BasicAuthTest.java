package dev.vtrecycler.agent.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BasicAuthTest {
    /**
     * Hashes made by Go's golang.org/x/crypto/bcrypt, from the exporter-toolkit's test data
     * (web/testdata/web_config_users.good.yml, passwords in web/tls_config_test.go): an
     * implementation other than the one we ship.
     */
    private static final Map<String, String> GO_HASHES = Map.of(
            "carol", "$2y$10$qRTBuFoULoYNA7AQ/F3ck.trZBPyjV64.oA4ZsSBCIWvXuvQlQTuu",
            "dave", "$2y$10$2UXri9cIDdgeKjBo4Rlpx.U3ZLDV8X1IxKmsfOvhcM5oXQt/mLmXq");

    private final BasicAuth auth = new BasicAuth(GO_HASHES, 4);

    @ParameterizedTest(name = "{0}:{1} -> {2}")
    @CsvSource({
            "carol, carol123, true",
            "dave,  dave123,  true",
            "carol, dave123,  false",
            "carol, carol1234, false",
            "carol, '',       false",
            "mallory, carol123, false",
            "'',    carol123, false"})
    void checksPasswordsAgainstGoBcryptHashes(String user, String password, boolean expected) {
        assertThat(auth.permits(basic(user, password))).isEqualTo(expected);
        // again: the second answer comes from the cache for a success, from bcrypt for a failure
        assertThat(auth.permits(basic(user, password))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "Bearer Y2Fyb2w6Y2Fyb2wxMjM=",   // right credentials, wrong scheme
            "Basic",
            "Basic !!!not-base64!!!",
            "Basic Y2Fyb2xjYXJvbDEyMw==",    // "carolcarol123": no colon
            "Basic Y2Fyb2w6Y2Fyb2wxMjM=x"})
    void refusesMalformedHeaders(String header) {
        assertThat(auth.permits(header)).isFalse();
    }

    @Test
    void schemeIsCaseInsensitiveAndAbsentHeaderFails() {
        assertThat(auth.permits("basic " + encode("dave:dave123"))).isTrue();
        assertThat(auth.permits(null)).isFalse();
    }

    @Test
    void passwordMayContainColonsAndUtf8() {
        BasicAuth own = new BasicAuth(Map.of("ünïcode", new String(at.favre.lib.crypto.bcrypt.BCrypt.withDefaults()
                .hash(4, "a:b:ç".toCharArray()), StandardCharsets.US_ASCII)), 4);
        assertThat(own.permits("Basic " + encode("ünïcode:a:b:ç"))).isTrue();
        assertThat(own.permits("Basic " + encode("ünïcode:a:b"))).isFalse();
    }

    /** Go's bcrypt (and htpasswd) read the first 72 bytes of a password; a longer one is not refused. */
    @Test
    void passwordsAreCutAtBcryptsSeventyTwoBytesAsGoDoes() {
        String first72 = "p".repeat(71) + "q";
        BasicAuth own = new BasicAuth(Map.of("erin", new String(at.favre.lib.crypto.bcrypt.BCrypt.withDefaults()
                .hash(4, first72.toCharArray()), StandardCharsets.US_ASCII)), 4);
        assertThat(own.permits(basic("erin", first72))).isTrue();
        assertThat(own.permits(basic("erin", first72 + "anything after byte 72"))).isTrue();
        assertThat(own.permits(basic("erin", "p".repeat(72)))).isFalse(); // byte 72 still counts
        assertThat(own.permits(basic("erin", first72.substring(0, 71)))).isFalse();
        assertThat(auth.permits(basic("carol", "x".repeat(200)))).isFalse();
    }

    @Test
    void aFullQueueAnswersBusyAtOnceAndAnEvictedWaiterGivesUp() throws Exception {
        BasicAuth one = new BasicAuth(GO_HASHES, 2);
        java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        ConnectionHooks slow = new ConnectionHooks() { // holds the bcrypt lock: working() runs with it held
            @Override public void waiting() {}

            @Override public int passwordFailed() {
                return 1;
            }

            @Override public boolean working() {
                holding.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return true;
            }
        };
        var first = new java.util.concurrent.atomic.AtomicReference<BasicAuth.Outcome>();
        var second = new java.util.concurrent.atomic.AtomicReference<BasicAuth.Outcome>();
        Thread a = new Thread(() -> first.set(one.check(basic("carol", "nope"), slow)));
        a.start();
        holding.await();
        java.util.concurrent.CountDownLatch waiting = new java.util.concurrent.CountDownLatch(1);
        Thread b = new Thread(() -> second.set(one.check(basic("dave", "nope"), new ConnectionHooks() {
            @Override public void waiting() {
                waiting.countDown();
            }

            @Override public boolean working() {
                return true;
            }

            @Override public int passwordFailed() {
                return 1;
            }
        })));
        b.start();
        waiting.await();
        assertThat(one.check(basic("carol", "again"), ConnectionHooks.NONE)).as("third check, queue of 2").isEqualTo(BasicAuth.Outcome.BUSY);
        b.interrupt(); // what eviction does to a waiting connection's thread
        b.join(10_000);
        assertThat(second.get()).isEqualTo(BasicAuth.Outcome.ABANDONED);
        release.countDown();
        a.join(10_000);
        assertThat(first.get()).isEqualTo(BasicAuth.Outcome.DENIED);
        assertThat(one.check(basic("carol", "carol123"), ConnectionHooks.NONE)).isEqualTo(BasicAuth.Outcome.OK);
    }

    @Test
    void dummyHashIsWellFormedWithTheRequestedCostAndMatchesNothingKnown() {
        String dummy = new String(BasicAuth.dummyHash(12, new SecureRandom()), StandardCharsets.US_ASCII);
        assertThat(dummy).matches(WebConfig.BCRYPT).startsWith("$2y$12$");
        var result = at.favre.lib.crypto.bcrypt.BCrypt.verifyer().verify("".toCharArray(), dummy);
        // a format error would return at once, and an unknown user would answer faster than a known one
        assertThat(result.validFormat).as(result.formatErrorMessage).isTrue();
        assertThat(result.details.cost).isEqualTo(12);
        assertThat(result.verified).isFalse();
    }

    private static String basic(String user, String password) {
        return "Basic " + encode(user + ":" + password);
    }

    private static String encode(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
