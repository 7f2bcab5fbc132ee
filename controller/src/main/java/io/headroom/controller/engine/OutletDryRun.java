package io.headroom.controller.engine;

import io.headroom.controller.site.DeviceLookup;
import io.headroom.controller.site.SiteDevice;
import io.headroom.controller.site.SiteModel;
import io.headroom.controller.site.SiteNodeKind;
import io.headroom.controller.store.DeviceSample;
import io.headroom.protocol.MetricDictionary;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What an outlet command to a PDU does to the power of the devices that outlet feeds, for the command
 * dry-run. The site model says which devices an outlet feeds (a device's {@code outlet} under the rack
 * whose PDU meters it); the PDU's {@code outlet.state} reading says whether the outlet is on now.
 *
 * <p>{@code outlet-off}: the devices fed draw nothing after it. {@code outlet-on}: an outlet off now
 * brings them back at their nameplate, as the engine counts a restore (an estimate: a miner ramps up
 * over minutes); one already on changes nothing. {@code outlet-cycle}: off for a moment, then on: the
 * devices restart and no lasting change is counted. An outlet that feeds no device of the site model,
 * or a controller without a site model, gets no estimate, and the answer says so.
 */
final class OutletDryRun {

    /** One device fed by the outlet: its power now and after, in W, and what the figure after rests on. */
    record Fed(int node, String device, double nowW, double afterW, boolean estimate, String basis) {}

    /**
     * The whole outlet's effect.
     *
     * @param nowW the fed devices' power now, NaN when not estimated
     * @param afterW and after the command, NaN when not estimated
     */
    record Outcome(List<Fed> fed, double nowW, double afterW, boolean estimate, String basis) {}

    private OutletDryRun() {}

    static Outcome plan(
            CommandDryRunRequest request,
            String pdu,
            @Nullable SiteModel model,
            EngineLoop.@Nullable Planning planning,
            DeviceLookup devices) {
        String outlet = request.instance();
        if (model == null || planning == null) {
            return new Outcome(
                    List.of(),
                    Double.NaN,
                    Double.NaN,
                    true,
                    "not estimated: without a site model the controller does not know what outlet " + outlet + " of "
                            + pdu + " feeds");
        }
        Boolean on = outletOn(devices.device(pdu), outlet);
        List<Fed> fed = new ArrayList<>();
        for (int node = 0; node < model.size(); node++) {
            SiteDevice device = model.kind(node) == SiteNodeKind.DEVICE ? model.device(node) : null;
            if (device == null
                    || !pdu.equals(model.outletDevice(node))
                    || !device.outlet().map(outlet::equals).orElse(false)) {
                continue;
            }
            double nowW = planning.power().loadKw(node) * 1000;
            double nameplateW = planning.facts().nameplateKw[node] * 1000;
            fed.add(fed(request, node, device.id(), nowW, nameplateW, on));
        }
        if (fed.isEmpty()) {
            return new Outcome(
                    fed,
                    Double.NaN,
                    Double.NaN,
                    true,
                    "not estimated: outlet " + outlet + " of " + pdu + " feeds no device of the site model");
        }
        double nowW = 0;
        double afterW = 0;
        boolean estimate = false;
        List<String> words = new ArrayList<>();
        for (Fed f : fed) {
            nowW += f.nowW;
            afterW += f.afterW;
            estimate |= f.estimate;
            words.add(f.device + ": " + f.basis);
        }
        return new Outcome(
                fed, nowW, afterW, estimate, "outlet " + outlet + " of " + pdu + " feeds " + String.join("; ", words));
    }

    /** True on, false off, null when the PDU gives no good reading of the outlet's state. */
    static @Nullable Boolean outletOn(@Nullable DeviceSample pdu, String outlet) {
        if (pdu == null) {
            return null;
        }
        int slot = pdu.slot(MetricDictionary.displayKey(MetricDictionary.OUTLET_STATE, outlet));
        if (!pdu.good(slot)) {
            return null;
        }
        return pdu.value(slot) != 0;
    }

    private static Fed fed(
            CommandDryRunRequest request, int node, String id, double nowW, double nameplateW, @Nullable Boolean on) {
        return switch (request.verb()) {
            case VERB_OUTLET_OFF ->
                Boolean.FALSE.equals(on)
                        ? new Fed(node, id, nowW, nowW, false, "the outlet is off already: no change")
                        : new Fed(node, id, nowW, 0, false, "its power cut: 0 W");
            case VERB_OUTLET_ON -> {
                if (Boolean.TRUE.equals(on)) {
                    yield new Fed(node, id, nowW, nowW, false, "the outlet is on already: no change");
                }
                if (on == null || Double.isNaN(nameplateW)) {
                    yield new Fed(
                            node,
                            id,
                            nowW,
                            nowW,
                            true,
                            on == null
                                    ? "estimate: the PDU gives no reading of the outlet's state, so no change is"
                                            + " counted"
                                    : "estimate: no nameplate power is known, so no change is counted");
                }
                yield new Fed(
                        node,
                        id,
                        nowW,
                        Math.max(nowW, nameplateW),
                        true,
                        "estimate: back at its nameplate " + Math.round(nameplateW)
                                + " W, as the engine counts a restore (a miner ramps up over minutes)");
            }
            default ->
                new Fed(
                        node,
                        id,
                        nowW,
                        nowW,
                        true,
                        "estimate: off for a moment, then on; it restarts, and no lasting change is counted");
        };
    }
}
