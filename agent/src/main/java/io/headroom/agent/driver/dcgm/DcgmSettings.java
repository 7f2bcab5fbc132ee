package io.headroom.agent.driver.dcgm;

import io.headroom.config.Doc;
import io.headroom.config.Range;
import java.util.Optional;

/**
 * A device's {@code dcgm:} block in {@code agent.yaml}: where its dcgm-exporter listens.
 *
 * @param host address of the GPU server running dcgm-exporter
 * @param port its metrics port; the profile's default (9400) when absent
 */
@Doc("NVIDIA dcgm-exporter's Prometheus endpoint (GET /metrics), read only.")
public record DcgmSettings(
        @Doc("Address of the GPU server running dcgm-exporter.")
        String host,

        @Doc("Port of its /metrics endpoint; the profile's default-port (9400) when absent.")
        @Range(min = "1", max = "65535")
        Optional<Integer> port) {
    public DcgmSettings {
        if (host.isBlank()) {
            throw new IllegalArgumentException("host: must not be empty");
        }
        if (host.contains("/") || host.contains("@") || host.contains("?") || host.contains("#")) {
            throw new IllegalArgumentException("host: '" + host + "' must be a host name or address, not a URL");
        }
    }
}
