package io.headroom.agent.config;

import java.util.Objects;

/**
 * Where the agent serves its own Prometheus metrics ({@code /metrics}) and health ({@code /health}).
 *
 * @param bind address to listen on; loopback by default, so nothing is exposed unless asked
 * @param port TCP port; 0 picks a free one (tests, several agents on one host in the demo)
 */
public record MetricsSettings(String bind, int port) {

    public MetricsSettings {
        Objects.requireNonNull(bind, "bind");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("metrics.port: " + port + " is outside 0..65535");
        }
    }
}
