package io.headroom.simulator.meter;

import com.digitalpetri.modbus.serial.server.SerialPortServerTransport;
import com.digitalpetri.modbus.server.ModbusRtuServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated SDM630 of {@link SimulatedMeter} as a Modbus RTU slave on a serial port (in tests and
 * the docs, one end of a {@code socat} pty pair: the agent's bus opens the other end), 8N1 at the given
 * baud rate, through digitalpetri's RTU server on jSerialComm. Same register map and exceptions;
 * frames with a bad CRC are dropped by the library, as a slave must.
 */
public final class SimulatedRtuMeter implements AutoCloseable {
    private static final Logger logger = LoggerFactory.getLogger(SimulatedRtuMeter.class);

    private final String id;
    private final int unitId;
    private final Path port;
    private final ModbusRtuServer server;
    private final MeterCounters counters;
    private volatile boolean closed;

    private SimulatedRtuMeter(String id, int unitId, Path port, ModbusRtuServer server, MeterCounters counters) {
        this.id = id;
        this.unitId = unitId;
        this.port = port;
        this.server = server;
        this.counters = counters;
    }

    /**
     * Opens {@code port} and answers as slave {@code unitId}.
     *
     * @throws IOException when the port cannot be opened
     */
    public static SimulatedRtuMeter start(String id, MeterModel model, int unitId, Path port, int baudRate)
            throws IOException {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(port, "port");
        if (unitId < 1 || unitId > 247) {
            throw new IllegalArgumentException("unitId: must be in [1, 247], got " + unitId);
        }
        MeterCounters counters = new MeterCounters();
        SerialPortServerTransport transport = SerialPortServerTransport.create(cfg -> {
            cfg.serialPort = port.toString();
            cfg.baudRate = baudRate;
        });
        ModbusRtuServer server = ModbusRtuServer.create(transport, new Sdm630Services(model, unitId, counters));
        try {
            server.start();
        } catch (ExecutionException e) {
            throw new IOException("meter " + id + ": cannot open " + port + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("meter " + id + ": interrupted while opening " + port, e);
        }
        logger.info("simulated meter {} (SDM630, unit {}) on modbus-rtu {} at {} baud", id, unitId, port, baudRate);
        return new SimulatedRtuMeter(id, unitId, port, server, counters);
    }

    public String id() {
        return id;
    }

    public int unitId() {
        return unitId;
    }

    /** The serial port it answers on. */
    public Path port() {
        return port;
    }

    /** Read requests answered with registers. */
    public long served() {
        return counters.served.get();
    }

    /** Requests answered with a Modbus exception, or not at all (another unit id). */
    public long refused() {
        return counters.refused.get();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.stop();
        } catch (ExecutionException e) {
            logger.debug("stopping meter {}: {}", id, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "SimulatedRtuMeter[" + id + " unit " + unitId + " @" + port + "]";
    }
}
