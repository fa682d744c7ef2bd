package dev.vtrecycler.it.timer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * {@link TimedParkScenariosMain} counts a thread as not back only when its {@code join(Duration)}
 * timed out. It used to ask {@code isAlive()} after the join, and one {@code mode=recycle} run printed
 * {@code unpark-at-deadline ... notBack=1} five seconds into a two-minute bound: that scenario joins
 * its platform unparker just as the unparker exits. On HotSpot (21 and 25), a platform thread's exit
 * ({@code ensure_join}) writes the status TERMINATED and then clears {@code eetop};
 * {@code join(Duration)} returns true at once when it reads TERMINATED, and {@code isAlive()} reads
 * {@code eetop}. Met here the way the scenario can meet it: a thread is joined the moment its status
 * reads TERMINATED. With the old check ({@code join} then {@code isAlive()}) this JDK alone, no agent,
 * said "alive" after a successful join for 3 to 6 threads in 1,000 (JDK 25, 2 cores, load 9); this
 * test with the old check failed with 30 of 3,000.
 */
class JoinAllTest {
    private static final Duration BOUND = Duration.ofMinutes(2);

    @Test
    void aPlatformThreadJoinedAsItTerminatesIsBack() throws InterruptedException {
        int notBack = 0;
        for (int i = 0; i < 3_000; i++) {
            Thread t = Thread.ofPlatform().start(() -> { });
            while (t.getState() != Thread.State.TERMINATED) {
                Thread.onSpinWait();
            }
            if (TimedParkScenariosMain.notBack(t, BOUND)) {
                notBack++;
            }
        }
        assertThat(notBack).isZero();
    }

    @Test
    void aThreadThatDoesNotEndWithinTheBoundIsNotBack() throws InterruptedException {
        Thread stuck = Thread.ofPlatform().daemon().start(() -> {
            while (true) {
                LockSupport.park();
            }
        });
        assertThat(TimedParkScenariosMain.joinAllWithin(List.of(stuck), Duration.ofMillis(50))).isEqualTo(1);
        assertThat(TimedParkScenariosMain.notBack(stuck, Duration.ofMillis(10))).isTrue();
    }
}
