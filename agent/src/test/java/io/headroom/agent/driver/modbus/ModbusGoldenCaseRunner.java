package io.headroom.agent.driver.modbus;

import io.headroom.agent.driver.GoldenCaseRunner;
import io.headroom.agent.driver.PollResult;
import io.headroom.profiles.FirmwareProfile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Golden cases of the modbus driver: the case's {@code registers.json} register image answers the
 * driver's real poll (its merged reads, PDU encoding and decoding, word orders, scales and sentinels)
 * without a bus or socket; the profile's probe rules are run against the same image.
 */
public final class ModbusGoldenCaseRunner implements GoldenCaseRunner {

    static final String IMAGE = "registers.json";

    @Override
    public String driver() {
        return ModbusDriverFactory.NAME;
    }

    @Override
    public PollResult run(FirmwareProfile profile, Object compiled, Path caseDir) throws IOException {
        RegisterImage image = RegisterImage.read(caseDir.resolve(IMAGE));
        try {
            return ModbusPoll.run(
                    Clock.fixed(Instant.EPOCH, ZoneOffset.UTC),
                    (ModbusProfile) compiled,
                    client(image).access());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public boolean identifies(FirmwareProfile profile, Object compiled, Path caseDir) throws IOException {
        RegisterImage image = RegisterImage.read(caseDir.resolve(IMAGE));
        ModbusClient.Access access = client(image).access();
        try {
            for (ModbusMatch rule : ((ModbusProfile) compiled).match()) {
                if (ModbusPoll.probe(rule, access)) {
                    return true;
                }
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static ModbusClient client(RegisterImage image) {
        ImageTransport transport = new ImageTransport(image);
        return new ModbusClient(
                () -> transport, image.unit(), 0, Duration.ofSeconds(1), new SimpleMeterRegistry(), "case");
    }
}
