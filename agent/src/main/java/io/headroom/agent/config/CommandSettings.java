package io.headroom.agent.config;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.config.Range;
import java.time.Duration;

/**
 * How commands are checked, and how their set-points are held (docs/control-safety.md).
 *
 * @param clockSkewTolerance allowed difference between the controller's and the agent's clocks when
 *     a command's expiry is judged
 * @param reapplyInterval least time between two re-applies of a held set-point to one device, so a
 *     device that keeps drifting (or refuses) is not hammered
 * @param maxHold how far past its {@code issued_at} a command's {@code hold_until} may lie; a later
 *     one is clamped to it
 */
@Doc("How commands are checked, and how their set-points are held.")
public record CommandSettings(
        @Doc("Allowed difference between controller and agent clocks.") @Default("5s") @Range(min = "0s", max = "1h")
        Duration clockSkewTolerance,

        @Doc("Least time between two re-applies of a held set-point to one device.")
        @Default("30s")
        @Range(min = "1s", max = "1h")
        Duration reapplyInterval,

        @Doc("Longest hold past the lease a command may ask for, from its issue time; later ones are clamped.")
        @Default("24h")
        @Range(min = "0s", max = "7d")
        Duration maxHold) {

    /** Every default. */
    public static CommandSettings defaults() {
        return new CommandSettings(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofHours(24));
    }
}
