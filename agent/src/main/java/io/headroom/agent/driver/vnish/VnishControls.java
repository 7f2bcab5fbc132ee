package io.headroom.agent.driver.vnish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.agent.driver.CommandOutcome;
import io.headroom.profiles.Capability;
import io.headroom.profiles.FirmwareProfile;
import io.headroom.protocol.Mode;
import io.headroom.protocol.Verbs;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * What each verb sends to the Vnish API, and how it is read back (docs/drivers/vnish.md, decision D42).
 *
 * <table>
 *   <caption>verbs</caption>
 *   <tr><th>verb</th><th>sent</th><th>read back</th></tr>
 *   <tr><td>set-power-target</td><td>only when the watts are exactly one of the miner's selectable autotune presets
 *       ({@code GET autotune/presets}): {@code POST settings {"miner":{"overclock":{"preset":"<watts>"}}}}; any other
 *       value is FAILED {@code not-a-preset} naming the nearest presets, and nothing is sent</td>
 *       <td>{@code perf-summary} {@code current_preset.name} is that preset</td></tr>
 *   <tr><td>sleep / wake</td><td>{@code POST mining/stop} / {@code mining/start}</td>
 *       <td>{@code summary} {@code miner_state} stopped / anything else</td></tr>
 * </table>
 *
 * The firmware answers a settings save with {@code {"restart_required":false,"reboot_required":false}} whatever it
 * did with it, and ignores a preset it does not have (reference/DEVICES.md §4.6): so the refusal here, before
 * sending, is the only protection against a silently ignored set-point. Vnish's {@code mining/throttle} (20–100 %)
 * has no Headroom verb; any other verb is REJECTED {@code unsupported}.
 */
final class VnishControls {

    /** Verbs this driver can send; a profile may declare only these. */
    static final Set<Verb> SUPPORTED = Set.of(Verb.VERB_SET_POWER_TARGET, Verb.VERB_SLEEP, Verb.VERB_WAKE);

    static final String NOT_A_PRESET = "not-a-preset";
    static final String NO_PRESETS = "no-presets";

    private final FirmwareProfile profile;
    private final VnishPoints points;
    private final VnishClient client;
    private final Duration timeout;

    VnishControls(FirmwareProfile profile, VnishPoints points, VnishClient client, Duration timeout) {
        this.profile = profile;
        this.points = points;
        this.client = client;
        this.timeout = timeout;
    }

    CommandOutcome execute(Verb verb, double value) throws InterruptedException {
        Optional<Capability> capability = profile.capability(verb);
        if (capability.isEmpty() || !SUPPORTED.contains(verb)) {
            return outcome(
                    ResultStatus.RESULT_STATUS_REJECTED,
                    "unsupported",
                    profile.id() + " has no " + Verbs.name(verb) + " capability"
                            + (SUPPORTED.contains(verb) ? "" : ": the vnish driver has no such control"),
                    OptionalDouble.empty());
        }
        try {
            if (verb == Verb.VERB_SET_POWER_TARGET) {
                return powerTarget(value, capability.get());
            }
            return stopOrStart(verb == Verb.VERB_SLEEP, capability.get());
        } catch (VnishException e) {
            return outcome(ResultStatus.RESULT_STATUS_FAILED, e.reason(), e.getMessage(), OptionalDouble.empty());
        }
    }

