package io.headroom.agent.driver.modbus;

import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.transport.modbus.ModbusException;
import io.headroom.agent.transport.modbus.ModbusException.Kind;
import io.headroom.agent.transport.modbus.ModbusPdu;
import io.headroom.agent.transport.modbus.ModbusTable;
import io.headroom.profiles.FirmwareProfile;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import java.time.Clock;
import java.util.OptionalDouble;

/**
 * Reads one Modbus slave as its profile says ({@link ModbusPoll}) and writes its points: a
 * {@code write-point} writes one coil (FC 05) or holding register (FC 06) and reads the same item back
 * at once (FC 01 or 03); APPLIED only when the read-back holds what was written.
 */
public final class ModbusDriver implements Driver {

    private final String deviceId;
    private final FirmwareProfile profile;
    private final ModbusProfile compiled;
    private final ModbusClient client;
    private final Clock clock;
    private volatile boolean closed;

    ModbusDriver(String deviceId, FirmwareProfile profile, ModbusProfile compiled, ModbusClient client, Clock clock) {
        this.deviceId = deviceId;
        this.profile = profile;
        this.compiled = compiled;
        this.client = client;
        this.clock = clock;
    }

    @Override
    public PollResult poll() throws InterruptedException {
        if (closed) {
            return PollResult.offline(clock.instant(), Kind.CLOSED.code(), "driver closed");
        }
        return ModbusPoll.run(clock, compiled, client.access());
    }

    @Override
    public CommandOutcome execute(Verb verb, double value, String instance) throws InterruptedException {
        if (closed) {
            return failed(Kind.CLOSED.code(), "driver closed");
        }
        ModbusWrite write = compiled.points().writes().get(instance);
        if (verb != Verb.VERB_WRITE_POINT || profile.capability(verb).isEmpty() || write == null) {
            return new CommandOutcome(
                    ResultStatus.RESULT_STATUS_REJECTED,
                    "unsupported",
                    profile.id() + " has no "
                            + (verb == Verb.VERB_WRITE_POINT
                                    ? "writable point '" + instance + "'"
                                    : io.headroom.protocol.Verbs.name(verb) + " capability"),
                    OptionalDouble.empty());
        }
        long raw;
        try {
            raw = write.raw(value);
        } catch (IllegalArgumentException e) {
            return new CommandOutcome(
                    ResultStatus.RESULT_STATUS_REJECTED,
                    "out-of-range",
                    instance + ": " + e.getMessage(),
                    OptionalDouble.empty());
        }
        int address = write.wireAddress();
        boolean coil = write.table() == ModbusTable.COIL;
        byte[] request =
                coil ? ModbusPdu.writeSingleCoil(address, raw != 0) : ModbusPdu.writeSingleRegister(address, (int) raw);
        String sent = (coil ? "FC05 coil " : "FC06 register ") + address + " = " + raw;
        try {
            client.request(request);
        } catch (ModbusException e) {
            return failed(e.reason(), sent + ": " + e.getMessage());
        }
        long got;
        try {
            if (coil) {
                got = client.access().readBits(ModbusTable.COIL, address, 1)[0] ? 1 : 0;
            } else {
                got = client.access().readRegisters(ModbusTable.HOLDING, address, 1)[0];
            }
        } catch (ModbusException e) {
            return failed("readback-failed", sent + " accepted, but reading it back failed: " + e.getMessage());
        }
        OptionalDouble observed = OptionalDouble.of(write.value(got));
        if (got != raw) {
            return new CommandOutcome(
                    ResultStatus.RESULT_STATUS_FAILED,
                    "readback-mismatch",
                    sent + " accepted, but it reads back " + got,
                    observed);
        }
        return new CommandOutcome(ResultStatus.RESULT_STATUS_APPLIED, "", sent + "; reads back " + got, observed);
    }

    private static CommandOutcome failed(String reason, String message) {
        return new CommandOutcome(ResultStatus.RESULT_STATUS_FAILED, reason, message, OptionalDouble.empty());
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "ModbusDriver[" + deviceId + " " + profile.id() + " unit " + client.unit() + "]";
    }
}
