package io.headroom.controller.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.protocol.wire.Verb;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What the engine's next tick would do about a selection's command, in JSON and in words: its
 * actions with the commands taken effect, beside how many it would take without them; the limits
 * they push over; and which of the selected devices it would undo — shed again after a wake or a
 * raised target (a grid event or a breaker needs the power), or held curtailed by the engine, which
 * reads a wake as drift and curtails the device again.
 */
final class EngineReaction {

    private static final int NAMED = 5;

    private EngineReaction() {}

    /** @param affected the devices whose load the commands change: the ones sent, or what their outlets feed */
    static void write(
            ObjectMapper mapper,
            ObjectNode out,
            EngineSettings settings,
            CommandDryRunRequest request,
            EngineLoop.Inputs inputs,
            LimitMoves moves,
            TickResult without,
            TickResult with,
            EngineState after,
            Set<String> affected) {
        out.put("enabled", settings.enabled());
        if (inputs.target() != null) {
            ObjectNode event = out.putObject("grid_event");
            event.put("event", inputs.target().eventId());
            event.put("target_kw", LimitMoves.round(inputs.target().targetKw()));
        } else {
            out.putNull("grid_event");
        }
        out.put("reservation_holds", inputs.holds().size());
        ArrayNode over = out.putArray("over_after");
        for (Constraint constraint : with.over()) {
            ObjectNode c = over.addObject();
            c.put("node", constraint.nodeId());
            c.put("kind", constraint.nodeKind());
            c.put("limit", constraint.kind().wireName());
            c.put("load_kw", LimitMoves.round(constraint.loadKw()));
            c.put("limit_kw", LimitMoves.round(constraint.limitKw()));
        }
        ArrayNode actions = out.putArray("actions");
        List<String> undone = new ArrayList<>();
        Boolean raising = raising(request.verb());
        for (Action action : with.actions()) {
            actions.add(DecisionLog.toJson(mapper, new Decision(inputs.now(), action, false, null, "dry run")));
            // A shed of a device just woken or raised, or a restore of one just put to sleep, undoes the command.
            if (raising != null && affected.contains(action.deviceId()) && action.restore() != raising) {
                undone.add(action.deviceId());
            }
        }
        out.put("actions_without_the_commands", without.actions().size());
        out.put("restore_held_by", with.restoreHeldBy());
        List<String> held = new ArrayList<>();
        if (Boolean.TRUE.equals(raising)) {
            for (String id : affected) {
                DeviceControl control = after.control(id);
                if (control != null && control.curtailed() && !undone.contains(id)) {
                    held.add(id);
                }
            }
            held.sort(null);
        }
        ArrayNode undoneJson = out.putArray("undoes");
        undone.forEach(undoneJson::add);
        ArrayNode heldJson = out.putArray("held_curtailed");
        held.forEach(heldJson::add);
        out.put("says", words(settings, request, inputs, moves, without, with, undone, held));
    }

    /**
     * True for the verbs that raise the affected devices' power, false for those that lower it, null for
     * those that leave it (locate) or only interrupt it (an outlet's cycle): nothing the engine does undoes them.
     */
    private static @Nullable Boolean raising(Verb verb) {
        return switch (verb) {
            case VERB_SLEEP, VERB_OUTLET_OFF -> false;
            case VERB_WAKE, VERB_SET_POWER_TARGET, VERB_OUTLET_ON -> true;
            default -> null;
        };
    }

    private static String words(
            EngineSettings settings,
            CommandDryRunRequest request,
            EngineLoop.Inputs inputs,
            LimitMoves moves,
            TickResult without,
            TickResult with,
            List<String> undone,
            List<String> held) {
        StringBuilder says = new StringBuilder();
        if (inputs.target() != null) {
            says.append("Grid event ")
                    .append(inputs.target().eventId())
                    .append(" is in force (site target ")
                    .append(LimitMoves.round(inputs.target().targetKw()))
                    .append(" kW). ");
        }
        List<String> newlyOver = moves.newlyOver();
        if (!newlyOver.isEmpty()) {
            says.append("These commands would push ")
                    .append(String.join(", ", newlyOver))
                    .append(" over its shed line. ");
        }
        if (with.actions().isEmpty()) {
            says.append("On its next tick the engine would do nothing");
            says.append(with.over().isEmpty() ? ": no limit is over its shed line." : ".");
        } else {
            says.append("On its next tick the engine would ").append(summary(with.actions()));
        }
        if (without.actions().size() != with.actions().size()) {
            says.append(" Without these commands it would take ")
                    .append(without.actions().size())
                    .append(without.actions().size() == 1 ? " action." : " actions.");
        }
        if (!undone.isEmpty()) {
            says.append(" It would undo the ")
                    .append(request.verbName())
                    .append(" on ")
                    .append(undone.size())
                    .append(" of the selected devices (")
                    .append(named(undone))
                    .append(").");
        }
        if (!held.isEmpty()) {
            says.append(" ")
                    .append(held.size())
                    .append(" of them the engine holds curtailed (")
                    .append(named(held))
                    .append("): it reads the ")
                    .append(request.verbName())
                    .append(" as drift and curtails them again once its retry backoff has passed.");
        }
        if (!settings.enabled()) {
            says.append(" The engine is disabled (engine.enabled: false): it would decide this but send nothing.");
        }
        return says.toString().trim();
    }

    /** "shed 3 devices (sleep 2, set-power-target 1) for rack r1 (breaker, 12.3 kW against 11.4 kW)." */
    private static String summary(List<Action> actions) {
        Map<String, Integer> sheds = new LinkedHashMap<>();
        Map<String, Integer> restores = new LinkedHashMap<>();
        Map<String, Constraint> why = new LinkedHashMap<>();
        int shed = 0;
        for (Action action : actions) {
            (action.restore() ? restores : sheds).merge(action.kind().wireName(), 1, Integer::sum);
            shed += action.restore() ? 0 : 1;
            Constraint c = action.constraint();
            why.putIfAbsent(c.nodeKind() + " " + c.nodeId() + " " + c.kind().wireName(), c);
        }
        List<String> parts = new ArrayList<>();
        if (shed > 0) {
            parts.add("shed " + shed + (shed == 1 ? " device (" : " devices (") + counts(sheds) + ")");
        }
        int restore = actions.size() - shed;
        if (restore > 0) {
            parts.add("restore " + restore + (restore == 1 ? " device (" : " devices (") + counts(restores) + ")");
        }
        List<String> reasons = new ArrayList<>();
        for (Constraint c : why.values()) {
            reasons.add(c.nodeKind() + " " + c.nodeId() + " (" + c.kind().wireName() + ", "
                    + LimitMoves.round(c.loadKw()) + " kW against " + LimitMoves.round(c.limitKw()) + " kW)");
        }
        return String.join(" and ", parts) + " for " + String.join(", ", reasons) + ".";
    }

    private static String counts(Map<String, Integer> byKind) {
        List<String> parts = new ArrayList<>();
        byKind.forEach((kind, n) -> parts.add(kind + " " + n));
        return String.join(", ", parts);
    }

    private static String named(List<String> ids) {
        String first = String.join(", ", ids.subList(0, Math.min(NAMED, ids.size())));
        return ids.size() > NAMED ? first + " and " + (ids.size() - NAMED) + " more" : first;
    }
}
