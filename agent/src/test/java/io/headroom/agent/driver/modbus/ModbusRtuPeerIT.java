package io.headroom.agent.driver.modbus;

import static org.assertj.core.api.Assertions.assertThat;

import com.digitalpetri.modbus.serial.server.SerialPortServerTransport;
import com.digitalpetri.modbus.server.ModbusRtuServer;
import com.fazecast.jSerialComm.SerialPort;
import io.headroom.agent.config.BusConfig;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContext;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.time.MonotonicClock;
import io.headroom.agent.transport.serial.SocatPtyPair;
import io.headroom.protocol.wire.DeviceHealth;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our RTU client on a socat pty pair against digitalpetri's RTU server (on jSerialComm) on the far end:
 * an independent implementation checks our framing, CRC and reply detection. Needs socat.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ModbusRtuPeerIT {

    @TempDir
    Path dir;

    @Test
    void digitalpetriRtuServer_servesTheSdm630AndTheSensor_onOneBus() throws Exception {
        try (SocatPtyPair pty = SocatPtyPair.start(dir)) {
            SerialPortServerTransport transport = SerialPortServerTransport.create(cfg -> {
                cfg.serialPort = pty.deviceEnd().toString();
                cfg.baudRate = 19_200;
                cfg.dataBits = 8;
                cfg.parity = SerialPort.EVEN_PARITY;
                cfg.stopBits = SerialPort.ONE_STOP_BIT;
            });
            var meterImage = PeerImages.of("eastron/sdm630/nominal");
            var sensorImage = PeerImages.of("generic/modbus-temperature-sensor/quirk-negative");
            ModbusRtuServer server =
                    ModbusRtuServer.create(transport, new com.digitalpetri.modbus.server.ReadWriteModbusServices() {
                        @Override
                        protected Optional<com.digitalpetri.modbus.server.ProcessImage> getProcessImage(int unit) {
                            return unit == 1
                                    ? Optional.of(meterImage)
                                    : unit == 2 ? Optional.of(sensorImage) : Optional.empty();
                        }
                    });
            server.start();
            BusConfig bus = new BusConfig(
                    "rs485-a", pty.busEnd().toString(), 19_200, BusConfig.Parity.EVEN, 8, 1, Optional.empty());
            try (DriverContext context = new DriverContext(
                    Clock.systemUTC(),
                    MonotonicClock.system(),
                    new SimpleMeterRegistry(),
                    ref -> {
                        throw new IOException("no secrets");
                    },
                    Map.of("rs485-a", bus))) {
                Driver meter = PeerImages.driver(
                        "m1",
                        "eastron/sdm630",
                        new ModbusSettings(Optional.empty(), Optional.empty(), "rs485-a", 1, 1),
                        Duration.ofSeconds(1),
                        context);
                Driver sensor = PeerImages.driver(
                        "t2",
                        "generic/modbus-temperature-sensor",
                        new ModbusSettings(Optional.empty(), Optional.empty(), "rs485-a", 2, 1),
                        Duration.ofSeconds(1),
                        context);

                PollResult meterResult = meter.poll();
                PollResult sensorResult = sensor.poll();

                assertThat(meterResult.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
                assertThat(meterResult.readings()).hasSize(12);
                assertThat(sensorResult.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
                assertThat(sensorResult.readings())
                        .singleElement()
                        .satisfies(
                                r -> assertThat(r.value()).isCloseTo(-5.5, org.assertj.core.data.Offset.offset(1e-9)));
            } finally {
                server.stop();
            }
        }
    }
}
