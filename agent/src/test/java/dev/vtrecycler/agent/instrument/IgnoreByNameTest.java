package dev.vtrecycler.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every transformer's ignore decides by name alone, and keeps exactly the types it names (Byte
 * Buddy's default ignore parsed each class, and ignored the boot-loader classes some are about).
 */
class IgnoreByNameTest {
    @ParameterizedTest(name = "{0} among [{1}]: ignored={2}")
    @CsvSource(delimiter = '|', value = {
            "java.lang.Thread               | java.lang.Thread java.lang.VirtualThread | false",
            "java.lang.VirtualThread        | java.lang.Thread java.lang.VirtualThread | false",
            "java.lang.ThreadGroup          | java.lang.Thread java.lang.VirtualThread | true",
            "java.util.concurrent.Executors | java.util.concurrent.Executors           | false",
            "java.util.concurrent.Executors$DelegatedExecutorService | java.util.concurrent.Executors | true",
            "com.example.Lambda$$Lambda/0x0000000800c01000 | java.lang.VirtualThread  | true",
    })
    void decidesByNameAlone(String type, String wanted, boolean ignored) {
        assertThat(IgnoreByName.everyTypeBut(wanted.trim().split(" ")).matches(new NamedOnlyType(type.trim())))
                .isEqualTo(ignored);
    }
}
