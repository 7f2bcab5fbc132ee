package io.headroom.controller.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Prometheus's alert state machine for the controller's conditions: a condition that holds is
 * pending from the first evaluation it holds at; it fires once it has held for the rule's {@code
 * for:} duration; the first evaluation it does not hold at clears it, pending or firing. Not
 * thread-safe: one evaluation at a time (the monitor serialises them).
 */
final class AlertEvaluator {

    private final AlertSettings settings;
    private final Map<String, Tracked> tracked = new HashMap<>();

    AlertEvaluator(AlertSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    private static final class Tracked {
        Condition condition;
        final Instant since;

        @Nullable
        Instant firingSince;

        Tracked(Condition condition, Instant since) {
            this.condition = condition;
            this.since = since;
        }
    }

    /** Applies one evaluation's conditions; returns the alerts firing after it, most severe and oldest first. */
    List<ActiveAlert> update(List<Condition> holding, Instant now) {
        Map<String, Condition> byKey = new HashMap<>();
        for (Condition condition : holding) {
            byKey.putIfAbsent(condition.key(), condition);
        }
        tracked.keySet().retainAll(byKey.keySet());
        List<ActiveAlert> firing = new ArrayList<>();
        for (Map.Entry<String, Condition> entry : byKey.entrySet()) {
            Tracked t = tracked.computeIfAbsent(entry.getKey(), k -> new Tracked(entry.getValue(), now));
            t.condition = entry.getValue();
            Duration held = Duration.between(t.since, now);
            if (t.firingSince == null && held.compareTo(settings.forDuration(t.condition.rule())) >= 0) {
                t.firingSince = now;
            }
            Instant fired = t.firingSince;
            if (fired != null) {
                firing.add(new ActiveAlert(
                        t.condition.rule(), t.condition.subject(), t.condition.summary(), t.since, fired));
            }
        }
        firing.sort(Comparator.comparing((ActiveAlert a) -> a.rule().severity() != AlertRule.Severity.CRITICAL)
                .thenComparing(ActiveAlert::since)
                .thenComparing(a -> a.rule().alertName())
                .thenComparing(ActiveAlert::subject));
        return firing;
    }

    /** Conditions holding but not yet for long enough. */
    int pending() {
        return (int)
                tracked.values().stream().filter(t -> t.firingSince == null).count();
    }
}
