package io.headroom.agent.driver.modbus;

import static org.assertj.core.api.Assertions.assertThat;

import com.digitalpetri.modbus.server.ModbusRtuServer;
import com.digitalpetri.modbus.server.ModbusTcpServer;
import com.digitalpetri.modbus.server.ProcessImage;
import com.digitalpetri.modbus.tcp.server.NettyRtuServerTransport;
import com.digitalpetri.modbus.tcp.server.NettyTcpServerTransport;
import io.headroom.agent.TestDevices;
import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContext;
import io.headroom.agent.driver.PollResult;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Modbus TCP and RTU over TCP against digitalpetri's servers in the JVM: an independent implementation
 * of the protocol answers our own client framing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ModbusTcpIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final DriverContext context = TestDevices.context(Clock.systemUTC());
    private final List<AutoCloseable> servers = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        context.close();
        for (AutoCloseable server : servers) {
            server.close();
        }
    }

    private int tcpServer(int unit, ProcessImage image) throws Exception {
        int port = PeerImages.freePort();
        NettyTcpServerTransport transport = NettyTcpServerTransport.create(cfg -> {
            cfg.bindAddress = "127.0.0.1";
            cfg.port = port;
        });
        ModbusTcpServer server = ModbusTcpServer.create(transport, PeerImages.services(unit, image));
        server.start();
        servers.add(server::stop);
        return port;
    }

    private int rtuOverTcpServer(int unit, ProcessImage image) throws Exception {
        int port = PeerImages.freePort();
        NettyRtuServerTransport transport = NettyRtuServerTransport.create(cfg -> {
            cfg.bindAddress = "127.0.0.1";
            cfg.port = port;
        });
        ModbusRtuServer server = ModbusRtuServer.create(transport, PeerImages.services(unit, image));
        server.start();
        servers.add(server::stop);
        return port;
    }

    private static ModbusSettings tcp(int port, int unit) {
        return new ModbusSettings(Optional.of("127.0.0.1:" + port), Optional.empty(), "", unit, 1);
    }

    @Test
    void modbusTcp_sdm630_pollsEveryPoint() throws Exception {
        int port = tcpServer(1, PeerImages.of("eastron/sdm630/nominal"));

        Driver meter = PeerImages.driver("m1", "eastron/sdm630", tcp(port, 1), TIMEOUT, context);
        PollResult first = meter.poll();
        PollResult second = meter.poll();

        assertThat(first.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(first.readings()).hasSize(12);
        assertThat(first.readings())
                .anySatisfy(r -> assertThat(r.metric() + "=" + r.value()).isEqualTo("power=3350.0"));
        assertThat(second.readings()).isEqualTo(first.readings());
    }

    @Test
    void modbusTcp_writePoint_isAppliedAndReadBackFromTheServer() throws Exception {
        ProcessImage image = PeerImages.of("generic/modbus-fan-contactor/on");
        int port = tcpServer(1, image);
        Driver fans = PeerImages.driver("f1", "generic/modbus-fan-contactor", tcp(port, 1), TIMEOUT, context);
        assertThat(image.<Boolean>get(tx -> tx.readCoils(m -> m.getOrDefault(0, false))))
                .isTrue();

        CommandOutcome off = fans.execute(Verb.VERB_WRITE_POINT, 0, "fan1");

        assertThat(off.status()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(off.readBack().getAsDouble()).isZero();
        // digitalpetri keeps only the coils that are on.
        assertThat(image.<Boolean>get(tx -> tx.readCoils(m -> m.getOrDefault(0, false))))
                .isFalse();
        assertThat(fans.poll().readings())
                .singleElement()
                .satisfies(r -> assertThat(r.value()).isZero());
    }

    @Test
    void rtuOverTcp_abbB23_pollsEveryPointWithScalesAndSentinels() throws Exception {
        int port = rtuOverTcpServer(7, PeerImages.of("abb/b23/quirk-phase3-not-available"));
        ModbusSettings settings = new ModbusSettings(Optional.empty(), Optional.of("127.0.0.1:" + port), "", 7, 1);

        PollResult result =
                PeerImages.driver("m7", "abb/b2x", settings, TIMEOUT, context).poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(result.readings()).hasSize(8);
        assertThat(result.readings()).noneSatisfy(r -> assertThat(r.instance()).isEqualTo("phase3"));
    }

    @Test
    void deadMeter_isOfflineRefused_onItsOwnLane_andTheLiveMeterIsUnaffected() throws Exception {
        int live = tcpServer(1, PeerImages.of("eastron/sdm630/nominal"));
        int dead = PeerImages.freePort();
        ModbusSettings deadSettings = tcp(dead, 1);

        PollResult deadResult = PeerImages.driver("dead", "eastron/sdm630", deadSettings, TIMEOUT, context)
                .poll();
        PollResult liveResult = PeerImages.driver("live", "eastron/sdm630", tcp(live, 1), TIMEOUT, context)
                .poll();

        assertThat(deadResult.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(deadResult.reason()).isEqualTo("connection-refused");
        assertThat(deadResult.message()).contains("127.0.0.1:" + dead).contains("cannot connect");
        assertThat(liveResult.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(TestDevices.DRIVERS.lane(PeerImages.device("dead", "eastron/sdm630", deadSettings)))
                .isNotEqualTo(TestDevices.DRIVERS.lane(PeerImages.device("live", "eastron/sdm630", tcp(live, 1))));
    }

    @Test
    void unknownUnitBehindAGateway_timesOut() throws Exception {
        int port = tcpServer(1, PeerImages.of("eastron/sdm630/nominal"));

        PollResult result = PeerImages.driver("m2", "eastron/sdm630", tcp(port, 2), Duration.ofMillis(300), context)
                .poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(result.reason()).isIn("timeout", "unreachable");
    }
}
