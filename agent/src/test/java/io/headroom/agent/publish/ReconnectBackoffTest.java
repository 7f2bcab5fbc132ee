package io.headroom.agent.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;

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
}
