package io.headroom.agent.transport.serial;

import com.fazecast.jSerialComm.SerialPort;
import com.fazecast.jSerialComm.SerialPortInvalidPortException;
import io.headroom.agent.config.BusConfig;
import io.headroom.agent.transport.serial.SerialBusException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One open serial port, through jSerialComm, in non-blocking mode: {@link SerialBus} waits for bytes
 * itself, on its injected clock, because jSerialComm's POSIX read timeouts come in tenths of a second
 * (termios {@code VTIME}), far coarser than a 1.75 ms inter-frame gap.
 *
 * <p>Opened exclusively: jSerialComm takes an {@code flock(LOCK_EX)} on the device, so a second
 * program (or a second bus of this agent) naming the same port is refused instead of mixing its
 * frames with ours. Not thread-safe; the bus's lock guards it.
 */
final class SerialPortLine implements AutoCloseable {

    private final SerialPort port;
    private final String bus;
    private final String path;

    private SerialPortLine(SerialPort port, String bus, String path) {
        this.port = port;
        this.bus = bus;
        this.path = path;
    }

    /** Opens the bus's port with its line settings, or says why it cannot. */
    static SerialPortLine open(BusConfig config) throws SerialBusException {
        String path = config.port();
        // Checked here, not left to jSerialComm: for a path that does not exist it tries /dev/<name>,
        // which could open some other device with the same file name.
        Path file = Path.of(path);
        if (!Files.exists(file)) {
            String why = Files.isSymbolicLink(file)
                    ? "it is a link to nothing (adapter unplugged?)"
                    : "it does not exist (adapter unplugged, or a wrong path?)";
            throw unavailable(config, why, null);
        }
        SerialPort port;
        try {
            port = SerialPort.getCommPort(path);
        } catch (SerialPortInvalidPortException e) {
            throw unavailable(config, "it vanished while being opened (adapter unplugged?)", e);
        } catch (LinkageError e) {
            throw unavailable(config, "jSerialComm's native library cannot be loaded on this system: " + e, e);
        }
        port.setComPortParameters(
                config.baud(),
                config.dataBits(),
                config.stopBits() == 2 ? SerialPort.TWO_STOP_BITS : SerialPort.ONE_STOP_BIT,
                parity(config.parity()));
        port.setComPortTimeouts(SerialPort.TIMEOUT_NONBLOCKING, 0, 0);
        if (!port.openPort(0)) {
            throw unavailable(config, describeOpenFailure(port.getLastErrorCode(), config), null);
        }
        return new SerialPortLine(port, config.id(), path);
    }

    /**
     * Why an open failed, from jSerialComm's last {@code errno} (Linux numbering). jSerialComm reports
     * 2 (ENOENT) also for a port already open in this process; the file was just seen to exist, so
     * 2 means that.
     */
    static String describeOpenFailure(int errno, BusConfig config) {
        switch (errno) {
            case 1: // EPERM
            case 13: // EACCES
                return "permission denied: the agent's user needs read and write access to it; add the user to "
                        + "the dialout group (or the group that owns the device) and restart the agent";
            case 2: // ENOENT, jSerialComm's "already open"
                return "it is already open in this agent (two buses naming one port?)";
            case 11: // EAGAIN = EWOULDBLOCK, from flock(LOCK_NB)
            case 16: // EBUSY
                return "it is in use by another program (which holds its exclusive lock)";
            case 5: // EIO
                return "input/output error (adapter failing or unplugged?)";
            case 6: // ENXIO
            case 19: // ENODEV
                return "no such device (adapter unplugged?)";
            case 21: // EISDIR
                return "it is a directory, not a serial port";
            case 22: // EINVAL
            case 25: // ENOTTY
                return "it is not a serial port, or does not accept " + config.baud() + " baud " + config.dataBits()
                        + parityLetter(config.parity()) + config.stopBits();
            default:
                return "the system refused it (errno " + errno + ")";
        }
    }

    /** Bytes waiting to be read. */
    int available() throws SerialBusException {
        int available = port.bytesAvailable();
        if (available < 0) {
            throw ioError("reading from", port.getLastErrorCode());
        }
        return available;
    }

    /** Reads up to {@code length} bytes that are already waiting; never blocks. */
    int read(byte[] buffer, int offset, int length) throws SerialBusException {
        int read = port.readBytes(buffer, length, offset);
        if (read < 0) {
            throw ioError("reading from", port.getLastErrorCode());
        }
        return read;
    }

    /** Hands all of {@code data} to the driver's transmit buffer. */
    void write(byte[] data) throws SerialBusException {
        int written = port.writeBytes(data, data.length);
        if (written != data.length) {
            throw ioError("writing to", port.getLastErrorCode());
        }
    }

    @Override
    public void close() {
        port.closePort();
    }

    private SerialBusException ioError(String doing, int errno) {
        return new SerialBusException(
                Reason.IO_ERROR,
                bus,
                "serial bus " + bus + ": " + doing + " " + path + " failed (errno " + errno
                        + "; adapter unplugged?); it will be reopened");
    }

    private static SerialBusException unavailable(BusConfig config, String why, Throwable cause) {
        String message = "serial bus " + config.id() + ": cannot open " + config.port() + ": " + why;
        return cause == null
                ? new SerialBusException(Reason.PORT_UNAVAILABLE, config.id(), message)
                : new SerialBusException(Reason.PORT_UNAVAILABLE, config.id(), message, cause);
    }

    private static int parity(BusConfig.Parity parity) {
        switch (parity) {
            case EVEN:
                return SerialPort.EVEN_PARITY;
            case ODD:
                return SerialPort.ODD_PARITY;
            default:
                return SerialPort.NO_PARITY;
        }
    }

    private static char parityLetter(BusConfig.Parity parity) {
        return parity.name().charAt(0);
    }
}
