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

    private final BasicAuth auth = new BasicAuth(GO_HASHES);

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
                .hash(4, "a:b:ç".toCharArray()), StandardCharsets.US_ASCII)));
        assertThat(own.permits("Basic " + encode("ünïcode:a:b:ç"))).isTrue();
        assertThat(own.permits("Basic " + encode("ünïcode:a:b"))).isFalse();
    }

    @Test
    void passwordsBeyondBcryptsLimitAreRefusedNotThrown() {
        assertThat(auth.permits(basic("carol", "x".repeat(200)))).isFalse();
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
