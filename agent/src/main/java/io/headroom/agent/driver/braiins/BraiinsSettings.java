package io.headroom.agent.driver.braiins;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.config.Range;
import java.util.Objects;

/**
 * A device's {@code braiins:} block in {@code agent.yaml}. The password is the device's common
 * {@code credentials} reference (a file or systemd credential), never written in the file; every endpoint of the
 * REST API but the login needs the token it gives, reads included.
 *
 * @param host address of the miner
 * @param port TCP port of the web UI and REST API
 * @param username the web UI account, {@code root} on Braiins OS
 */
@Doc("Braiins OS Public REST API over HTTP with token login; the password is the device's credentials.")
public record BraiinsSettings(
        @Doc("Address of the miner.") String host,

        @Doc("TCP port of the web UI and REST API.") @Default("80") @Range(min = "1", max = "65535")
        int port,

        @Doc("Web UI account (root on Braiins OS).") @Default("root")
        String username) {

    public BraiinsSettings {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host: must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " is not a TCP port (1-65535)");
        }
        Objects.requireNonNull(username, "username");
        if (username.isBlank()) {
            throw new IllegalArgumentException("username: must not be empty");
        }
    }
}
