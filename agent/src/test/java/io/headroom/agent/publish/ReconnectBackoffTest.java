package io.headroom.agent.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReconnectBackoffTest {

    @RepeatedTest(20)
    void delays_doubleFromMinimum_withJitter_cappedAtMaximum() {
        ReconnectBackoff backoff = new ReconnectBackoff(Duration.ofMillis(100), Duration.ofMillis(1_000));

        assertThat(backoff.nextDelayMillis()).isBetween(50L, 100L);
        assertThat(backoff.nextDelayMillis()).isBetween(100L, 200L);
        assertThat(backoff.nextDelayMillis()).isBetween(200L, 400L);
        assertThat(backoff.nextDelayMillis()).isBetween(400L, 800L);
        for (int i = 0; i < 40; i++) {
            assertThat(backoff.nextDelayMillis()).isBetween(500L, 1_000L);
        }
        backoff.reset();
        assertThat(backoff.nextDelayMillis()).isBetween(50L, 100L);
    }

    /**
     * Fault matrix row 9, "no reconnect herd on heal", in simulated time: 50 agents lose the
     * controller at the same instant (a partition), retry with the agent's defaults (1 s doubling
     * to 60 s), and the partition heals after {@code healAfterSeconds}. Each agent reconnects at
     * its first attempt after the heal. Without jitter all 50 would arrive in the same millisecond;
     * with it, no second sees more than a handful and the arrivals spread over tens of seconds.
     */
    @ParameterizedTest(name = "heal after {0} s")
    @ValueSource(ints = {5, 90, 300, 1800})
    void fiftyAgentsCutTogether_reconnectAfterTheHeal_spreadOut_noHerd(int healAfterSeconds) {
        long heal = healAfterSeconds * 1000L;
        List<Long> reconnects = new ArrayList<>();
        for (int agent = 0; agent < 50; agent++) {
            ReconnectBackoff backoff =
                    new ReconnectBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60), new Random(1_000L + agent));
            long at = 0;
            while (at < heal) {
                at += backoff.nextDelayMillis();
            }
            reconnects.add(at);
        }
        Collections.sort(reconnects);

        int worstSecond = 0;
        for (int i = 0, j = 0; i < reconnects.size(); i++) {
            while (reconnects.get(i) - reconnects.get(j) >= 1000) {
                j++;
            }
            worstSecond = Math.max(worstSecond, i - j + 1);
        }
        long spread = reconnects.get(49) - reconnects.get(0);
        if (healAfterSeconds >= 90) {
            // Past the cap every agent waits 30-60 s between attempts: arrivals spread over ~a minute.
            assertThat(worstSecond).as("most reconnects within one second").isLessThanOrEqualTo(8);
            assertThat(spread).as("spread of the 50 reconnects, ms").isGreaterThan(20_000);
        } else {
            // Early in the doubling the window is a few seconds wide: still no lock-step.
            assertThat(worstSecond).as("most reconnects within one second").isLessThan(50);
            assertThat(spread).as("spread of the 50 reconnects, ms").isGreaterThan(1_000);
        }
    }
}
