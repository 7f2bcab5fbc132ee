package io.headroom.controller.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.controller.site.SiteModel;
import io.headroom.controller.site.SiteNodeKind;
import io.headroom.controller.site.SiteSnapshot;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The limits a command dry-run moves: every limit the engine keeps (breakers, the interconnect,
 * cooling zones, the grid event's target, the reservations' holds), built by the engine's own
 * {@link ControlEngine#limits} and {@link ControlEngine#holdLimits} and counted by {@link Loads} as a
 * tick counts them (commands in flight at their expected power), before and after; and the nodes
 * without a limit whose load changes. Only what changes is listed.
 */
final class LimitMoves {

    /** A change below 0.5 W is rounding, not a move. */
    private static final double MOVED_KW = 0.0005;

    private final SiteModel model;
    private final double shedLine;
    private final Loads before;
    private final Loads after;
    private final List<Limit> limitsBefore;
    private final List<Limit> limitsAfter;

    private LimitMoves(
            SiteModel model,
            double shedLine,
            Loads before,
            Loads after,
            List<Limit> limitsBefore,
            List<Limit> limitsAfter) {
        this.model = model;
        this.shedLine = shedLine;
        this.before = before;
        this.after = after;
        this.limitsBefore = limitsBefore;
        this.limitsAfter = limitsAfter;
    }

    /** Counts both sides; call before either tick changes {@code state}. */
    static LimitMoves count(
            EngineSettings settings,
            SiteSnapshot powerBefore,
            DeviceFacts factsBefore,
            SiteSnapshot powerAfter,
            DeviceFacts factsAfter,
            EngineState state,
            @Nullable SiteTarget target,
            List<CapacityHold> holds) {
        SiteModel model = powerBefore.model();
        Loads before = Loads.count(powerBefore, factsBefore, state);
        Loads after = Loads.count(powerAfter, factsAfter, state);
        return new LimitMoves(
                model,
                settings.shedLine(),
                before,
                after,
                limits(model, before, factsBefore, target, holds, settings.shedLine()),
                limits(model, after, factsAfter, target, holds, settings.shedLine()));
    }

    private static List<Limit> limits(
            SiteModel model,
            Loads loads,
            DeviceFacts facts,
            @Nullable SiteTarget target,
            List<CapacityHold> holds,
            double shedLine) {
        // The same limits in the same order as the tick keeps them.
        List<Limit> holdLimits = ControlEngine.holdLimits(model, loads, facts, holds, shedLine);
        List<Limit> all = ControlEngine.limits(model, loads, facts, target);
        ControlEngine.reserveUnderGridEvent(all, holdLimits, shedLine);
        all.addAll(holdLimits);
        return all;
    }

    /** The limits over their shed line after the commands that were not before, as words; empty when none. */
    List<String> newlyOver() {
        List<String> over = new ArrayList<>();
        for (int i = 0; i < limitsAfter.size(); i++) {
            Limit limit = limitsAfter.get(i);
            double line = limit.limitKw * shedLine;
            double was = before.of(limitsBefore.get(i));
            double load = after.of(limit);
            if (load > line && !(was > limitsBefore.get(i).limitKw * shedLine)) {
                over.add(limit.nodeKind + " " + limit.id + " (" + limit.kind.wireName() + ")");
            }
        }
        return over;
    }

    /** Writes every limit that moves, then every node without a limit whose load changes. */
    void write(ArrayNode out) {
        for (int i = 0; i < limitsAfter.size(); i++) {
            Limit was = limitsBefore.get(i);
            Limit now = limitsAfter.get(i);
            double loadBefore = before.of(was);
            double loadAfter = after.of(now);
            if (Math.abs(loadAfter - loadBefore) < MOVED_KW) {
                continue;
            }
            ObjectNode node = out.addObject();
            node.put("node", now.id);
            node.put("kind", now.nodeKind);
            node.put("limit", now.kind.wireName());
            if (now.reservationId != null) {
                node.put("reservation", now.reservationId);
            }
            loads(node, loadBefore, loadAfter);
            if (Double.isNaN(now.limitKw)) {
                node.putNull("limit_kw");
                continue;
            }
            node.put("limit_kw", round(now.limitKw));
            node.put("shed_line_kw", round(now.limitKw * shedLine));
            node.put("margin_now_kw", round(was.limitKw - loadBefore));
            node.put("margin_after_kw", round(now.limitKw - loadAfter));
            node.put("over_limit_after", loadAfter > now.limitKw);
            node.put("over_shed_line_now", loadBefore > was.limitKw * shedLine);
            node.put("over_shed_line_after", loadAfter > now.limitKw * shedLine);
        }
        for (int i = 0; i < model.size(); i++) {
            if (model.kind(i) == SiteNodeKind.DEVICE || !Double.isNaN(model.limitKw(i)) || i == 0) {
                continue;
            }
            if (Math.abs(after.node[i] - before.node[i]) < MOVED_KW) {
                continue;
            }
            ObjectNode node = out.addObject();
            node.put("node", model.id(i));
            node.put("kind", model.kind(i).wireName());
            node.putNull("limit");
            loads(node, before.node[i], after.node[i]);
            node.putNull("limit_kw");
        }
    }

    private static void loads(ObjectNode node, double before, double after) {
        node.put("load_now_kw", round(before));
        node.put("load_after_kw", round(after));
        node.put("change_kw", round(after - before));
    }

    static double round(double kw) {
        return Math.round(kw * 1000) / 1000.0;
    }
}
