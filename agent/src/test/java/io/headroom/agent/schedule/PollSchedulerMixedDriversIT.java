package io.headroom.agent.schedule;

import static io.headroom.agent.schedule.SchedulerFixture.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import com.digitalpetri.modbus.server.ModbusTcpServer;
import com.digitalpetri.modbus.tcp.server.NettyTcpServerTransport;
import io.headroom.agent.TestDevices;
import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.driver.DriverContext;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.driver.modbus.ModbusDriverFactory;
import io.headroom.agent.driver.modbus.ModbusSettings;
import io.headroom.agent.driver.modbus.PeerImages;
import io.headroom.agent.driver.snmp.SnmpDriverFactory;
import io.headroom.agent.driver.snmp.SnmpSettings;
import io.headroom.agent.driver.snmp.SnmpVersion;
import io.headroom.agent.time.ManualTime;
import io.headroom.agent.time.MonotonicClock;
import io.headroom.config.ConfigNode;
import io.headroom.config.SecretRef;
import io.headroom.protocol.wire.DeviceHealth;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One agent with a rack PDU that has died (SNMP requests vanish: a UDP socket that reads and never
 * answers) and a feed meter (Modbus TCP, served by digitalpetri): the meter is polled at every
 * deadline while the PDU's poll waits out its timeout, because the two sit on different lanes. The
 * scheduler runs on manual time; only the PDU's SNMP timeout is real.
 */
@Timeout(60)
class PollSchedulerMixedDriversIT {
    private static final Duration INTERVAL = Duration.ofMillis(250);
    private static final ConfigNode.Origin ORIGIN = new ConfigNode.Origin("test.yaml", 1, "devices[0]");

    @Test
    void deadPdu_doesNotDelayTheMeterOnTheSameAgent() throws Exception {
        ManualTime time = new ManualTime();
        Map<String, List<PollResult>> results = new ConcurrentHashMap<>();
        int meterPort = PeerImages.freePort();
        NettyTcpServerTransport transport = NettyTcpServerTransport.create(cfg -> {
            cfg.bindAddress = "127.0.0.1";
            cfg.port = meterPort;
        });
        ModbusTcpServer server =
                ModbusTcpServer.create(transport, PeerImages.services(1, PeerImages.of("eastron/sdm630/nominal")));
        server.start();
        try (DatagramSocket silentPdu = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                DriverContext context = new DriverContext(
                        Clock.systemUTC(),
                        MonotonicClock.system(),
                        new SimpleMeterRegistry(),
                        ref -> "public".toCharArray(),
                        Map.of())) {
            SnmpSettings pduSettings = new SnmpSettings(
                    "127.0.0.1",
                    silentPdu.getLocalPort(),
                    SnmpVersion.V2C,
                    Optional.of(new SecretRef.Credential("pdu-community")),
                    Optional.empty(),
                    0);
            // A timeout no meter poll reaches on a loaded machine, so only the PDU waits for it.
            DeviceConfig pdu = new DeviceConfig(
                    "pdu-1",
                    "apc/rpdu2",
                    SnmpDriverFactory.NAME,
                    INTERVAL,
                    Duration.ofSeconds(8),
                    Optional.empty(),
                    pduSettings,
                    ORIGIN);
            ModbusSettings meterSettings =
                    new ModbusSettings(Optional.of("127.0.0.1:" + meterPort), Optional.empty(), "", 1, 0);
            DeviceConfig meter = new DeviceConfig(
                    "meter-feed-1",
                    "eastron/sdm630",
                    ModbusDriverFactory.NAME,
                    INTERVAL,
                    Duration.ofSeconds(15),
                    Optional.empty(),
                    meterSettings,
                    ORIGIN);
            List<ScheduledDevice> devices = List.of(
                    new ScheduledDevice(pdu, TestDevices.DRIVERS.create(pdu, TestDevices.PROFILES, context), lane(pdu)),
                    new ScheduledDevice(
                            meter, TestDevices.DRIVERS.create(meter, TestDevices.PROFILES, context), lane(meter)));
            assertThat(lane(pdu)).isNotEqualTo(lane(meter));
            try (PollScheduler scheduler = new PollScheduler(
                    devices,
                    (id, r) -> results.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>())
                            .add(r),
                    time.wall(),
                    time.monotonic(),
                    time.timer(),
                    ScriptedRandom.ZERO,
                    new SimpleMeterRegistry())) {
                scheduler.start();
                time.advance(Duration.ZERO);
                int deadlines = 1;
                awaitTrue(() -> count(results, "meter-feed-1") == 1 || count(results, "pdu-1") > 0);
                // Step deadline by deadline until the PDU's first poll has given up on its real timeout.
                while (count(results, "pdu-1") == 0) {
                    time.advance(INTERVAL);
                    int due = ++deadlines;
                    awaitTrue(() -> count(results, "meter-feed-1") == due || count(results, "pdu-1") > 0);
                }

                assertThat(deadlines)
                        .as("the PDU's timeout spans several meter deadlines")
                        .isGreaterThan(2);
                assertThat(count(results, "meter-feed-1")).isGreaterThanOrEqualTo(deadlines - 1);
                assertThat(results.get("meter-feed-1"))
                        .extracting(PollResult::health)
                        .containsOnly(DeviceHealth.DEVICE_HEALTH_ONLINE);
                assertThat(results.get("pdu-1").get(0).health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
                assertThat(results.get("pdu-1").get(0).reason()).isEqualTo("timeout");
            }
        } finally {
            server.stop();
        }
    }

    private static String lane(DeviceConfig device) {
        return TestDevices.DRIVERS.lane(device);
    }

    private static int count(Map<String, List<PollResult>> results, String id) {
        return results.getOrDefault(id, List.of()).size();
    }
}
