package io.headroom.controller.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SourceLimitsTest {
    private final AtomicLong nanos = new AtomicLong(42);
    private final MqttLimits limits = new MqttLimits(3, 4, 60, 30, 4, 60, 2);
    private final SourceLimits sources = new SourceLimits(limits, nanos::get);
    private final InetAddress attacker = InetAddress.getLoopbackAddress();

    private static InetAddress address(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void preAuth_atMostThreePendingPerAddress_releasedSlotsReusable_otherAddressesUnaffected() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(sources.open(attacker)).isEqualTo(SourceLimits.Refusal.NONE);
        }
        assertThat(sources.open(attacker)).isEqualTo(SourceLimits.Refusal.PRE_AUTH_LIMIT);
        assertThat(sources.open(address("127.0.0.9"))).isEqualTo(SourceLimits.Refusal.NONE);

        sources.release(attacker);
        assertThat(sources.open(attacker)).isEqualTo(SourceLimits.Refusal.NONE);
    }

    @Test
    void failedLogins_fourWithinTheWindow_penaliseTheAddressFor30s() {
        assertThat(sources.failedLogin(attacker)).isFalse();
        assertThat(sources.failedLogin(attacker)).isFalse();
        assertThat(sources.failedLogin(attacker)).isFalse();
        assertThat(sources.failedLogin(attacker))
                .as("the fourth starts the penalty")
                .isTrue();
        assertThat(sources.open(attacker)).isEqualTo(SourceLimits.Refusal.PENALISED);

        nanos.addAndGet(TimeUnit.SECONDS.toNanos(29));
        assertThat(sources.penalised(attacker)).isTrue();
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
        assertThat(sources.penalised(attacker)).isFalse();
        assertThat(sources.open(attacker)).isEqualTo(SourceLimits.Refusal.NONE);
    }

    @Test
    void failedLogins_spreadWiderThanTheWindow_neverPenalise() {
        for (int i = 0; i < 20; i++) {
            assertThat(sources.failedLogin(attacker)).isFalse();
            nanos.addAndGet(TimeUnit.SECONDS.toNanos(21));
        }
        assertThat(sources.penalised(attacker)).isFalse();
    }
}
