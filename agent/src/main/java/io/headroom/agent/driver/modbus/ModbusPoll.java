package io.headroom.agent.driver.modbus;

import io.headroom.agent.driver.PollResult;
import io.headroom.agent.driver.Reading;
import io.headroom.agent.transport.modbus.ModbusException;
import io.headroom.agent.transport.modbus.ModbusException.Kind;
import io.headroom.protocol.wire.DeviceHealth;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * One poll of a modbus device: every read of the profile's {@link ReadPlan}, decoded into readings.
 *
 * <ul>
 *   <li>A read refused with an exception response (an address this firmware lacks) loses only its
 *       points: the poll goes on and the device is DEGRADED.
 *   <li>A read that times out, or a transport that cannot be reached, ends the poll at once: a silent
 *       slave costs one request and its retries, not one per read, so the other slaves on its bus or
 *       gateway wait for it no longer than its own timeout allows. The device is OFFLINE.
 *   <li>A sentinel or a NaN is a gap: no reading, and the device stays ONLINE.
 * </ul>
 */
public final class ModbusPoll {

    private ModbusPoll() {}

    public static PollResult run(Clock clock, ModbusProfile compiled, ModbusClient.Access access)
            throws InterruptedException {
        List<Reading> readings = new ArrayList<>();
        ModbusException firstFailure = null;
        int failed = 0;
        List<ReadPlan.Block> blocks = compiled.plan().blocks();
        for (ReadPlan.Block block : blocks) {
            try {
                decode(block, access, readings);
            } catch (ModbusException e) {
                if (e.kind() == Kind.TIMEOUT
                        || e.kind() == Kind.REFUSED
                        || e.kind() == Kind.UNREACHABLE
                        || e.kind() == Kind.CLOSED) {
                    return PollResult.offline(clock.instant(), e.reason(), e.getMessage());
                }
                failed++;
                if (firstFailure == null) {
                    firstFailure = e;
                }
            }
        }
        if (firstFailure == null) {
            return new PollResult(clock.instant(), DeviceHealth.DEVICE_HEALTH_ONLINE, "", "", null, readings);
        }
        String message = "read " + failed + " of " + blocks.size() + " failed; first: " + firstFailure.getMessage();
        if (failed == blocks.size()) {
            return PollResult.offline(clock.instant(), firstFailure.reason(), message);
        }
        return new PollResult(
                clock.instant(), DeviceHealth.DEVICE_HEALTH_DEGRADED, firstFailure.reason(), message, null, readings);
    }

    private static void decode(ReadPlan.Block block, ModbusClient.Access access, List<Reading> readings)
            throws ModbusException, InterruptedException {
        if (block.table().isBits()) {
            boolean[] bits = access.readBits(block.table(), block.address(), block.count());
            for (ModbusPoint point : block.points()) {
                add(point, bits[point.wireAddress() - block.address()] ? 1 : 0, readings);
            }
            return;
        }
        int[] registers = access.readRegisters(block.table(), block.address(), block.count());
        for (ModbusPoint point : block.points()) {
            long raw = point.order()
                    .assemble(
                            registers,
                            point.wireAddress() - block.address(),
                            point.valueType().words());
            add(point, raw, readings);
        }
    }

    private static void add(ModbusPoint point, long raw, List<Reading> readings) {
        OptionalDouble value = point.map(raw);
        if (value.isPresent()) {
            readings.add(Reading.of(point.metric(), point.instance(), value.getAsDouble()));
        }
    }

    /** Whether a probe rule matches what {@code access} reads; false for any failure to read it. */
    static boolean probe(ModbusMatch rule, ModbusClient.Access access) throws InterruptedException {
        try {
            if (rule.table().isBits()) {
                return rule.matches(access.readBits(rule.table(), rule.wireAddress(), 1)[0] ? 1 : 0);
            }
            int words = rule.valueType().words();
            int[] registers = access.readRegisters(rule.table(), rule.wireAddress(), words);
            return rule.matches(rule.order().assemble(registers, 0, words));
        } catch (ModbusException e) {
            return false;
        }
    }
}
