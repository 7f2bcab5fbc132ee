package io.headroom.controller.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.controller.SteppableClock;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    private final SteppableClock clock = new SteppableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(clock, 3, Duration.ofMinutes(1));

    @Test
    void afterMaxFailures_blockedUntilTheOldestLeavesTheWindow_otherSourcesUnaffected() throws Exception {
        InetAddress guesser = InetAddress.getByName("192.0.2.1");
        InetAddress operator = InetAddress.getByName("192.0.2.2");
        throttle.failed(guesser);
        clock.advance(Duration.ofSeconds(10));
        throttle.failed(guesser);
        assertThat(throttle.blockedFor(guesser)).isEmpty();
        throttle.failed(guesser);

        assertThat(throttle.blockedFor(guesser)).contains(Duration.ofSeconds(50));
        assertThat(throttle.blockedFor(operator)).isEmpty();
        clock.advance(Duration.ofSeconds(50));
        assertThat(throttle.blockedFor(guesser)).isEmpty();
    }

    @Test
    void ipv6_countedPerSlash64_andSuccessForgets() throws Exception {
        for (int i = 1; i <= 3; i++) {
            throttle.failed(InetAddress.getByName("2001:db8:1:2::" + i));
        }
        assertThat(throttle.blockedFor(InetAddress.getByName("2001:db8:1:2::ffff")))
                .isPresent();
        assertThat(throttle.blockedFor(InetAddress.getByName("2001:db8:1:3::1")))
                .isEmpty();

        throttle.succeeded(InetAddress.getByName("2001:db8:1:2::9"));
        assertThat(throttle.blockedFor(InetAddress.getByName("2001:db8:1:2::1")))
                .isEmpty();
    }
}
