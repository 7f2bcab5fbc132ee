package io.headroom.agent.driver.braiins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.headroom.agent.driver.CommandOutcome;
import io.headroom.profiles.Capability;
import io.headroom.profiles.FirmwareProfile;
import io.headroom.profiles.ReadBack;
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
 * What each verb sends to the REST API, and how it is read back (docs/drivers/braiins.md).
 *
 * <table>
 *   <caption>verbs</caption>
 *   <tr><th>verb</th><th>sent</th><th>read back</th></tr>
 *   <tr><td>set-power-target</td><td>{@code PUT performance/power-target {"watt":n}}, n clamped to the tuner's own
 *       {@code configuration/constraints} range</td><td>{@code configuration/miner} {@code tuner.power_target.watt}
 *       within the capability's tolerance of n</td></tr>
 *   <tr><td>sleep / wake</td><td>{@code PUT actions/pause} / {@code actions/resume}</td>
 *       <td>{@code miner/details} {@code status} paused (3) / normal (2)</td></tr>
 *   <tr><td>locate-on / off</td><td>{@code PUT actions/locate true|false}</td><td>{@code GET actions/locate}</td></tr>
 *   <tr><td>reboot</td><td>{@code PUT actions/reboot}</td><td>the acknowledgement (nothing to read until it is
 *       up)</td></tr>
 * </table>
 *
 * Any other verb (a power cap, outlets, write-point) is REJECTED {@code unsupported}: the firmware has no such thing.
 */
final class BraiinsControls {

    /** Verbs this driver can send; a profile may declare only these. */
    static final Set<Verb> SUPPORTED = Set.of(
            Verb.VERB_SET_POWER_TARGET,
            Verb.VERB_SLEEP,
            Verb.VERB_WAKE,
            Verb.VERB_REBOOT,
            Verb.VERB_LOCATE_ON,
            Verb.VERB_LOCATE_OFF);

    private final FirmwareProfile profile;
    private final BraiinsClient client;
    private final Duration timeout;