    private CommandOutcome powerTarget(double value, Capability capability)
            throws VnishException, InterruptedException {
        if (!Double.isFinite(value) || value <= 0) {
            return outcome(
                    ResultStatus.RESULT_STATUS_REJECTED,
                    "out-of-range",
                    "a power target must be a positive number of watts, not " + value,
                    OptionalDouble.empty());
        }
        VnishPresets presets = VnishPresets.parse(client.get("autotune/presets", timeout), points.allowUntuned());
        String asked = human(value);
        if (presets.selectable().isEmpty()) {
            return outcome(
                    ResultStatus.RESULT_STATUS_FAILED,
                    NO_PRESETS,
                    asked + " W not sent: the miner lists no " + (points.allowUntuned() ? "" : "tuned ")
                            + "autotune preset named by a wattage"
                            + (presets.all().isEmpty() ? "" : " (untuned: " + untuned(presets) + " W)")
                            + "; Vnish sets power only by preset",
                    OptionalDouble.empty());
        }
        Optional<VnishPresets.Preset> preset = presets.exact(value);
        if (preset.isEmpty()) {
            String why = presets.listed(value).isPresent()
                    ? " is an untuned preset (the firmware ignores untuned presets; tune it on the miner first)"
                    : " is not one of the miner's " + (points.allowUntuned() ? "" : "tuned ") + "presets";
            return outcome(
                    ResultStatus.RESULT_STATUS_FAILED,
                    NOT_A_PRESET,
                    asked + " W" + why + "; nearest: " + presets.nearest(value) + "; presets: " + presets.listing()
                            + ". Nothing was sent: Vnish sets power only by preset and ignores any other wattage",
                    OptionalDouble.empty());
        }
        String name = preset.get().name();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putObject("miner").putObject("overclock").put("preset", name);
        JsonNode answer = client.post("settings", body, timeout);
        List<String> notes = new ArrayList<>();
        if (answer.path("restart_required").asBoolean(false)
                || answer.path("reboot_required").asBoolean(false)) {
            notes.add("the miner says a " + (answer.path("reboot_required").asBoolean(false) ? "reboot" : "restart")
                    + " is required to apply it");
        }
        String sent = "preset " + name + " (" + name + " W)";
        JsonNode current;
        try {
            current = client.get("perf-summary", timeout).path("current_preset");
        } catch (VnishException e) {
            return outcome(
                    ResultStatus.RESULT_STATUS_FAILED,
                    "readback-failed",
                    sent + " sent, but reading it back failed: " + e.getMessage(),
                    OptionalDouble.empty());
        }
        String seen = current.path("name").isTextual() ? current.get("name").asText() : null;
        OptionalDouble readBack =
                seen != null && VnishReadings.WATTS.matcher(seen).matches()
                        ? OptionalDouble.of(Long.parseLong(seen))
                        : OptionalDouble.empty();
        String noted = notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")";
        if (name.equals(seen)) {
            String settle =
                    capability.settle().isZero() ? "" : "; power follows within about " + human(capability.settle());
            return outcome(
                    ResultStatus.RESULT_STATUS_APPLIED,
                    "",
                    sent + noted + ": perf-summary's current preset reads " + seen + settle,
                    readBack);
        }
        return outcome(
                ResultStatus.RESULT_STATUS_FAILED,
                "readback-mismatch",
                "expected current preset " + name + " after " + sent + noted + ", perf-summary reads "
                        + (seen == null ? "no preset" : "'" + VnishReadings.quote(seen) + "'")
                        + " (the preset switcher, if enabled on the miner, may have moved it)",
                readBack);
    }

    private CommandOutcome stopOrStart(boolean stop, Capability capability)
            throws VnishException, InterruptedException {
        String sent = stop ? "mining/stop" : "mining/start";
        client.post(sent, null, timeout);
        Mode mode;
        List<String> notes = new ArrayList<>();
        String state;
        try {
            JsonNode miner = client.get("summary", timeout).path("miner");
            state = miner.path("miner_status").path("miner_state").asText("?");
            mode = miner.isObject() ? VnishReadings.mode(miner, notes, notes) : null;
        } catch (VnishException e) {
            return outcome(
                    ResultStatus.RESULT_STATUS_FAILED,
                    "readback-failed",
                    sent + " accepted, but reading it back failed: " + e.getMessage(),
                    OptionalDouble.empty());
        }
        OptionalDouble readBack = mode == null ? OptionalDouble.empty() : OptionalDouble.of(mode.code());
        boolean confirmed = mode != null && (stop ? mode == Mode.SLEEP : mode != Mode.SLEEP);
        if (confirmed) {
            String settle = capability.settle().isZero() ? "" : " within about " + human(capability.settle());
            String effect = stop
                    ? "hashing stops and power falls to the sleep draw" + settle
                    : "the hash boards start; hashing and power come back" + settle;
            return outcome(
                    ResultStatus.RESULT_STATUS_APPLIED,
                    "",
                    sent + ": summary reads miner_state " + VnishReadings.quote(state) + "; " + effect,
                    readBack);
        }
        return outcome(
                ResultStatus.RESULT_STATUS_FAILED,
                "readback-mismatch",
                "expected miner_state " + (stop ? "stopped" : "other than stopped") + " after " + sent
                        + ", summary reads '" + VnishReadings.quote(state) + "'"
                        + (notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")"),
                readBack);
    }

    private static String untuned(VnishPresets presets) {
        return presets.all().stream()
                .filter(p -> !p.tuned())
                .map(p -> Long.toString(p.watts()))
                .reduce((a, b) -> a + ", " + b)
                .orElse("");
    }

    private static String human(double watts) {
        return watts == Math.rint(watts) ? Long.toString((long) watts) : Double.toString(watts);
    }

    private static String human(Duration d) {
        long s = d.toSeconds();
        return s % 60 == 0 ? (s / 60) + " min" : s + " s";
    }

    private static CommandOutcome outcome(ResultStatus status, String reason, String message, OptionalDouble readBack) {
        return new CommandOutcome(status, reason, message, readBack);
    }
}
