package io.headroom.agent.driver.modbus;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.agent.TestDevices;
import io.headroom.agent.config.BusConfig;
import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContext;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.driver.modbus.PtySlave.Fault;
import io.headroom.agent.time.MonotonicClock;
import io.headroom.agent.transport.modbus.ModbusTable;
import io.headroom.agent.transport.serial.SocatPtyPair;
import io.headroom.config.ConfigNode;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The modbus driver's RTU path end to end: {@link io.headroom.agent.transport.serial.SerialBus} on one end
 * of a socat pty pair, scripted slaves ({@link PtySlave}) on the other. Needs Debian's socat (skipped
 * without it unless {@code -Dheadroom.peers=required}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ModbusRtuIT {

    private static final Duration TIMEOUT = Duration.ofMillis(300);

    @TempDir
    Path dir;

    private SocatPtyPair pty;
    private PtySlave slaves;
    private DriverContext context;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ExecutorService executor = Executors.newCachedThreadPool();

    @BeforeEach
    void start() throws Exception {
        pty = SocatPtyPair.start(dir);
        slaves = new PtySlave(pty.deviceEnd());
        BusConfig bus = new BusConfig(
                "rs485-a", pty.busEnd().toString(), 19_200, BusConfig.Parity.EVEN, 8, 1, Optional.empty());
        context = new DriverContext(
                Clock.systemUTC(),
                MonotonicClock.system(),
                meters,
                ref -> {
                    throw new IOException("no secrets");
                },
                Map.of("rs485-a", bus));
    }

    @AfterEach
    void stop() throws Exception {
        executor.shutdownNow();
        context.close();
        slaves.close();
        pty.close();
    }

    private Driver driver(String id, String profile, int unit, int retries) {
        ModbusSettings settings = new ModbusSettings(Optional.empty(), Optional.empty(), "rs485-a", unit, retries);
        DeviceConfig device = new DeviceConfig(
                id,
                profile,
                ModbusDriverFactory.NAME,
                Duration.ofSeconds(5),
                TIMEOUT,
                Optional.empty(),
                settings,
                new ConfigNode.Origin("test.yaml", 1, "devices[0]"));
        return new ModbusDriverFactory()
                .create(
                        device,
                        settings,
                        TestDevices.profile(profile),
                        (ModbusProfile) TestDevices.PROFILES.compiled(profile),
                        context);
    }

    private static RegisterImage sdm630(int unit) throws IOException {
        RegisterImage source = RegisterImage.read(
                io.headroom.agent.driver.GoldenCasesTest.casesRoot().resolve("eastron/sdm630/nominal/registers.json"));
        RegisterImage image = new RegisterImage(unit);
        for (int a = 0; a < 0x4A; a++) {
            int value = source.get(ModbusTable.INPUT, a);
            if (value >= 0) {
                image.put(ModbusTable.INPUT, a, value);
            }
        }
        return image;
    }

    private double count(String name, String... tags) {
        var counter = meters.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void poll_sdm630OnTheBus_readsEveryPointInTwoRequests() throws Exception {
        slaves.unit(sdm630(1));

        PollResult result = driver("m1", "eastron/sdm630", 1, 0).poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(result.readings()).hasSize(12);
        assertThat(result.readings())
                .anySatisfy(r -> assertThat(r.metric() + "=" + r.value()).isEqualTo("power=3350.0"));
        assertThat(slaves.received(1)).isEqualTo(2);
    }

    @Test
    void badCrc_garbage_andHalfFrames_areRetriedAfterTheLineIsDrained() throws Exception {
        slaves.unit(sdm630(1));
        Driver meter = driver("m1", "eastron/sdm630", 1, 1);

        slaves.fault(1, Fault.BAD_CRC);
        PollResult afterCrc = meter.poll();
        slaves.fault(1, Fault.GARBAGE_BEFORE);
        PollResult afterGarbage = meter.poll();
        slaves.fault(1, Fault.HALF_FRAME);
        PollResult afterHalf = meter.poll();

        assertThat(afterCrc.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(afterGarbage.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(afterHalf.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(afterHalf.readings()).hasSize(12);
        assertThat(count("headroom.agent.modbus.retries", "device", "m1")).isEqualTo(3);
        assertThat(slaves.received(1)).isEqualTo(9);
    }

    @Test
    void badCrcEveryTime_isDegradedOrOffline_withTheReasonNamed() throws Exception {
        slaves.unit(sdm630(1));
        slaves.fault(1, Fault.BAD_CRC, Fault.BAD_CRC, Fault.BAD_CRC, Fault.BAD_CRC);

        PollResult result = driver("m1", "eastron/sdm630", 1, 1).poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(result.reason()).isEqualTo("crc-error");
        assertThat(result.message()).contains("CRC mismatch");
    }

    @Test
    void exceptionResponse_isNamed_andOnlyItsReadIsLost() throws Exception {
        RegisterImage partial = new RegisterImage(1);
        for (int a = 0; a < 0x12; a++) {
            partial.put(ModbusTable.INPUT, a, 0x4366);
        }
        slaves.unit(partial);

        PollResult result = driver("m1", "eastron/sdm630", 1, 1).poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_DEGRADED);
        assertThat(result.reason()).isEqualTo("modbus-exception-02");
        assertThat(result.message()).contains("illegal data address (02)");
        assertThat(result.readings()).hasSize(9);
        assertThat(slaves.received(1))
                .as("an exception response is not retried")
                .isEqualTo(2);
    }

    @Test
    void silentSlave_isOffline_afterOneRequestAndItsRetries() throws Exception {
        PollResult result = driver("m9", "eastron/sdm630", 9, 2).poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(result.reason()).isEqualTo("timeout");
        assertThat(result.message()).contains("unit 9").contains("no complete reply");
        assertThat(slaves.received(9)).isEqualTo(3);
    }

    @Test
    void twoSlavesOnOneBus_aHungOneDoesNotStallTheOther() throws Exception {
        slaves.unit(sdm630(1));
        slaves.unit(new RegisterImage(2).put(ModbusTable.HOLDING, 0, 234).put(ModbusTable.HOLDING, 1, 456));
        Driver meter = driver("m1", "eastron/sdm630", 1, 1);
        Driver sensor = driver("t2", "generic/modbus-temperature-sensor", 2, 1);
        assertThat(sensor.poll().health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);

        slaves.silence(2);
        int before = slaves.received(2);
        Future<PollResult> hung = executor.submit(sensor::poll);
        Future<PollResult> other = executor.submit(meter::poll);

        assertThat(other.get().health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(other.get().readings()).hasSize(12);
        assertThat(hung.get().health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        // The hung slave held the bus for one request and its one retry, nothing more.
        assertThat(slaves.received(2) - before).isEqualTo(2);
        assertThat(meter.poll().health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
    }

    @Test
    void writePoint_onTheBus_isReadBack() throws Exception {
        slaves.unit(new RegisterImage(5).put(ModbusTable.COIL, 0, 0));
        Driver fans = driver("f5", "generic/modbus-fan-contactor", 5, 0);

        CommandOutcome on = fans.execute(Verb.VERB_WRITE_POINT, 1, "fan1");

        assertThat(on.status()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(on.readBack().getAsDouble()).isEqualTo(1);
        assertThat(fans.poll().readings())
                .singleElement()
                .satisfies(r -> assertThat(r.value()).isEqualTo(1));
    }
}
