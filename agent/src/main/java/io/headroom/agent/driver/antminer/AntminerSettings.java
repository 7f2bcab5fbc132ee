package io.headroom.agent.driver.antminer;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.config.Range;
import java.time.Duration;
import java.util.Objects;

/**
 * A device's {@code antminer-web:} block in {@code agent.yaml}. The web password is the device's common
 * {@code credentials} reference (a file or systemd credential), never written in the file; every CGI of
 * the stock firmware needs it, reads included.
 *
 * @param host address of the miner
 * @param port TCP port of the web UI
 * @param username the web UI account, {@code root} on stock firmware
 * @param writeTimeout limit of one {@code set_miner_conf} exchange: the firmware answers it only once the
 *     new mode is applied, which can take about 21 s (reference/DEVICES.md §4.2); reads keep the
 *     device's {@code timeout}
 */
@Doc("Stock Antminer web CGI API over HTTP with Digest auth; the password is the device's credentials.")
public record AntminerSettings(
        @Doc("Address of the miner.") String host,

        @Doc("TCP port of the web UI.") @Default("80") @Range(min = "1", max = "65535")
        int port,

        @Doc("Web UI account (root on stock firmware).") @Default("root")
        String username,

        @Doc("Limit of one set_miner_conf exchange; the firmware answers only once the mode is applied (~21 s).")
        @Default("40s")
        Duration writeTimeout) {

    public AntminerSettings {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host: must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " is not a TCP port (1-65535)");
        }
        Objects.requireNonNull(username, "username");
        if (username.isBlank() || username.indexOf('"') >= 0 || username.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("username: must not be empty or contain quotes or backslashes");
        }
        Objects.requireNonNull(writeTimeout, "writeTimeout");
        if (writeTimeout.isNegative() || writeTimeout.isZero()) {
            throw new IllegalArgumentException("write-timeout: must be positive");
        }
    }
}
