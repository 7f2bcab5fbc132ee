package io.headroom.agent.config;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.config.Range;
import io.headroom.protocol.Topics;
import java.time.Duration;
import java.util.Optional;

/**
 * A serial bus ({@code buses:} in {@code agent.yaml}): one RS-485 line shared by every device that
 * names it, with one owner in the agent that sends one request at a time.
 *
 * @param id what devices refer to
 * @param port the serial device, e.g. {@code /dev/ttyUSB0} or a {@code /dev/serial/by-id/…} link
 * @param baud line speed
 * @param parity {@code even} (the Modbus RTU default), {@code odd} or {@code none}
 * @param dataBits bits per character
 * @param stopBits 1 or 2; Modbus asks for 2 without parity
 * @param interFrameGap silence between frames; absent means the Modbus RTU rule: 3.5 character times,
 *     and a fixed 1.75 ms above 19200 baud
 */
@Doc("A serial RS-485 bus shared by the devices that name it.")
public record BusConfig(
        @Doc("What devices refer to, [a-z0-9_-].") String id,
        @Doc("The serial device, e.g. /dev/ttyUSB0.") String port,

        @Doc("Line speed in baud.") @Default("9600") @Range(min = "300", max = "921600")
        int baud,

        @Doc("even (the Modbus RTU default), odd or none.") @Default("even")
        Parity parity,

        @Doc("Bits per character.") @Default("8") @Range(min = "7", max = "8")
        int dataBits,

        @Doc("1 or 2; Modbus asks for 2 without parity.") @Default("1") @Range(min = "1", max = "2")
        int stopBits,

        @Doc("Silence between frames; default 3.5 character times (1.75 ms above 19200 baud).")
        @Range(min = "0ms", max = "1s")
        Optional<Duration> interFrameGap) {

    /** Parity of a serial line. */
    public enum Parity {
        NONE,
        EVEN,
        ODD
    }

    public BusConfig {
        Topics.requireValidId(id, "id");
        if (port.isBlank()) {
            throw new IllegalArgumentException("port: must not be empty");
        }
    }

    /** The silence a frame must be preceded by on this bus. */
    public Duration effectiveInterFrameGap() {
        if (interFrameGap.isPresent()) {
            return interFrameGap.get();
        }
        if (baud > 19_200) {
            return Duration.ofNanos(1_750_000);
        }
        int bitsPerChar = 1 + dataBits + (parity == Parity.NONE ? 0 : 1) + stopBits;
        return Duration.ofNanos((long) Math.ceil(3.5 * bitsPerChar * 1e9 / baud));
    }
}
