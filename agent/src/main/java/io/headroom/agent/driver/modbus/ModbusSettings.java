package io.headroom.agent.driver.modbus;

import io.headroom.agent.config.BusDevice;
import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.config.Key;
import io.headroom.config.Range;
import java.util.Optional;

/**
 * A device's {@code modbus:} block in {@code agent.yaml}: exactly one of {@code tcp}, {@code rtu-over-tcp}
 * and {@code bus} says how its requests travel; {@code unit} is its slave address there. The timeout
 * per request is the device's common {@code timeout}.
 *
 * @param tcp {@code host:port} of a Modbus TCP device or gateway (port 502 when omitted)
 * @param rtuOverTcp {@code host:port} of a serial gateway that carries RTU frames on TCP as they are
 * @param bus id of a serial bus under {@code buses:} (RTU over RS-485); empty for the TCP transports
 * @param unit the slave address (unit id)
 * @param retries re-sends of a request that timed out, came back garbled or met a busy slave
 */
@Doc("Modbus RTU on a serial bus, Modbus TCP, or RTU over TCP (meters, sensors, contactors).")
public record ModbusSettings(
        @Doc("host:port of a Modbus TCP device or gateway (port 502 if omitted).")
        Optional<String> tcp,

        @Doc("host:port of a serial gateway passing RTU frames on TCP.") @Key("rtu-over-tcp")
        Optional<String> rtuOverTcp,

        @Doc("Id of a serial bus under buses: (RTU over RS-485).") @Default("")
        String bus,

        @Doc("Slave address (unit id): 1-247 on a bus; 0-255 on TCP.") @Default("1") @Range(min = "0", max = "255")
        int unit,

        @Doc("Re-sends of a request that timed out, was garbled or met a busy slave.")
        @Default("1")
        @Range(min = "0", max = "5")
        int retries)
        implements BusDevice {

    public ModbusSettings {
        int transports = (tcp.isPresent() ? 1 : 0) + (rtuOverTcp.isPresent() ? 1 : 0) + (bus.isEmpty() ? 0 : 1);
        if (transports != 1) {
            throw new IllegalArgumentException("tcp: give exactly one of tcp: host:port, rtu-over-tcp: host:port"
                    + " or bus: <bus id>" + (transports == 0 ? "" : "; " + transports + " are given"));
        }
        tcp.ifPresent(t -> HostPort.parse(t, "tcp"));
        rtuOverTcp.ifPresent(t -> HostPort.parse(t, "rtu-over-tcp"));
        if (unit < 0 || unit > 255) {
            throw new IllegalArgumentException("unit: " + unit + " must be 0 to 255");
        }
        if (!bus.isEmpty() && (unit < 1 || unit > 247)) {
            throw new IllegalArgumentException("unit: " + unit + " is not a slave address on a serial bus (1-247;"
                    + " 0 is broadcast, which gets no reply)");
        }
        if (retries < 0 || retries > 5) {
            throw new IllegalArgumentException("retries: " + retries + " must be 0 to 5");
        }
    }

    /** The bus id, or empty for a TCP transport (the loader checks a non-empty one is declared). */
    @Override
    public String bus() {
        return bus;
    }
}
