package dev.vtrecycler.agent.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which connections make room for a new one, and when each phase's deadline falls. */
class ConnectionTableTest {
    private static final long S = 1_000_000_000L;
    private static final Limits LIMITS = new Limits(3, 2, Duration.ofSeconds(5), Duration.ofSeconds(120),
            Duration.ofSeconds(30), 100, 4);

    /** A full table of one connection in {@code phase} since 0 s, and a newcomer at {@code at} seconds. */
    @ParameterizedTest(name = "{0} for {1} s: evicted {2}")
    @CsvSource({
            "REQUEST,   0.1, true",
            "IDLE,      0.1, true",
            "WAITING, 0.1, true",
            "CLOSING,   0.1, true",
            "SERVING,   0.1, false",
            "SERVING,   29,  false",
            "WRITING,   0.1, true"})
    void onlyWorkingConnectionsAreSafeFromEviction(Phase phase, double at, boolean evicted) throws Exception {
        ConnectionTable table = new ConnectionTable(new Limits(1, 1, Duration.ofSeconds(5), Duration.ofSeconds(120),
                Duration.ofSeconds(30), 100, 4));
        Connection old = connection("10.0.0.1");
        assertThat(table.admit(old, 0)).isTrue();
        if (phase == Phase.WRITING) {
            table.writing(old, 1000, 0);
        } else {
            table.enter(old, phase, 0);
        }
        long now = (long) (at * S);
        assertThat(table.admit(connection("10.0.0.2"), now)).isEqualTo(evicted);
        assertThat(old.open).isEqualTo(!evicted);
        assertThat(table.size()).isEqualTo(1);
    }

    @Test
    void answeredConnectionsGoBeforeOnesOnTheirFirstRequest() throws Exception {
        ConnectionTable table = new ConnectionTable(new Limits(2, 2, Duration.ofSeconds(5), Duration.ofSeconds(120),
                Duration.ofSeconds(30), 100, 4));
        Connection fresh = connection("10.0.0.1");
        Connection answered = connection("10.0.0.2");
        table.admit(fresh, 0); // older, but still on its first request (a slow TLS handshake, say)
        table.admit(answered, S);
        table.writing(answered, 100, 2 * S);
        table.enter(answered, Phase.IDLE, 2 * S);
        assertThat(table.admit(connection("10.0.0.3"), 3 * S)).isTrue();
        assertThat(answered.open).isFalse();
        assertThat(fresh.open).isTrue();
    }

    @Test
    void oneClientMakesRoomFromItsOwnConnectionsAndLoopbackIsExempt() throws Exception {
        ConnectionTable table = new ConnectionTable(LIMITS);
        Connection a1 = connection("10.0.0.1");
        Connection a2 = connection("10.0.0.1");
        Connection b1 = connection("10.0.0.2");
        assertThat(table.admit(b1, 0)).isTrue(); // the oldest of all, but another client's
        assertThat(table.admit(a1, 1)).isTrue();
        assertThat(table.admit(a2, 2)).isTrue();
        Connection a3 = connection("10.0.0.1");
        assertThat(table.admit(a3, 3)).as("third from one client, cap 2").isTrue();
        assertThat(a1.open).as("the client's own oldest made room").isFalse();
        assertThat(b1.open).isTrue();
        assertThat(a2.open).isTrue();

        ConnectionTable local = new ConnectionTable(LIMITS);
        for (int i = 0; i < 3; i++) {
            assertThat(local.admit(connection("127.0.0.1"), i)).isTrue();
        }
        assertThat(local.size()).as("loopback is held to the total cap only").isEqualTo(3);
    }

    @Test
    void aClientWhoseConnectionsAreAllWorkingIsRefused() throws Exception {
        ConnectionTable table = new ConnectionTable(LIMITS);
        Connection a1 = connection("10.0.0.1");
        Connection a2 = connection("10.0.0.1");
        table.admit(a1, 0);
        table.admit(a2, 0);
        table.enter(a1, Phase.SERVING, 0);
        table.enter(a2, Phase.SERVING, 0);
        assertThat(table.admit(connection("10.0.0.1"), S)).isFalse();
        assertThat(table.admit(connection("10.0.0.2"), S)).as("another client still gets in").isTrue();
    }

    /** Each phase's deadline bounds the whole phase, from when it began. */
    @ParameterizedTest(name = "{0}: closed after {1} s")
    @CsvSource({
            "REQUEST,   5",
            "IDLE,      120",
            "SERVING,   30",
            "WAITING, 30",
            "CLOSING,   1"})
    void everyPhaseHasADeadline(Phase phase, long seconds) throws Exception {
        ConnectionTable table = new ConnectionTable(LIMITS);
        Connection c = connection("10.0.0.1");
        table.admit(c, 0);
        table.enter(c, phase, 10 * S);
        assertThat(table.expire(10 * S + seconds * S - 1)).isZero();
        assertThat(table.expire(10 * S + seconds * S)).isOne();
        assertThat(c.open).isFalse();
    }

    @Test
    void aWriteMayTakeItsGracePlusItsSizeAtTheMinimumRate() throws Exception {
        ConnectionTable table = new ConnectionTable(LIMITS);
        Connection c = connection("10.0.0.1");
        table.admit(c, 0);
        table.writing(c, 4 * Limits.MIN_WRITE_BYTES_PER_SECOND, 0);
        long allowed = Limits.WRITE_GRACE.toNanos() + 4 * S;
        assertThat(table.expire(allowed - 1)).isZero();
        assertThat(table.expire(allowed)).isOne();
    }

    private static Connection connection(String address) throws Exception {
        return new Connection(new Socket(), InetAddress.getByName(address), null, null, null);
    }
}
