package io.headroom.agent.driver.snmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContext;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.driver.Reading;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.wire.DeviceHealth;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The snmp driver with the {@code apc/rpdu2} profile against Debian's {@code snmpsim} serving the public
 * AP8641 recording of etingof/snmpsim-data (BSD, {@code src/test/resources/snmpsim-data/SOURCE.md}): a
 * real device's walk, served by a simulator no one here wrote. TELEMETRY.md §6 gives its figures: device
 * power 1.21 kW, 24 metered outlets summing to 1117 W, phase current 6.5 A at 201 V.
 */
@Timeout(90)
class SnmpsimIT {

    @TempDir
    static Path dir;

    private static Snmpsim snmpsim;

    private final DriverContext context = SnmpTestDevices.context(Map.of("community", "apc-8641"));

    @BeforeAll
    static void startSnmpsim() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        try (InputStream recording = SnmpsimIT.class.getResourceAsStream("/snmpsim-data/apc-8641.snmprec")) {
            Files.copy(recording, data.resolve("apc-8641.snmprec"));
        }
        snmpsim = Snmpsim.start(dir, data);
    }

    @AfterAll
    static void stopSnmpsim() throws Exception {
        if (snmpsim != null) {
            snmpsim.close();
        }
    }

    @AfterEach
    void closeContext() {
        context.close();
    }

    private PollResult poll(SnmpVersion version) throws InterruptedException {
        Driver driver = SnmpTestDevices.driver(
                "pdu-8641",
                "apc/rpdu2",
                SnmpTestDevices.communitySettings(snmpsim.port(), version, "community"),
                Duration.ofSeconds(3),
                context);
        try {
            return driver.poll();
        } finally {
            driver.close();
        }
    }

    @Test
    void v2cPoll_ofTheAp8641Recording_givesItsPowersAndIdentity() throws Exception {
        assertRecording(poll(SnmpVersion.V2C));
    }

    @Test
    void v1Poll_withGetNext_givesTheSame() throws Exception {
        assertRecording(poll(SnmpVersion.V1));
    }

    private static void assertRecording(PollResult result) {
        assertThat(result.health())
                .as(result.message() + "\n" + snmpsim.log())
                .isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(result.identity().model()).isEqualTo("AP8641");
        assertThat(result.identity().firmware()).isEqualTo("v6.7.2");
        List<Reading> readings = result.readings();
        assertThat(value(readings, MetricDictionary.POWER, "")).isCloseTo(1210, within(1e-9));
        assertThat(value(readings, MetricDictionary.CURRENT, "phase1")).isCloseTo(6.5, within(1e-9));
        assertThat(value(readings, MetricDictionary.VOLTAGE, "phase1")).isCloseTo(201, within(1e-9));
        double outlets = readings.stream()
                .filter(r -> r.metric().equals(MetricDictionary.POWER)
                        && !r.instance().isEmpty())
                .mapToDouble(Reading::value)
                .sum();
        assertThat(outlets).isCloseTo(1117, within(1e-9));
        List<Reading> states = readings.stream()
                .filter(r -> r.metric().equals(MetricDictionary.OUTLET_STATE))
                .toList();
        assertThat(states).hasSize(24);
        // snmpsim varies the recorded states (2:numeric lines), so only their range is fixed
        assertThat(states).allSatisfy(r -> assertThat(r.value()).isIn(0.0, 1.0));
    }

    private static double value(List<Reading> readings, String metric, String instance) {
        return readings.stream()
                .filter(r -> r.metric().equals(metric) && r.instance().equals(instance))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no reading " + metric + " " + instance + " in " + readings))
                .value();
    }
}
