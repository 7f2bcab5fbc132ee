package io.headroom.agent.transport.modbus;

import io.headroom.agent.transport.modbus.ModbusException.Kind;
import io.headroom.agent.transport.serial.SerialBus;
import io.headroom.agent.transport.serial.SerialBusException;
import java.time.Duration;
import java.util.Objects;

/**
 * Modbus RTU over a {@link SerialBus}: the bus's one owner serialises the slaves on it, waits the
 * inter-frame gap before each request, ends a reply at the frame's length or at a silence, and after a
 * timeout drains the line until it is silent, so that garbage or half a frame never becomes the start of
 * the next reply. Closing this transport does not close the bus (the driver context owns it).
 */
public final class RtuBusTransport implements ModbusTransport {

    private final SerialBus bus;

    public RtuBusTransport(SerialBus bus) {
        this.bus = Objects.requireNonNull(bus, "bus");
    }

    @Override
    public byte[] exchange(int unit, byte[] request, Duration timeout) throws ModbusException, InterruptedException {
        byte[] frame = RtuFrames.frame(unit, request);
        byte[] reply;
        try {
            reply = bus.transact(frame, RtuFrames.completion(request), timeout);
        } catch (SerialBusException e) {
            Kind kind = switch (e.reason()) {
                case TIMEOUT -> Kind.TIMEOUT;
                case CLOSED -> Kind.CLOSED;
                case REPLY_TOO_LONG -> Kind.BAD_RESPONSE;
                case LINE_NOT_QUIET, BUSY -> Kind.TIMEOUT;
                case PORT_UNAVAILABLE, IO_ERROR -> Kind.UNREACHABLE;
            };
            throw new ModbusException(kind, "unit " + unit + ": " + e.getMessage(), e);
        }
        try {
            return RtuFrames.unframe(unit, request, reply, reply.length);
        } catch (ModbusException e) {
            throw e.withContext("unit " + unit + " on " + describe() + ": ");
        }
    }

    @Override
    public String describe() {
        return "serial bus " + bus.config().id();
    }

    @Override
    public void close() {
        // The bus belongs to the driver context, shared with the other slaves on it.
    }
}
