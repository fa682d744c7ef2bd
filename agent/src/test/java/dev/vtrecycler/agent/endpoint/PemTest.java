package dev.vtrecycler.agent.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPairGenerator;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PemTest {

    /**
     * The JDK's own PKCS#8 encoding of an RSA key is exactly {version 0, rsaEncryption + NULL,
     * OCTET STRING(PKCS#1)}: unwrapping the PKCS#1 part and wrapping it again must give it back.
     */
    @Test
    void wrapsPkcs1RsaKeysTheWayTheJdkEncodesPkcs8() throws Exception {
        for (int bits : new int[] {1024, 2048}) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            byte[] pkcs8 = generator.generateKeyPair().getPrivate().getEncoded();
            byte[] pkcs1 = octetStringContent(pkcs8);
            assertThat(Pem.rsaPkcs1ToPkcs8(pkcs1)).as("%d-bit key", bits).isEqualTo(pkcs8);
        }
    }

    /** Skips SEQUENCE header, INTEGER 0 (3 bytes), the 15-byte AlgorithmIdentifier, the OCTET STRING header. */
    private static byte[] octetStringContent(byte[] pkcs8) {
        int i = headerLength(pkcs8, 0) + 3 + 15;
        assertThat(pkcs8[i]).isEqualTo((byte) 0x04);
        return Arrays.copyOfRange(pkcs8, i + headerLength(pkcs8, i), pkcs8.length);
    }

    private static int headerLength(byte[] der, int at) {
        int first = der[at + 1] & 0xff;
        return first < 0x80 ? 2 : 2 + (first & 0x7f);
    }
}
