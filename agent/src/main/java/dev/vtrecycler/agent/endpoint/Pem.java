package dev.vtrecycler.agent.endpoint;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM files as Go's {@code tls.X509KeyPair} reads them: a certificate chain and an unencrypted
 * private key (PKCS#8 {@code PRIVATE KEY}, or PKCS#1 {@code RSA PRIVATE KEY}, which we wrap into
 * PKCS#8 because the JDK reads only that). The key must match the first certificate.
 */
final class Pem {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*(.*?)-----END \\1-----", Pattern.DOTALL);
    /** DER of AlgorithmIdentifier { rsaEncryption, NULL }. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
            (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    static List<X509Certificate> certificates(Path file, String key) throws WebConfigException {
        String text = read(file, key);
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (byte[] der : blocks(text, "CERTIFICATE")) {
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            }
        } catch (CertificateException | IllegalArgumentException e) {
            throw new WebConfigException("tls_server_config." + key + " " + file + ": not a valid PEM certificate ("
                    + e.getMessage() + ")");
        }
        if (chain.isEmpty()) {
            throw new WebConfigException("tls_server_config." + key + " " + file + ": no '-----BEGIN CERTIFICATE-----' block");
        }
        return chain;
    }

    static PrivateKey privateKey(Path file, X509Certificate cert) throws WebConfigException {
        String text = read(file, "key_file");
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            if (!type.endsWith("PRIVATE KEY")) {
                continue;
            }
            if (type.equals("ENCRYPTED PRIVATE KEY") || m.group(2).contains("Proc-Type: 4,ENCRYPTED")) {
                throw new WebConfigException("tls_server_config.key_file " + file + ": the key is encrypted;"
                        + " give an unencrypted key (openssl pkcs8 -topk8 -nocrypt)");
            }
            byte[] der = decode(m.group(2), file);
            byte[] pkcs8 = switch (type) {
                case "PRIVATE KEY" -> der;
                case "RSA PRIVATE KEY" -> rsaPkcs1ToPkcs8(der);
                default -> throw new WebConfigException("tls_server_config.key_file " + file + ": '" + type
                        + "' keys are not read; convert with openssl pkcs8 -topk8 -nocrypt");
            };
            PrivateKey key = parse(pkcs8, cert.getPublicKey(), file);
            requireMatch(key, cert.getPublicKey(), file);
            return key;
        }
        throw new WebConfigException("tls_server_config.key_file " + file + ": no '-----BEGIN PRIVATE KEY-----' block");
    }

    private static PrivateKey parse(byte[] pkcs8, PublicKey certKey, Path file) throws WebConfigException {
        try {
            return KeyFactory.getInstance(certKey.getAlgorithm()).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new WebConfigException("tls_server_config.key_file " + file + ": not a " + certKey.getAlgorithm()
                    + " private key matching cert_file (" + e.getMessage() + ")");
        }
    }

    /** Signs and verifies a probe: a key that does not belong to the certificate fails every handshake. */
    private static void requireMatch(PrivateKey key, PublicKey certKey, Path file) throws WebConfigException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> key.getAlgorithm();
            default -> null; // e.g. RSASSA-PSS needs parameters; the handshake will tell
        };
        if (algorithm == null) {
            return;
        }
        try {
            byte[] probe = "vtrecycler key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certKey);
            verifier.update(probe);
            if (verifier.verify(signature)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            // falls through to the same answer
        }
        throw new WebConfigException("tls_server_config.key_file " + file + ": the private key does not match cert_file");
    }

    private static List<byte[]> blocks(String text, String type) throws WebConfigException {
        List<byte[]> result = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            if (m.group(1).equals(type)) {
                result.add(Base64.getMimeDecoder().decode(m.group(2)));
            }
        }
        return result;
    }

    private static byte[] decode(String base64, Path file) throws WebConfigException {
        try {
            return Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new WebConfigException("tls_server_config.key_file " + file + ": bad base64 in the PEM block");
        }
    }

    /** PrivateKeyInfo ::= SEQUENCE { version 0, AlgorithmIdentifier rsaEncryption, OCTET STRING pkcs1 }. */
    static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00});
        body.writeBytes(RSA_ALGORITHM);
        body.writeBytes(derHeader(0x04, pkcs1.length));
        body.writeBytes(pkcs1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(derHeader(0x30, body.size()));
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static byte[] derHeader(int tag, int length) {
        if (length < 0x80) {
            return new byte[] {(byte) tag, (byte) length};
        }
        int bytes = length < 0x100 ? 1 : length < 0x10000 ? 2 : length < 0x1000000 ? 3 : 4;
        byte[] header = new byte[2 + bytes];
        header[0] = (byte) tag;
        header[1] = (byte) (0x80 | bytes);
        for (int i = 0; i < bytes; i++) {
            header[2 + i] = (byte) (length >>> (8 * (bytes - 1 - i)));
        }
        return header;
    }

    private static String read(Path file, String key) throws WebConfigException {
        try {
            return BoundedFile.read(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new WebConfigException("tls_server_config." + key + " " + file + ": cannot read the file ("
                    + e.getClass().getSimpleName() + (e.getClass() == IOException.class ? ": " + e.getMessage() : "") + ")");
        }
    }

    private Pem() {}
}
