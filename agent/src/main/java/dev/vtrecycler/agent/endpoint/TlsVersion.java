package dev.vtrecycler.agent.endpoint;

/** {@code min_version}/{@code max_version} names of the toolkit and the JSSE protocol names they mean. */
enum TlsVersion {
    TLS10("TLSv1"), TLS11("TLSv1.1"), TLS12("TLSv1.2"), TLS13("TLSv1.3");

    final String jsseName;

    TlsVersion(String jsseName) {
        this.jsseName = jsseName;
    }

    static TlsVersion parse(String value, TlsVersion absent, String key) throws WebConfigException {
        if (value == null || value.isEmpty()) {
            return absent;
        }
        try {
            return valueOf(value);
        } catch (IllegalArgumentException e) {
            throw new WebConfigException("tls_server_config." + key + " '" + value + "' is not one of TLS10, TLS11, TLS12, TLS13");
        }
    }
}
