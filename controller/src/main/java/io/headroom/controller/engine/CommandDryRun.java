package io.headroom.controller.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.controller.command.CommandRefusedException;
import io.headroom.controller.command.CommandService;
import io.headroom.controller.site.DeviceLookup;
import io.headroom.controller.site.SiteModel;
import io.headroom.controller.site.SiteNodeKind;
import io.headroom.controller.site.SiteSnapshot;
import io.headroom.controller.store.DeviceSample;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.Mode;
import io.headroom.protocol.wire.Verb;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /api/v1/commands/dry-run}: what a command to a selection of devices would do, against
 * the live state and sending nothing. Per device: whether the command service would send it (its
 * own checks, {@link CommandService#check}) and the power expected after it; for an outlet verb the
 * power of the devices that outlet feeds ({@link OutletDryRun}), and locate changes no power. For the site: every
 * limit that moves ({@link LimitMoves}), and what the engine's next tick would do about it — the
 * engine itself run twice on copies of its state (as {@link LimitDryRun} does), without the commands
 * and with them taken effect, under the grid event, holds and strikes in force now.
 */
public final class CommandDryRun {

    /** The answer: an HTTP status and its JSON body. */
    public record Answer(int status, JsonNode body) {}

    private final @Nullable EngineLoop loop;
    private final CommandService commands;
    private final DeviceLookup devices;
    private final ObjectMapper mapper = new ObjectMapper();

    /** @param loop the control engine, or null without a site model (then no limit is known) */
    public CommandDryRun(@Nullable EngineLoop loop, CommandService commands, DeviceLookup devices) {
        this.loop = loop;
        this.commands = Objects.requireNonNull(commands, "commands");
        this.devices = Objects.requireNonNull(devices, "devices");
    }

    public Answer plan(@Nullable JsonNode body) {
        CommandDryRunRequest.Parsed parsed = CommandDryRunRequest.parse(body);
        CommandDryRunRequest request = parsed.request();
        if (request == null) {
            ObjectNode error = mapper.createObjectNode();
            error.put("error", String.join("; ", parsed.problems()));
            error.put("reason", "invalid");
            ArrayNode problems = error.putArray("problems");
            parsed.problems().forEach(problems::add);
            return new Answer(400, error);
        }
        EngineLoop.Inputs inputs = loop == null ? null : loop.inputs();
        SiteModel model = inputs == null ? null : inputs.planning().state().model();
        double[] deltaKw = model == null ? new double[0] : new double[model.size()];
        List<Integer> changedMode = new ArrayList<>();
        ObjectNode answer = mapper.createObjectNode();
        answer.put("verb", request.verbName());
        if (request.value() != null) {
            answer.put("value_w", request.value());
        }
        ArrayNode perDevice = mapper.createArrayNode();
        Map<String, Integer> skippedBy = new LinkedHashMap<>();
        Set<String> sent = new HashSet<>();
        double nowW = 0;
        double afterW = 0;
        int estimated = 0;
        // The devices whose load the commands change: the selection, or for an outlet verb what the outlets feed.
        Set<String> affected = new HashSet<>();
        for (String id : request.devices()) {
            ObjectNode device = perDevice.addObject();
            device.put("device", id);
            try {
                commands.check(id, request.verb(), request.value(), request.instance());
            } catch (CommandRefusedException e) {
                device.put("send", false);
                device.put("reason", e.reason().code());
                device.put("message", String.valueOf(e.getMessage()));
                skippedBy.merge(e.reason().code(), 1, Integer::sum);
                continue;
            }
            device.put("send", true);
            sent.add(id);
            int node = model == null ? -1 : model.indexOf(SiteNodeKind.DEVICE, id);
            device.put("in_site_model", node >= 0);
            Expected expected;
            if (request.outlet()) {
                OutletDryRun.Outcome outcome =
                        OutletDryRun.plan(request, id, model, inputs == null ? null : inputs.planning(), devices);
                ArrayNode feeds = device.putArray("feeds");
                for (OutletDryRun.Fed fed : outcome.fed()) {
                    ObjectNode f = feeds.addObject();
                    f.put("device", fed.device());
                    f.put("power_now_w", Math.round(fed.nowW()));
                    f.put("power_after_w", Math.round(fed.afterW()));
                    f.put("change_w", Math.round(fed.afterW() - fed.nowW()));
                    f.put("estimate", fed.estimate());
                    f.put("basis", fed.basis());
                    deltaKw[fed.node()] += (fed.afterW() - fed.nowW()) / 1000;
                    affected.add(fed.device());
                }
                expected = new Expected(outcome.nowW(), outcome.afterW(), outcome.estimate(), outcome.basis());
            } else if (node >= 0 && inputs != null) {
                EngineLoop.Planning planning = inputs.planning();
                expected = expected(
                        request,
                        planning.power().loadKw(node) * 1000,
                        planning.facts().asleep[node],
                        planning.facts().nameplateKw[node] * 1000);
            } else {
                expected = expected(request, devices.device(id));
            }
            if (Double.isNaN(expected.nowW)) {
                device.putNull("power_now_w");
            } else {
                device.put("power_now_w", Math.round(expected.nowW));
                nowW += expected.nowW;
            }
            double after = Double.isNaN(expected.afterW) ? expected.nowW : expected.afterW;
            if (!Double.isNaN(after)) {
                device.put("power_after_w", Math.round(after));
                afterW += after;
            }
            if (!Double.isNaN(expected.nowW) && !Double.isNaN(after)) {
                device.put("change_w", Math.round(after - expected.nowW));
                if (node >= 0 && !request.outlet()) {
                    deltaKw[node] = (after - expected.nowW) / 1000;
                }
            }
            device.put("estimate", expected.estimate);
            estimated += expected.estimate ? 1 : 0;
            device.put("basis", expected.basis);
            if (node >= 0 && !request.outlet() && !locate(request)) {
                affected.add(id);
                if (request.verb() != Verb.VERB_WAKE) {
                    changedMode.add(node);
                }
            }
        }
        ObjectNode totals = answer.putObject("totals");
        totals.put("selected", request.devices().size());
        totals.put("send", sent.size());
        totals.put("skipped", request.devices().size() - sent.size());
        ObjectNode byReason = totals.putObject("skipped_by_reason");
        skippedBy.forEach(byReason::put);
        totals.put("power_now_w", Math.round(nowW));
        totals.put("power_after_w", Math.round(afterW));
        totals.put("change_w", Math.round(afterW - nowW));
        totals.put("estimated", estimated);
        if (inputs == null) {
            answer.putNull("engine");
            answer.putArray("limits");
            answer.put(
                    "engine_says",
                    "No control engine (the controller has no site-model): no limit is known, "
                            + "and nothing would react to these commands.");
        } else {
            engine(answer, request, inputs, deltaKw, changedMode, affected);
        }
        answer.set("devices", perDevice);
        answer.put("sent_nothing", true);
        return new Answer(200, answer);
    }

    /** The limits that move and the engine's next tick, without the commands and with them. */
    private void engine(
            ObjectNode answer,
            CommandDryRunRequest request,
            EngineLoop.Inputs inputs,
            double[] deltaKw,
            List<Integer> changedMode,
            Set<String> affected) {
        ControlEngine engine = Objects.requireNonNull(loop, "loop").engine();
        EngineLoop.Planning planning = inputs.planning();
        SiteSnapshot power = planning.power();
        SiteSnapshot powerAfter = power.withDeviceChanges(deltaKw);
        DeviceFacts facts = planning.facts();
        DeviceFacts factsAfter = facts.copy();
        for (int node : changedMode) {
            if (request.verb() == Verb.VERB_SLEEP) {
                factsAfter.asleep[node] = true;
            } else if (request.value() != null) {
                factsAfter.powerTargetW[node] = request.value();
            }
        }
        if (request.verb() == Verb.VERB_WAKE) {
            for (int node = 0; node < deltaKw.length; node++) {
                if (deltaKw[node] != 0) {
                    factsAfter.asleep[node] = false;
                }
            }
        }
        EngineState without = planning.state();
        EngineState with = without.migrate(without.model());
        LimitMoves moves = LimitMoves.count(
                engine.settings(), power, facts, powerAfter, factsAfter, without, inputs.target(), inputs.holds());
        moves.write(answer.putArray("limits"));
        TickResult before =
                engine.tick(power, facts, inputs.target(), inputs.holds(), inputs.strikes(), without, inputs.now());
        TickResult after = engine.tick(
                powerAfter, factsAfter, inputs.target(), inputs.holds(), inputs.strikes(), with, inputs.now());
        EngineReaction.write(
                mapper,
                answer.putObject("engine"),
                engine.settings(),
                request,
                inputs,
                moves,
                before,
                after,
                with,
                affected);
    }

    private static boolean locate(CommandDryRunRequest request) {
        return request.verb() == Verb.VERB_LOCATE_ON || request.verb() == Verb.VERB_LOCATE_OFF;
    }

    /** A device's power now and after the command, in W, and what the figure after rests on. */
    record Expected(double nowW, double afterW, boolean estimate, String basis) {}

    /** A device outside the site model: its own power reading, mode and nameplate. */
    private static Expected expected(CommandDryRunRequest request, @Nullable DeviceSample sample) {
        if (sample == null) {
            return new Expected(Double.NaN, Double.NaN, true, "no reading of the device");
        }
        double power = Double.NaN;
        int slot = sample.slot(MetricDictionary.POWER);
        if (sample.good(slot)) {
            power = sample.value(slot);
        }
        int mode = sample.slot(MetricDictionary.MODE);
        boolean asleep = sample.good(mode) && sample.value(mode) == Mode.SLEEP.code();
        return expected(request, power, asleep, sample.nameplatePowerW() > 0 ? sample.nameplatePowerW() : Double.NaN);
    }

    /** The engine's own expectations: asleep at {@link DeviceFacts#SLEEP_SHARE} of nameplate, awake at nameplate. */
    static Expected expected(CommandDryRunRequest request, double nowW, boolean asleep, double nameplateW) {
        String unknown = Double.isNaN(nowW) ? "; it has no power reading, so its change is not counted" : "";
        return switch (request.verb()) {
            case VERB_SLEEP -> {
                if (asleep) {
                    yield new Expected(nowW, nowW, false, "already asleep: no change");
                }
                if (Double.isNaN(nameplateW)) {
                    yield new Expected(
                            nowW,
                            nowW,
                            true,
                            "estimate: no nameplate power is known, so no change is" + " counted" + unknown);
                }
                double sleepW = nameplateW * DeviceFacts.SLEEP_SHARE;
                yield new Expected(
                        nowW,
                        Double.isNaN(nowW) ? Double.NaN : Math.min(nowW, sleepW),
                        true,
                        "estimate: asleep at " + Math.round(DeviceFacts.SLEEP_SHARE * 100) + " % of its nameplate "
                                + Math.round(nameplateW) + " W, the engine's figure (neither its profile nor the"
                                + " site model gives a sleep power)" + unknown);
            }
            case VERB_WAKE -> {
                if (!asleep) {
                    yield new Expected(nowW, nowW, false, "not asleep: no change");
                }
                if (Double.isNaN(nameplateW)) {
                    yield new Expected(
                            nowW,
                            nowW,
                            true,
                            "estimate: no nameplate power is known, so no change is" + " counted" + unknown);
                }
                yield new Expected(
                        nowW,
                        Double.isNaN(nowW) ? Double.NaN : Math.max(nowW, nameplateW),
                        true,
                        "estimate: awake at its nameplate " + Math.round(nameplateW) + " W, as the engine counts a"
                                + " restore" + unknown);
            }
            case VERB_LOCATE_ON, VERB_LOCATE_OFF ->
                new Expected(
                        nowW, nowW, false, "locate only lights or clears the device's LED: no power change" + unknown);
            default -> {
                double target = Objects.requireNonNull(request.value(), "a target has a value");
                yield new Expected(
                        nowW,
                        Double.isNaN(nowW) ? Double.NaN : target,
                        false,
                        "its power target " + Math.round(target) + " W" + unknown);
            }
        };
    }
}
