package io.headroom.agent.transport.serial;

import java.io.IOException;
import java.util.Objects;

/**
 * One transaction on a serial bus did not give a complete reply. The message names the bus, its port
 * and what went wrong; {@link #reason()} tells a driver whether the device or the bus is at fault
 * (a {@link Reason#TIMEOUT} is one silent device, a {@link Reason#PORT_UNAVAILABLE} is every device
 * of the bus).
 */
public final class SerialBusException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Why a transaction failed, with a stable code for status reasons and logs. */
    public enum Reason {
        /** The port could not be opened (missing, permission denied, in use); retried on a later use. */
        PORT_UNAVAILABLE("port-unavailable"),
        /** The request went out but no complete reply came back within the timeout. */
        TIMEOUT("timeout"),
        /** Bytes kept arriving before the request, so the line never fell silent for the gap. */
        LINE_NOT_QUIET("line-not-quiet"),
        /** Another transaction held the bus longer than the bus's lock wait. */
        BUSY("busy"),
        /** Reading or writing the open port failed (adapter unplugged); the port is reopened next time. */
        IO_ERROR("io-error"),
        /** The reply grew past {@link SerialBus#MAX_REPLY_BYTES} without completing. */
        REPLY_TOO_LONG("reply-too-long"),
        /** The bus was closed (the agent is stopping). */
        CLOSED("closed");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        /** Lower-case, dash-separated, for status reason codes and meter tags. */
        public String code() {
            return code;
        }
    }

    private final Reason reason;
    private final String bus;

    SerialBusException(Reason reason, String bus, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.bus = Objects.requireNonNull(bus, "bus");
    }

    SerialBusException(Reason reason, String bus, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.bus = Objects.requireNonNull(bus, "bus");
    }

    public Reason reason() {
        return reason;
    }

    /** The id of the bus, as in {@code agent.yaml}. */
    public String bus() {
        return bus;
    }
}
