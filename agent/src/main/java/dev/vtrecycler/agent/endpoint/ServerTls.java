package dev.vtrecycler.agent.endpoint;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The server side of {@code tls_server_config}: an {@link SSLContext} of its own (never the JVM's
 * default, which belongs to the host) and the handshake on each accepted socket.
 *
 * <p>Sockets are layered over an accepted plain socket ({@code createSocket(socket, consumed,
 * autoClose)}) so that the endpoint can close the plain socket from another thread: closing an
 * {@code SSLSocket} tries to send close_notify and can wait behind a blocked writer.
 */
final class ServerTls {
    /** The first byte of every TLS connection: a handshake record. */
    private static final int TLS_HANDSHAKE_RECORD = 0x16;
    /** What Go's net/http answers on a TLS port to plain HTTP (crypto/tls: "first record does not look like a TLS handshake"). */
    private static final byte[] PLAIN_HTTP_ANSWER = ("HTTP/1.0 400 Bad Request\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n"
            + "Client sent an HTTP request to an HTTPS server.\n").getBytes(StandardCharsets.US_ASCII);

    private final SSLSocketFactory factory;
    private final SSLParameters parameters;

    private ServerTls(SSLSocketFactory factory, SSLParameters parameters) {
        this.factory = factory;
        this.parameters = parameters;
    }

    static ServerTls create(WebConfig.TlsSettings settings) throws WebConfigException {
        List<X509Certificate> chain = Pem.certificates(settings.certFile(), "cert_file");
        PrivateKey key = Pem.privateKey(settings.keyFile(), chain.get(0));
        try {
            char[] password = new char[0];
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("server", key, password, chain.toArray(new X509Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);

            TrustManager[] trust = null;
            if (settings.clientCaFile().isPresent()) {
                KeyStore cas = KeyStore.getInstance("PKCS12");
                cas.load(null, null);
                int i = 0;
                for (X509Certificate ca : Pem.certificates(settings.clientCaFile().get(), "client_ca_file")) {
                    cas.setCertificateEntry("ca" + i++, ca);
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(cas);
                trust = tmf.getTrustManagers();
            }
            if (settings.clientAuth().want && !settings.clientAuth().verify) {
                trust = new TrustManager[] {new AnyClientCertificate()};
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), trust, null);

            SSLParameters parameters = context.getDefaultSSLParameters();
            List<String> supported = Arrays.asList(context.getSupportedSSLParameters().getProtocols());
            String[] protocols = Arrays.stream(TlsVersion.values())
                    .filter(v -> v.compareTo(settings.minVersion()) >= 0 && v.compareTo(settings.maxVersion()) <= 0)
                    .map(v -> v.jsseName)
                    .filter(supported::contains)
                    .toArray(String[]::new);
            if (protocols.length == 0) {
                throw new WebConfigException("tls_server_config: this JDK supports none of " + settings.minVersion()
                        + ".." + settings.maxVersion());
            }
            parameters.setProtocols(protocols);
            if (settings.clientAuth().need) {
                parameters.setNeedClientAuth(true);
            } else if (settings.clientAuth().want) {
                parameters.setWantClientAuth(true);
            }
            return new ServerTls(context.getSocketFactory(), parameters);
        } catch (GeneralSecurityException | IOException e) {
            throw new WebConfigException("tls_server_config: cannot set up TLS (" + e + ")");
        }
    }

    /**
     * Reads the first byte of an accepted socket: a TLS client gets the handshake (done here, so it
     * falls under the connection's request deadline); a plain-HTTP client gets Go's 400 answer and
     * null. Also null for a client that closes without a byte. Client-initiated renegotiation is
     * refused ({@link RenegotiationGuard}), as Go refuses it.
     */
    Socket handshake(Socket raw) throws IOException {
        InputStream in = raw.getInputStream();
        int first = in.read();
        if (first < 0) {
            return null;
        }
        if (first != TLS_HANDSHAKE_RECORD) {
            OutputStream out = raw.getOutputStream();
            out.write(PLAIN_HTTP_ANSWER);
            out.flush();
            return null;
        }
        RenegotiationGuard guard = new RenegotiationGuard(raw);
        SSLSocket socket = (SSLSocket) factory.createSocket(guard, new ByteArrayInputStream(new byte[] {(byte) first}), true);
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        if (!socket.getSession().getProtocol().equals("TLSv1.3")) {
            guard.arm(); // TLS 1.2 and older: a later handshake record would be a renegotiation
        }
        return socket;
    }

    /**
     * {@code RequestClientCert} and {@code RequireAnyClientCert}: Go asks for a certificate and does
     * not verify it; JSSE needs a trust manager that accepts any client chain for that.
     */
    private static final class AnyClientCertificate extends X509ExtendedTrustManager {
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) {}
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override public void checkServerTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
            throw new java.security.cert.CertificateException("server-side trust manager");
        }

        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws java.security.cert.CertificateException {
            throw new java.security.cert.CertificateException("server-side trust manager");
        }

        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws java.security.cert.CertificateException {
            throw new java.security.cert.CertificateException("server-side trust manager");
        }

        @Override public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
