package io.headroom.agent.driver.modbus;

import io.headroom.agent.rawreply.RawReplyRecorder;
import io.headroom.agent.transport.modbus.ModbusException;
import io.headroom.agent.transport.modbus.ModbusException.Kind;
import io.headroom.agent.transport.modbus.ModbusPdu;
import io.headroom.agent.transport.modbus.ModbusTable;
import io.headroom.agent.transport.modbus.ModbusTransport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One slave's view of its transport: its unit id, its timeout and its retries. The device's timeout bounds
 * one request with all its retries (each try waits {@code timeout / (retries + 1)}, as the SNMP driver's
 * do), so a silent slave holds its bus or gateway for at most its own timeout per poll. A request
 * that times out, comes back garbled, or meets a busy slave (exception 06, gateway 0B) is sent again
 * up to {@code retries} times; any other exception response is final at once.
 *
 * <p>Meters, tagged with the device: {@code headroom.agent.modbus.requests} (every request sent, retries
 * included), {@code headroom.agent.modbus.retries}, and {@code headroom.agent.modbus.failures} tagged
 * with the failure's reason.
 */
public final class ModbusClient {

    /** Reads and writes Modbus items; what a poll needs, so that golden cases can answer from an image. */
    public interface Access {
        int[] readRegisters(ModbusTable table, int address, int count) throws ModbusException, InterruptedException;

        boolean[] readBits(ModbusTable table, int address, int count) throws ModbusException, InterruptedException;
    }

    private final Supplier<ModbusTransport> transport;
    private final int unit;
    private final int retries;
    private final Duration timeout;
    private final MeterRegistry meters;
    private final String deviceId;
    private final Counter requests;
    private final Counter retried;
    private final RawReplyRecorder replies;

    /**
     * @param transport opens (or finds) the shared transport on first use
     * @param unit the slave's unit id
     * @param retries re-sends after a transient failure
     * @param timeout one request with all its retries
     */
    public ModbusClient(
            Supplier<ModbusTransport> transport,
            int unit,
            int retries,
            Duration timeout,
            MeterRegistry meters,
            String deviceId) {
        this(transport, unit, retries, timeout, meters, deviceId, RawReplyRecorder.NONE);
    }

    /** As the other constructor, keeping each read of a poll and its registers or bits in {@code replies}. */
    public ModbusClient(
            Supplier<ModbusTransport> transport,
            int unit,
            int retries,
            Duration timeout,
            MeterRegistry meters,
            String deviceId,
            RawReplyRecorder replies) {
        this.replies = Objects.requireNonNull(replies, "replies");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.unit = unit;
        this.retries = retries;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.meters = Objects.requireNonNull(meters, "meters");
        this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
        this.requests = meters.counter("headroom.agent.modbus.requests", "device", deviceId);
        this.retried = meters.counter("headroom.agent.modbus.retries", "device", deviceId);
    }

    /** Sends one request PDU, with retries, and returns its checked response PDU. */
    public byte[] request(byte[] pdu) throws ModbusException, InterruptedException {
        ModbusTransport carrier;
        try {
            carrier = transport.get();
        } catch (IllegalStateException e) {
            throw new ModbusException(Kind.CLOSED, "transport closed: " + e.getMessage(), e);
        }
        Duration perTry = timeout.dividedBy(retries + 1);
        for (int attempt = 0; ; attempt++) {
            requests.increment();
            try {
                return carrier.exchange(unit, pdu, perTry);
            } catch (ModbusException e) {
                if (!e.isTransient() || attempt >= retries) {
                    meters.counter("headroom.agent.modbus.failures", "device", deviceId, "reason", e.reason())
                            .increment();
                    throw e;
                }
                retried.increment();
            }
        }
    }

    /** An {@link Access} through this client. */
    public Access access() {
        return new Access() {
            @Override
            public int[] readRegisters(ModbusTable table, int address, int count)
                    throws ModbusException, InterruptedException {
                String asked = ModbusRawText.request(unit, table, address, count);
                try {
                    int[] registers = ModbusPdu.registers(request(ModbusPdu.read(table, address, count)));
                    replies.exchange(asked, ModbusRawText.registers(address, registers));
                    return registers;
                } catch (ModbusException e) {
                    replies.failed(asked, e.getMessage());
                    throw e;
                }
            }

            @Override
            public boolean[] readBits(ModbusTable table, int address, int count)
                    throws ModbusException, InterruptedException {
                String asked = ModbusRawText.request(unit, table, address, count);
                try {
                    boolean[] bits = ModbusPdu.bits(request(ModbusPdu.read(table, address, count)), count);
                    replies.exchange(asked, ModbusRawText.bits(address, bits));
                    return bits;
                } catch (ModbusException e) {
                    replies.failed(asked, e.getMessage());
                    throw e;
                }
            }
        };
    }

    public int unit() {
        return unit;
    }
}
