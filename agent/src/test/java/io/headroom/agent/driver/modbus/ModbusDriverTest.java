package io.headroom.agent.driver.modbus;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.agent.TestDevices;
import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.transport.modbus.ModbusException;
import io.headroom.agent.transport.modbus.ModbusTable;
import io.headroom.agent.transport.modbus.ModbusTransport;
import io.headroom.profiles.FirmwareProfile;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The driver over an in-memory register image: health, retries, and write-point with read-back. */
class ModbusDriverTest {

    private static final Clock CLOCK = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private ModbusDriver driver(String profileId, ModbusTransport transport, int retries) {
        FirmwareProfile profile = TestDevices.profile(profileId);
        ModbusProfile compiled = (ModbusProfile) TestDevices.PROFILES.compiled(profileId);
        ModbusClient client = new ModbusClient(() -> transport, 1, retries, Duration.ofSeconds(1), meters, "d1");
        return new ModbusDriver("d1", profile, compiled, client, CLOCK);
    }

    private static RegisterImage contactor(boolean stuck) {
        return new RegisterImage(1) {
            @Override
            synchronized byte[] answer(byte[] request) {
                byte[] response = super.answer(request);
                if (stuck && (request[0] == 0x05)) {
                    put(ModbusTable.COIL, 0, 0); // a contactor whose coil does not pull in
                }
                return response;
            }
        }.put(ModbusTable.COIL, 0, 0);
    }

    @Test
    void writePoint_writesTheCoil_andConfirmsItByReadingItBack() throws Exception {
        ImageTransport transport = new ImageTransport(contactor(false));
        ModbusDriver driver = driver("generic/modbus-fan-contactor", transport, 0);

        CommandOutcome on = driver.execute(Verb.VERB_WRITE_POINT, 1, "fan1");

        assertThat(on.status()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(on.readBack().getAsDouble()).isEqualTo(1);
        assertThat(transport.image.get(ModbusTable.COIL, 0)).isEqualTo(1);
        assertThat(transport.requests).extracting(r -> r[0]).containsExactly((byte) 0x05, (byte) 0x01);
        assertThat(driver.poll().readings()).singleElement().satisfies(r -> {
            assertThat(r.metric()).isEqualTo("outlet.state");
            assertThat(r.value()).isEqualTo(1);
        });
        assertThat(driver.execute(Verb.VERB_WRITE_POINT, 0, "fan1").status())
                .isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(transport.image.get(ModbusTable.COIL, 0)).isZero();
    }

    @Test
    void writePoint_whoseReadBackDiffers_isFailed() throws Exception {
        ModbusDriver driver = driver("generic/modbus-fan-contactor", new ImageTransport(contactor(true)), 0);

        CommandOutcome outcome = driver.execute(Verb.VERB_WRITE_POINT, 1, "fan1");

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(outcome.reason()).isEqualTo("readback-mismatch");
        assertThat(outcome.message()).contains("reads back 0");
    }

    @Test
    void writePoint_refusedByTheDevice_isFailedWithTheExceptionNamed() throws Exception {
        ModbusDriver driver = driver("generic/modbus-fan-contactor", new ImageTransport(new RegisterImage(1)), 0);

        CommandOutcome outcome = driver.execute(Verb.VERB_WRITE_POINT, 1, "fan1");

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(outcome.reason()).isEqualTo("modbus-exception-02");
        assertThat(outcome.message()).contains("illegal data address");
        assertThat(driver.execute(Verb.VERB_WRITE_POINT, 1, "fan2").status())
                .isEqualTo(ResultStatus.RESULT_STATUS_REJECTED);
    }

    @Test
    void poll_someReadsRefused_isDegradedWithTheOthersKept() throws Exception {
        RegisterImage image = new RegisterImage(1);
        for (int a = 0; a < 0x12; a++) {
            image.put(ModbusTable.INPUT, a, a < 2 ? (a == 0 ? 0x4366 : 0) : 0);
        }
        PollResult result =
                driver("eastron/sdm630", new ImageTransport(image), 0).poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_DEGRADED);
        assertThat(result.reason()).isEqualTo("modbus-exception-02");
        assertThat(result.message()).contains("read 1 of 2 failed").contains("illegal data address");
        assertThat(result.readings()).anySatisfy(r -> assertThat(r.metric()).isEqualTo("voltage"));
    }

    @Test
    void poll_silentSlave_isOfflineAfterOneRequestAndItsRetries_notOnePerRead() throws Exception {
        AtomicInteger sent = new AtomicInteger();
        ModbusTransport silent = new ModbusTransport() {
            @Override
            public byte[] exchange(int unit, byte[] request, Duration timeout) throws ModbusException {
                sent.incrementAndGet();
                throw new ModbusException(ModbusException.Kind.TIMEOUT, "no reply");
            }

            @Override
            public String describe() {
                return "silent";
            }

            @Override
            public void close() {}
        };

        PollResult result = driver("eastron/sdm630", silent, 2).poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(result.reason()).isEqualTo("timeout");
        assertThat(sent).hasValue(3);
        assertThat(meters.counter("headroom.agent.modbus.retries", "device", "d1")
                        .count())
                .isEqualTo(2);
    }

    @Test
    void poll_busySlave_isAskedAgain() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        RegisterImage image = RegisterImage.read(io.headroom.agent.driver.GoldenCasesTest.casesRoot()
                .resolve("generic/modbus-temperature-sensor/nominal/registers.json"));
        ImageTransport inner = new ImageTransport(image);
        ModbusTransport busyOnce = new ModbusTransport() {
            @Override
            public byte[] exchange(int unit, byte[] request, Duration timeout) throws ModbusException {
                if (calls.getAndIncrement() == 0) {
                    throw ModbusException.exceptionResponse(request[0], 6);
                }
                return inner.exchange(unit, request, timeout);
            }

            @Override
            public String describe() {
                return "busy once";
            }

            @Override
            public void close() {}
        };

        PollResult result =
                driver("generic/modbus-temperature-sensor", busyOnce, 1).poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(result.readings())
                .singleElement()
                .satisfies(r -> assertThat(r.value()).isCloseTo(23.4, org.assertj.core.data.Offset.offset(1e-9)));
    }
}
