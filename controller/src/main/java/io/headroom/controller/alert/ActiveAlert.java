package io.headroom.controller.alert;

import java.time.Instant;
import java.util.Objects;

/**
 * An alert whose condition has held for the rule's {@code for:} duration.
 *
 * @param rule which alert
 * @param subject what it is about (see {@link Condition#subject()})
 * @param summary the latest evaluation's words for it
 * @param since when the condition began to hold (it fired {@code for:} later)
 * @param firingSince when it fired
 */
public record ActiveAlert(AlertRule rule, String subject, String summary, Instant since, Instant firingSince) {

    public ActiveAlert {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(firingSince, "firingSince");
    }
}
