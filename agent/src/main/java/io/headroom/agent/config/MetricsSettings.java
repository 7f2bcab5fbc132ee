package io.headroom.agent.config;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.config.Range;

/**
 * Where the agent serves its own {@code /metrics} and {@code /health}.
 *
 * @param bind address to listen on
 * @param port TCP port; 0 picks a free one. A fixed default, so that Prometheus's {@code instance}
 *     label stays the same across restarts; the exporter range 9100-9999 is fully allocated, so any
 *     choice can meet some other exporter on a host
 */
@Doc("The agent's own Prometheus metrics (GET /metrics) and health (GET /health).")
public record MetricsSettings(
        @Doc("Address to listen on; 0.0.0.0 lets a Prometheus server on another host scrape.") @Default("127.0.0.1")
        String bind,

        @Doc("TCP port; 0 picks a free one.") @Default("9467") @Range(min = "0", max = "65535")
        int port) {

    public MetricsSettings {
        if (bind.isBlank()) {
            throw new IllegalArgumentException("bind: must not be empty");
        }
    }

    /** Every default. */
    public static MetricsSettings defaults() {
        return new MetricsSettings("127.0.0.1", 9467);
    }
}
