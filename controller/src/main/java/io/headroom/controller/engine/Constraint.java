package io.headroom.controller.engine;

import java.util.Objects;

/**
 * One limit as the engine saw it at a tick: the node (or zone) it applies to, its kind, the load
 * counted against it (commands in flight included) and the limit.
 *
 * @param nodeId the node's id, the zone's id for {@link ConstraintKind#THERMAL}
 * @param nodeKind the node's kind ({@code site}, {@code circuit}, …) or {@code zone}
 * @param kind why it is a limit
 * @param loadKw load counted against it when the engine decided
 * @param limitKw the limit (the event's target for a grid event; the derated budget for a zone)
 */
public record Constraint(String nodeId, String nodeKind, ConstraintKind kind, double loadKw, double limitKw) {

    public Constraint {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(nodeKind, "nodeKind");
        Objects.requireNonNull(kind, "kind");
    }
}
