package io.headroom.agent.driver.braiins;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code points:} section of a {@code braiins} profile. What a poll reads is coded in the driver
 * (docs/drivers/braiins.md): the REST API names its fields the same on every model. The profile chooses the
 * averaging window of the hashrate and how recent a logged miner error must be to count.
 *
 * @param hashrateWindow which {@code real_hashrate} window is reported as {@code hashrate}: {@code last_5s},
 *     {@code last_15s}, {@code last_30s}, {@code last_1m}, {@code last_5m} or {@code last_15m}
 * @param recentErrors a {@code miner/errors} entry younger than this (by the agent's clock) makes the poll
 *     DEGRADED; older ones are history (the firmware keeps weeks of them, and stamps some 2015 before its clock is
 *     set)
 */
public record BraiinsPoints(
        @Doc("real_hashrate window reported as hashrate: last_5s, last_15s, last_30s, last_1m, last_5m, last_15m.")
        @Default("last_5s")
        String hashrateWindow,

        @Doc("A miner/errors entry younger than this makes the poll degraded.") @Default("10m")
        Duration recentErrors) {

    /** The windows a profile may choose. */
    static final Set<String> WINDOWS = Set.of("last_5s", "last_15s", "last_30s", "last_1m", "last_5m", "last_15m");

    public BraiinsPoints {
        Objects.requireNonNull(hashrateWindow, "hashrateWindow");
        if (!WINDOWS.contains(hashrateWindow)) {
            throw new IllegalArgumentException(
                    "hashrate-window: '" + hashrateWindow + "' is not one of " + new java.util.TreeSet<>(WINDOWS));
        }
        Objects.requireNonNull(recentErrors, "recentErrors");
        if (recentErrors.isNegative()) {
            throw new IllegalArgumentException("recent-errors: must not be negative");
        }
    }
}
