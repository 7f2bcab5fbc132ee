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

    private Limit(ConstraintKind kind, int node, int zone, String id, String nodeKind, double limitKw) {
        this.kind = kind;
        this.node = node;
        this.zone = zone;
        this.id = id;
        this.nodeKind = nodeKind;
        this.limitKw = limitKw;
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
