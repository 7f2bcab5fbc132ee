package io.headroom.agent.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How commands are checked before they run.
 *
 * @param clockSkewTolerance how far the controller's clock may be ahead of or behind ours before
 *     a command's {@code issued_at} is distrusted
 */
public record CommandSettings(Duration clockSkewTolerance) {

    public CommandSettings {
        Objects.requireNonNull(clockSkewTolerance, "clock-skew-tolerance");
    }
}
