package io.headroom.agent.driver.cgminer;

import io.headroom.config.Doc;
import io.headroom.config.Range;
import java.util.Optional;

/**
 * A device's {@code cgminer:} block in {@code agent.yaml}.
 *
 * @param host address of the miner
 * @param port TCP port of its RPC; the profile's default (4028) when absent
 */
@Doc("CGMiner-family JSON RPC over TCP (Antminer, LuxOS, Avalon, BOSminer).")
public record CgminerSettings(
        @Doc("Address of the miner.") String host,

        @Doc("TCP port of its RPC; the profile's default-port (4028) when absent.") @Range(min = "1", max = "65535")
        Optional<Integer> port) {
    public CgminerSettings {
        if (host.isBlank()) {
            throw new IllegalArgumentException("host: must not be empty");
        }
    }
}
