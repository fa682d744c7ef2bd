package dev.vtrecycler.agent.endpoint;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * {@code client_auth_type} of the exporter-toolkit, with Go's {@code tls.ClientAuthType} meaning:
 * whether a client certificate is asked for, required, and verified against {@code client_ca_file}.
 */
enum ClientAuth {
    NO_CLIENT_CERT("NoClientCert", false, false, false),
    REQUEST_CLIENT_CERT("RequestClientCert", true, false, false),
    REQUIRE_ANY_CLIENT_CERT("RequireAnyClientCert", true, true, false),
    VERIFY_CLIENT_CERT_IF_GIVEN("VerifyClientCertIfGiven", true, false, true),
    REQUIRE_AND_VERIFY_CLIENT_CERT("RequireAndVerifyClientCert", true, true, true);

    final String yamlName;
    final boolean want;
    final boolean need;
    final boolean verify;

    ClientAuth(String yamlName, boolean want, boolean need, boolean verify) {
        this.yamlName = yamlName;
        this.want = want;
        this.need = need;
        this.verify = verify;
    }

    /** The toolkit also accepts the old name {@code RequireClientCert} and an empty value. */
    static ClientAuth parse(String value) throws WebConfigException {
        if (value == null || value.isEmpty()) {
            return NO_CLIENT_CERT;
        }
        if (value.equals("RequireClientCert")) {
            return REQUIRE_ANY_CLIENT_CERT;
        }
        for (ClientAuth auth : values()) {
            if (auth.yamlName.equals(value)) {
                return auth;
            }
        }
        throw new WebConfigException("tls_server_config.client_auth_type '" + value + "' is not one of "
                + Arrays.stream(values()).map(a -> a.yamlName).collect(Collectors.joining(", ")));
    }
}
