package io.headroom.controller.reservation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * The arithmetic of freeing capacity in one scope now: what its limit allows, what it draws, how
 * much of that the engine may curtail, and what is promised already. The request is feasible when
 * {@code neededKw <= freeableKw}: load + asked + promised − shed line, against what the scope's
 * interruptible devices can give.
 *
 * @param scope the scope checked (the request's, or an ancestor of it whose limit binds)
 * @param limitKw the scope's limit (breaker, interconnect, or a zone's derated heat rejection)
 * @param lineKw the limit less the engine's margin: where shedding starts
 * @param loadKw the scope's load now, commands in flight counted at their expected power
 * @param mustRunKw the part of it in classes the engine never curtails for a reservation
 * @param freeableKw what curtailing every interruptible device in the scope would free
 * @param freeableDevices how many devices that is
 * @param askedKw the capacity asked for
 * @param promisedKw what overlapping reservations in this scope, above or below it, hold already
 * @param neededKw what must be freed: load + asked + promised − line (at least 0)
 */
public record CapacityCheck(
        String scope,
        double limitKw,
        double lineKw,
        double loadKw,
        double mustRunKw,
        double freeableKw,
        int freeableDevices,
        double askedKw,
        double promisedKw,
        double neededKw) {

    public boolean feasible() {
        return neededKw <= freeableKw + 1e-9;
    }

    /** The shortfall, in kW (0 when feasible). */
    public double shortKw() {
        return Math.max(0, neededKw - freeableKw);
    }

    /** The arithmetic in words, for the refusal and the log. */
    public String explain() {
        return String.format(
                Locale.ROOT,
                "%s: limit %.1f kW, shed line %.1f kW, load now %.1f kW (%.1f kW must run); %.1f kW asked"
                        + " + %.1f kW held by overlapping reservations needs %.1f kW freed, %.1f kW can be"
                        + " (%d interruptible devices)%s",
                scope,
                limitKw,
                lineKw,
                loadKw,
                mustRunKw,
                askedKw,
                promisedKw,
                neededKw,
                freeableKw,
                freeableDevices,
                feasible() ? "" : String.format(Locale.ROOT, ": short by %.1f kW", shortKw()));
    }

    public ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode node = mapper.createObjectNode();
        node.put("scope", scope);
        node.put("limit_kw", round(limitKw));
        node.put("shed_line_kw", round(lineKw));
        node.put("load_kw", round(loadKw));
        node.put("must_run_kw", round(mustRunKw));
        node.put("freeable_kw", round(freeableKw));
        node.put("freeable_devices", freeableDevices);
        node.put("asked_kw", round(askedKw));
        node.put("promised_kw", round(promisedKw));
        node.put("needed_kw", round(neededKw));
        node.put("short_kw", round(shortKw()));
        node.put("feasible", feasible());
        return node;
    }

    static double round(double kw) {
        return Math.round(kw * 1000) / 1000.0;
    }
}
