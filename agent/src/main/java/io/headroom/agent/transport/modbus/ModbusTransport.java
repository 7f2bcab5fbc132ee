package io.headroom.agent.transport.modbus;

import java.io.Closeable;
import java.time.Duration;

/**
 * One way of carrying Modbus PDUs to slaves: RTU frames on a serial bus, Modbus TCP, or RTU frames on a
 * TCP socket. Shared by every device behind the same bus or gateway (one instance per bus or endpoint,
 * through the driver context), so an implementation sends one request at a time and is thread-safe.
 */
public interface ModbusTransport extends Closeable {

    /**
     * Sends one request PDU to {@code unit} and returns its response PDU, checked against the request
     * ({@link ModbusPdu#check}). No retries: the caller decides.
     *
     * @param timeout how long the answer may take
     * @throws ModbusException an exception response, a timeout, a bad frame, an unreachable peer
     */
    byte[] exchange(int unit, byte[] request, Duration timeout) throws ModbusException, InterruptedException;

    /** Where requests go, for messages: {@code serial bus rs485-a}, {@code tcp 10.0.0.5:502}. */
    String describe();

    @Override
    void close();
}
