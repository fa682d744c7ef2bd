package dev.vtrecycler.it.endpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made by the JDK's {@code keytool} (as an
 * operator would), then written out as the PEM files the web configuration takes: the certificate
 * and the unencrypted PKCS#8 private key.
 */
record TestCertificates(Path certPem, Path keyPem, Path keyStore) {
    private static final char[] PASSWORD = "changeit".toCharArray();

    /** keyAlgorithm: RSA or EC. */
    static TestCertificates create(Path dir, String name, String keyAlgorithm) throws Exception {
        Path keyStore = dir.resolve(name + ".p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", name,
                "-keyalg", keyAlgorithm, "-keysize", keyAlgorithm.equals("RSA") ? "2048" : "256",
                "-validity", "2", "-dname", "CN=" + name, "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("keytool failed: " + output);
        }
        KeyStore store = load(keyStore);
        Key key = store.getKey(name, PASSWORD);
        Certificate cert = store.getCertificate(name);
        Path certPem = Files.writeString(dir.resolve(name + ".crt"), pem("CERTIFICATE", cert.getEncoded()));
        Path keyPem = Files.writeString(dir.resolve(name + ".key"), pem("PRIVATE KEY", key.getEncoded()));
        return new TestCertificates(certPem, keyPem, keyStore);
    }

    /** A client context that trusts exactly the given certificate (and presents {@code identity}, if any). */
    static SSLContext trusting(Path certPem, TestCertificates identity) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certPem)) {
            trust.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (identity != null) {
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(load(identity.keyStore()), PASSWORD);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    private static KeyStore load(Path keyStore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, PASSWORD);
        }
        return store;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + String.join("\n", chunks(Base64.getEncoder().encodeToString(der)))
                + "\n-----END " + type + "-----\n";
    }

    private static List<String> chunks(String s) {
        return java.util.stream.IntStream.range(0, (s.length() + 63) / 64)
                .mapToObj(i -> s.substring(i * 64, Math.min(s.length(), (i + 1) * 64))).toList();
    }
}
