package io.headroom.agent.config;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.config.Range;
import java.time.Duration;

/**
 * How commands are checked.
 *
 * @param clockSkewTolerance allowed difference between the controller's and the agent's clocks when
 *     a command's expiry is judged
 */
@Doc("How commands are checked.")
public record CommandSettings(
        @Doc("Allowed difference between controller and agent clocks.") @Default("5s") @Range(min = "0s", max = "1h")
        Duration clockSkewTolerance) {

    /** Every default. */
    public static CommandSettings defaults() {
        return new CommandSettings(Duration.ofSeconds(5));
    }
}
