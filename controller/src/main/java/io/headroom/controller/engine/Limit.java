package io.headroom.controller.engine;

import io.headroom.controller.site.SiteModel;

/** One limit the engine keeps: a node of the tree (its subtree's devices) or a cooling zone (its racks'). */
final class Limit {

    final ConstraintKind kind;
    /** The node, or -1 for a zone. */
    final int node;
    /** The zone's index, or -1 for a node. */
    final int zone;

    final String id;
    final String nodeKind;
    final double limitKw;
    /** The reservation a hold is for, or null. */
    final @org.jspecify.annotations.Nullable String reservationId;
    /** A hold's capacity still to keep free, in kW; 0 for other limits. */
    double unusedKw;

    private Limit(ConstraintKind kind, int node, int zone, String id, String nodeKind, double limitKw) {
        this(kind, node, zone, id, nodeKind, limitKw, null);
    }

    private Limit(
            ConstraintKind kind,
            int node,
            int zone,
            String id,
            String nodeKind,
            double limitKw,
            @org.jspecify.annotations.Nullable String reservationId) {
        this.kind = kind;
        this.node = node;
        this.zone = zone;
        this.id = id;
        this.nodeKind = nodeKind;
        this.limitKw = limitKw;
        this.reservationId = reservationId;
    }

    /** A reservation's hold on a node: its breaker's limit less the capacity still to keep free. */
    static Limit hold(SiteModel model, int node, CapacityHold hold, double limitKw, double unusedKw) {
        Limit limit = new Limit(
                ConstraintKind.RESERVATION,
                node,
                -1,
                model.id(node),
                model.kind(node).wireName(),
                limitKw,
                hold.reservationId());
        limit.unusedKw = unusedKw;
        return limit;
    }

    /** A reservation's hold on a cooling zone: its heat rejection less the capacity still to keep free. */
    static Limit zoneHold(int zone, CapacityHold hold, double limitKw, double unusedKw) {
        Limit limit = new Limit(
                ConstraintKind.RESERVATION,
                -1,
                zone,
                hold.scopeId(),
                "zone",
                Math.max(0, limitKw),
                hold.reservationId());
        limit.unusedKw = unusedKw;
        return limit;
    }

    /** The same limit at a lower figure. */
    Limit tightened(double newLimitKw) {
        Limit limit = new Limit(kind, node, zone, id, nodeKind, newLimitKw, reservationId);
        limit.unusedKw = unusedKw;
        return limit;
    }

    static Limit node(SiteModel model, int node, ConstraintKind kind, double limitKw) {
        return new Limit(kind, node, -1, model.id(node), model.kind(node).wireName(), limitKw);
    }

    static Limit zone(int zone, String id, double budgetKw) {
        return new Limit(ConstraintKind.THERMAL, -1, zone, id, "zone", budgetKw);
    }

    Constraint constraint(double loadKw) {
        return new Constraint(id, nodeKind, kind, loadKw, limitKw);
    }
}
