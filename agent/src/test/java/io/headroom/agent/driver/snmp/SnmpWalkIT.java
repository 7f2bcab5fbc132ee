package io.headroom.agent.driver.snmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContext;
import io.headroom.agent.driver.GoldenCasesTest;
import io.headroom.agent.driver.PollResult;
import io.headroom.protocol.wire.DeviceHealth;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.snmp4j.PDU;

/** Table walks: GETBULK with the device's max-repetitions on v2c, GETNEXT on v1, the same readings. */
@Timeout(60)
class SnmpWalkIT {

    private static final Path CASE = GoldenCasesTest.casesRoot().resolve("apc/ap8641/aos-6.7.2/walk.snmprec");

    private final DriverContext context = SnmpTestDevices.context(Map.of("public", "public"));

    @AfterEach
    void closeContext() {
        context.close();
    }

    private record Walked(PollResult result, int bulks, int nexts) {}

    private Walked poll(SnmpVersion version, Optional<Integer> maxRepetitions) throws Exception {
        try (SnmpTestAgent agent = new SnmpTestAgent(Snmprec.read(CASE), "public")) {
            SnmpSettings settings = new SnmpSettings(
                    "127.0.0.1",
                    agent.port(),
                    version,
                    Optional.of(SnmpTestDevices.credential("public")),
                    Optional.empty(),
                    1,
                    maxRepetitions);
            Driver driver = SnmpTestDevices.driver("pdu-1", "apc/rpdu2", settings, Duration.ofSeconds(2), context);
            try {
                PollResult result = driver.poll();
                return new Walked(result, agent.requests(PDU.GETBULK), agent.requests(PDU.GETNEXT));
            } finally {
                driver.close();
            }
        }
    }

    @Test
    void v2c_walksWithGetBulk_andFewerRepetitionsMeanMoreRequestsForTheSameReadings() throws Exception {
        Walked one = poll(SnmpVersion.V2C, Optional.of(1));
        Walked profile = poll(SnmpVersion.V2C, Optional.empty()); // apc/rpdu2: 24

        assertThat(one.result().health()).as(one.result().message()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(profile.result().readings())
                .containsExactlyInAnyOrderElementsOf(one.result().readings());
        assertThat(one.nexts()).isZero();
        assertThat(profile.nexts()).isZero();
        // 5 columns of 24 rows (metered number, power, energy; switched number, state) and 2 phase columns of
        // 1 row: at 1 repetition a request per row and one more that sees the column end
        assertThat(one.bulks()).isEqualTo(5 * (24 + 1) + 2 * (1 + 1));
        // at 24, a column of 24 rows takes a request and one to see its end; a phase column one
        assertThat(profile.bulks()).isLessThanOrEqualTo(5 * 2 + 2);
    }

    @Test
    void v1_walksWithGetNextOnly() throws Exception {
        Walked v1 = poll(SnmpVersion.V1, Optional.empty());

        assertThat(v1.result().health()).as(v1.result().message()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(v1.bulks()).isZero();
        assertThat(v1.nexts()).isPositive();
    }

    @Test
    void maxRepetitionsWithV1_isRefusedAtLoad() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SnmpSettings(
                        "pdu",
                        161,
                        SnmpVersion.V1,
                        Optional.of(SnmpTestDevices.credential("c")),
                        Optional.empty(),
                        1,
                        Optional.of(10)))
                .hasMessageContaining("max-repetitions: version 1 has no GETBULK");
    }

    @Test
    void maxRepetitionsOutOfRange_isRefusedAtLoad() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SnmpSettings(
                        "pdu",
                        161,
                        SnmpVersion.V2C,
                        Optional.of(SnmpTestDevices.credential("c")),
                        Optional.empty(),
                        1,
                        Optional.of(0)))
                .hasMessageContaining("max-repetitions: 0 must be 1 to 100");
    }
}
