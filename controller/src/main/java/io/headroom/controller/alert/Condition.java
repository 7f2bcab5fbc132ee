package io.headroom.controller.alert;

import java.util.Objects;

/**
 * One alert condition true at one evaluation: the rule, what it is about and what to say.
 *
 * @param rule which alert
 * @param subject what it is about, unique per rule: a device id, an agent id, a node as {@code kind:id}, an event id
 * @param summary one line for a technician: what is wrong, with the figures
 */
public record Condition(AlertRule rule, String subject, String summary) {

    public Condition {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(summary, "summary");
    }

    /** The key the evaluator tracks it by. */
    String key() {
        return rule.alertName() + '/' + subject;
    }
}
