package io.headroom.controller.engine;

import java.time.Instant;
import java.util.List;

/**
 * What one tick decided.
 *
 * @param at the tick's time
 * @param actions commands to send, in the order decided
 * @param over the limits that were over their shed line at the start of the tick
 * @param siteLoadKw the site's load counting commands in flight, after the tick's actions
 * @param restoreHeldBy why restoring waits (a grid event, the dwell, the cooldown …), or empty
 */
public record TickResult(
        Instant at, List<Action> actions, List<Constraint> over, double siteLoadKw, String restoreHeldBy) {

    public TickResult {
        actions = List.copyOf(actions);
        over = List.copyOf(over);
    }
}
