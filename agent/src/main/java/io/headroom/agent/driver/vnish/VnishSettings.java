package io.headroom.agent.driver.vnish;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.config.Range;
import java.util.Objects;
import java.util.Set;

/**
 * A device's {@code vnish:} block in {@code agent.yaml}. The secret is the device's common {@code credentials}
 * reference (a file or systemd credential), never written in the file: either the web UI password, exchanged at
 * {@code POST /api/v1/unlock} for a token, or an API key made in the web UI, sent as {@code x-api-key} on every
 * request (no login).
 *
 * @param host address of the miner
 * @param port TCP port of the web UI and REST API
 * @param auth what the credentials hold: {@code password} (the web UI password) or {@code api-key}
 */
@Doc("Vnish firmware REST API (/api/v1) over HTTP; the web password or an API key is the device's credentials.")
public record VnishSettings(
        @Doc("Address of the miner.") String host,

        @Doc("TCP port of the web UI and REST API.") @Default("80") @Range(min = "1", max = "65535")
        int port,

        @Doc("What the device's credentials hold: password (the web UI password, exchanged for a token) or api-key"
                + " (sent as x-api-key).")
        @Default("password")
        String auth) {

    /** The kinds of secret {@code auth} may name. */
    static final Set<String> AUTHS = Set.of("password", "api-key");

    public VnishSettings {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host: must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " is not a TCP port (1-65535)");
        }
        Objects.requireNonNull(auth, "auth");
        if (!AUTHS.contains(auth)) {
            throw new IllegalArgumentException("auth: '" + auth + "' is not one of [api-key, password]");
        }
    }

    /** True when the credentials are an API key, not a password. */
    boolean apiKey() {
        return auth.equals("api-key");
    }
}
