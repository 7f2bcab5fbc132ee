package io.headroom.agent.transport.serial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.agent.config.BusConfig;
import io.headroom.agent.config.BusConfig.Parity;
import io.headroom.agent.transport.serial.SerialBusException.Reason;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ports that cannot be opened: the error names the bus, the path and why, and the open is retried on a
 * later use with a bounded back-off on the injected clock. No serial port needed.
 */
class SerialBusOpenFailureTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SteppedNanoTime clock = new SteppedNanoTime();

    @Test
    void transact_portDoesNotExist_namesThePathAndWhy() {
        Path port = dir.resolve("ttyUSB7");
        try (SerialBus bus = bus(port)) {
            assertThatThrownBy(() -> bus.transact(new byte[] {1}, 1, TIMEOUT))
                    .isInstanceOfSatisfying(SerialBusException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.PORT_UNAVAILABLE);
                        assertThat(e.bus()).isEqualTo("rs485-a");
                    })
                    .hasMessage("serial bus rs485-a: cannot open " + port
                            + ": it does not exist (adapter unplugged, or a wrong path?); next attempt in 500 ms");
        }
    }

    @Test
    void transact_danglingLink_saysTheLinkPointsNowhere() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("usb-FTDI_FT232R-if00-port0"), dir.resolve("ttyUSB0"));
        try (SerialBus bus = bus(link)) {
            assertThatThrownBy(() -> bus.transact(new byte[] {1}, 1, TIMEOUT))
                    .hasMessageStartingWith("serial bus rs485-a: cannot open " + link
                            + ": it is a link to nothing (adapter unplugged?)");
        }
    }

    @Test
    void transact_portStaysMissing_retriesWithADoublingBackoffUpToTheCap() {
        try (SerialBus bus = SerialBus.open(
                config(dir.resolve("ttyUSB7")),
                new SerialBusSettings(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(4)),
                registry,
                clock)) {
            assertThatThrownBy(() -> bus.transact(new byte[] {1}, 1, TIMEOUT)).hasMessageEndingWith("in 1000 ms");
            clock.advance(Duration.ofMillis(999));
            assertThatThrownBy(() -> bus.transact(new byte[] {1}, 1, TIMEOUT)).hasMessageEndingWith("in 1 ms");
            assertThat(openFailures()).isEqualTo(1);

            clock.advance(Duration.ofMillis(1));
            assertThatThrownBy(() -> bus.transact(new byte[] {1}, 1, TIMEOUT)).hasMessageEndingWith("in 2000 ms");
            clock.advance(Duration.ofSeconds(2));
            assertThatThrownBy(() -> bus.transact(new byte[] {1}, 1, TIMEOUT)).hasMessageEndingWith("in 4000 ms");
            clock.advance(Duration.ofSeconds(4));
            assertThatThrownBy(() -> bus.transact(new byte[] {1}, 1, TIMEOUT)).hasMessageEndingWith("in 4000 ms");
            assertThat(openFailures()).isEqualTo(4);
        }
    }

    @Test
    void describeOpenFailure_permissionDenied_pointsAtTheDialoutGroup() {
        assertThat(SerialPortLine.describeOpenFailure(13, config(dir)))
                .isEqualTo("permission denied: the agent's user needs read and write access to it; add the user to"
                        + " the dialout group (or the group that owns the device) and restart the agent");
        assertThat(SerialPortLine.describeOpenFailure(1, config(dir))).contains("dialout group");
    }

    @Test
    void describeOpenFailure_lockedOrBusy_saysAnotherProgramHasIt() {
        assertThat(SerialPortLine.describeOpenFailure(11, config(dir)))
                .isEqualTo("it is in use by another program (which holds its exclusive lock)");
        assertThat(SerialPortLine.describeOpenFailure(16, config(dir))).contains("in use by another program");
    }

    @Test
    void describeOpenFailure_notATerminal_namesTheLineSettings() {
        assertThat(SerialPortLine.describeOpenFailure(25, config(dir)))
                .isEqualTo("it is not a serial port, or does not accept 9600 baud 8E1");
    }

    @Test
    void describeOpenFailure_unknownErrno_givesTheNumber() {
        assertThat(SerialPortLine.describeOpenFailure(99, config(dir))).isEqualTo("the system refused it (errno 99)");
    }

    private SerialBus bus(Path port) {
        return SerialBus.open(config(port), registry, clock);
    }

    private double openFailures() {
        return registry.get("headroom.agent.serial.open.failures")
                .tag("bus", "rs485-a")
                .counter()
                .count();
    }

    private static BusConfig config(Path port) {
        return new BusConfig("rs485-a", port.toString(), 9600, Parity.EVEN, 8, 1, Optional.empty());
    }
}