    BraiinsControls(FirmwareProfile profile, BraiinsClient client, Duration timeout) {
        this.profile = profile;
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
                            + (SUPPORTED.contains(verb) ? "" : ": Braiins OS has no such control"),
                    OptionalDouble.empty());
        }
        try {
            switch (verb) {
                case VERB_SET_POWER_TARGET:
                    return powerTarget(value, capability.get());
                case VERB_SLEEP:
                case VERB_WAKE:
                    return pauseOrResume(verb == Verb.VERB_SLEEP, capability.get());
                case VERB_REBOOT:
                    client.put("actions/reboot", null, timeout);
                    return outcome(
                            ResultStatus.RESULT_STATUS_APPLIED,
                            "",
                            "reboot acknowledged; the miner restarts (nothing to read back until it is up)",
                            OptionalDouble.empty());
                default:
                    return locate(verb == Verb.VERB_LOCATE_ON);
            }
        } catch (BraiinsException e) {
            return outcome(ResultStatus.RESULT_STATUS_FAILED, e.reason(), e.getMessage(), OptionalDouble.empty());
        }
    }

    private CommandOutcome powerTarget(double value, Capability capability)
            throws BraiinsException, InterruptedException {
        if (!Double.isFinite(value) || value <= 0) {
            return outcome(
                    ResultStatus.RESULT_STATUS_REJECTED,
                    "out-of-range",
                    "a power target must be a positive number of watts, not " + value,
                    OptionalDouble.empty());
        }
        long asked = Math.round(value);
        long watts = asked;
        List<String> notes = new ArrayList<>();
        JsonNode range = client.get("configuration/constraints", timeout)
                .path("tuner_constraints")
                .path("power_target");
        OptionalDouble min = watt(range.path("min"));
        OptionalDouble max = watt(range.path("max"));
        if (min.isPresent() && max.isPresent() && min.getAsDouble() > max.getAsDouble()) {
            throw new BraiinsException(
                    BraiinsException.BAD_RESPONSE,
                    "configuration/constraints: the tuner's power-target range " + (long) min.getAsDouble() + "–"
                            + (long) max.getAsDouble() + " W is empty");
        }
        if (min.isPresent() && watts < min.getAsDouble()) {
            watts = (long) Math.ceil(min.getAsDouble());
        }
        if (max.isPresent() && watts > max.getAsDouble()) {
            watts = (long) Math.floor(max.getAsDouble());
        }
        if (watts != asked) {
            notes.add("clamped from " + asked + " W to the miner's own range " + (long) min.orElse(0) + "–"
                    + (max.isPresent() ? (long) max.getAsDouble() + " W" : "∞"));
        } else if (min.isEmpty() || max.isEmpty()) {
            notes.add("the miner states no full power-target range; sent as asked");
        }
        String sent = "power-target " + watts + " W";
        JsonNode answer = client.put(
                "performance/power-target",
                JsonNodeFactory.instance.objectNode().put("watt", watts),
                timeout);
        OptionalDouble acknowledged = watt(answer);
        if (acknowledged.isPresent() && acknowledged.getAsDouble() != watts) {
            notes.add("the miner acknowledged " + (long) acknowledged.getAsDouble() + " W");
        }
        OptionalDouble seen;
        try {
            seen = watt(client.get("configuration/miner", timeout).path("tuner").path("power_target"));
        } catch (BraiinsException e) {
            return outcome(
                    ResultStatus.RESULT_STATUS_FAILED,
                    "readback-failed",
                    sent + " accepted, but reading it back failed: " + e.getMessage(),
                    OptionalDouble.empty());
        }
        double tolerance = capability.readBack().map(ReadBack::tolerance).orElse(0.0);
        String noted = notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")";
        if (seen.isPresent() && Math.abs(seen.getAsDouble() - watts) <= tolerance) {
            String settle =
                    capability.settle().isZero() ? "" : "; power follows within about " + human(capability.settle());
            return outcome(
                    ResultStatus.RESULT_STATUS_APPLIED,
                    "",
                    sent + noted + ": the tuner's configured target reads " + (long) seen.getAsDouble() + " W" + settle,
                    seen);
        }
        return outcome(
                ResultStatus.RESULT_STATUS_FAILED,
                "readback-mismatch",
                "expected tuner.power_target " + watts + " ± " + tolerance + " W after " + sent + noted
                        + ", the miner's configuration reads "
                        + (seen.isPresent() ? (long) seen.getAsDouble() + " W" : "no power target"),
                seen);
    }

    private CommandOutcome pauseOrResume(boolean pause, Capability capability)
            throws BraiinsException, InterruptedException {
        String sent = pause ? "actions/pause" : "actions/resume";
        client.put(sent, null, timeout);
        Mode mode;
        List<String> notes = new ArrayList<>();
        try {
            mode = BraiinsReadings.mode(client.get("miner/details", timeout), notes, notes);
        } catch (BraiinsException e) {
            return outcome(
                    ResultStatus.RESULT_STATUS_FAILED,
                    "readback-failed",
                    sent + " accepted, but reading it back failed: " + e.getMessage(),
                    OptionalDouble.empty());
        }
        OptionalDouble readBack = mode == null ? OptionalDouble.empty() : OptionalDouble.of(mode.code());
        boolean confirmed = mode != null && (pause ? mode == Mode.SLEEP : mode != Mode.SLEEP);
        if (confirmed) {
            String settle = capability.settle().isZero() ? "" : " within about " + human(capability.settle());
            String effect = pause
                    ? "hashing stops and power falls to the sleep draw" + settle
                    : "the hash boards restart; hashing and power come back" + settle;
            return outcome(
                    ResultStatus.RESULT_STATUS_APPLIED,
                    "",
                    sent + ": miner/details reads status " + (pause ? "paused" : "normal") + "; " + effect,
                    readBack);
        }
        return outcome(
                ResultStatus.RESULT_STATUS_FAILED,
                "readback-mismatch",
                "expected status " + (pause ? "paused (3)" : "normal (2)") + " after " + sent + ", miner/details reads "
                        + (mode != null ? mode.toString() : String.join("; ", notes)),
                readBack);
    }

    private CommandOutcome locate(boolean on) throws BraiinsException, InterruptedException {
        String sent = "actions/locate " + on;
        client.put("actions/locate", JsonNodeFactory.instance.booleanNode(on), timeout);
        JsonNode status;
        try {
            status = client.get("actions/locate", timeout);
        } catch (BraiinsException e) {
            return outcome(
                    ResultStatus.RESULT_STATUS_FAILED,
                    "readback-failed",
                    sent + " accepted, but reading it back failed: " + e.getMessage(),
                    OptionalDouble.empty());
        }
        if (status.isBoolean() && status.asBoolean() == on) {
            return outcome(
                    ResultStatus.RESULT_STATUS_APPLIED,
                    "",
                    sent + ": the miner reports locate " + on,
                    OptionalDouble.empty());
        }
        return outcome(
                ResultStatus.RESULT_STATUS_FAILED,
                "readback-mismatch",
                "expected locate " + on + " after " + sent + ", the miner reports '" + status + "'",
                OptionalDouble.empty());
    }

    /** {@code {"watt": n}} as a number, or empty when it is not that. */
    private static OptionalDouble watt(JsonNode power) {
        JsonNode watt = power.get("watt");
        return watt != null && watt.isNumber() && Double.isFinite(watt.asDouble()) && watt.asDouble() >= 0
                ? OptionalDouble.of(watt.asDouble())
                : OptionalDouble.empty();
    }

    private static String human(Duration d) {
        long s = d.toSeconds();
        return s % 60 == 0 ? (s / 60) + " min" : s + " s";
    }

    private static CommandOutcome outcome(ResultStatus status, String reason, String message, OptionalDouble readBack) {
        return new CommandOutcome(status, reason, message, readBack);
    }
}
