package io.headroom.agent.driver.antminer;

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
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * What each verb sends to the stock firmware's CGIs, and how it is read back (docs/drivers/antminer.md).
 *
 * <table>
 *   <caption>verbs</caption>
 *   <tr><th>verb</th><th>sent</th><th>read back</th></tr>
 *   <tr><td>sleep / wake</td><td>{@code set_miner_conf}: the current configuration with the mode keys set to
 *       the profile's code</td><td>{@code get_miner_conf}'s mode key shows that code</td></tr>
 *   <tr><td>locate-on / off</td><td>{@code blink} {@code {"blink":"true"|"false"}}</td>
 *       <td>{@code get_blink_status} {@code blink}</td></tr>
 *   <tr><td>reboot</td><td>{@code reboot}</td><td>the acknowledgement (nothing to read until it is up)</td></tr>
 * </table>
 *
 * <p>The whole configuration is posted back because {@code set_miner_conf} replaces it as a whole: a body
 * with only the mode would leave the miner without its pools.
 */
final class AntminerControls {

    /** Verbs this driver can send; a profile may declare only these. */
    static final Set<Verb> SUPPORTED =
            Set.of(Verb.VERB_SLEEP, Verb.VERB_WAKE, Verb.VERB_REBOOT, Verb.VERB_LOCATE_ON, Verb.VERB_LOCATE_OFF);

    private final FirmwareProfile profile;
    private final AntminerPoints points;
    private final AntminerWebClient client;
    private final Duration readTimeout;
    private final Duration writeTimeout;

    AntminerControls(
            FirmwareProfile profile,
            AntminerPoints points,
            AntminerWebClient client,
            Duration readTimeout,
            Duration writeTimeout) {
        this.profile = profile;
        this.points = points;
        this.client = client;
        this.readTimeout = readTimeout;
        this.writeTimeout = writeTimeout;
    }

    CommandOutcome execute(Verb verb) throws InterruptedException {
        Optional<Capability> capability = profile.capability(verb);
        if (capability.isEmpty() || !SUPPORTED.contains(verb)) {
            return outcome(
                    ResultStatus.RESULT_STATUS_REJECTED,
                    "unsupported",
                    profile.id() + " has no " + Verbs.name(verb) + " capability",
                    OptionalDouble.empty());
        }
        try {
            if (verb == Verb.VERB_SLEEP || verb == Verb.VERB_WAKE) {
                return setMode(verb == Verb.VERB_SLEEP ? "sleep" : "wake", capability.get());
            }
            if (verb == Verb.VERB_REBOOT) {
                client.postAck("reboot", JsonNodeFactory.instance.objectNode(), readTimeout);
                return outcome(
                        ResultStatus.RESULT_STATUS_APPLIED,
                        "",
                        "reboot acknowledged; the miner restarts (nothing to read back until it is up)",
                        OptionalDouble.empty());
            }
            return locate(verb == Verb.VERB_LOCATE_ON);
        } catch (AntminerException e) {
            return outcome(ResultStatus.RESULT_STATUS_FAILED, e.reason(), e.getMessage(), OptionalDouble.empty());
        }
    }

    private CommandOutcome setMode(String control, Capability capability)
            throws AntminerException, InterruptedException {
        String code = points.controls().get(control);
        Mode target = points.modes().get(code);
        JsonNode conf = client.get("get_miner_conf", readTimeout);
        if (!conf.isObject()) {
            throw new AntminerException(AntminerException.BAD_RESPONSE, "get_miner_conf is not an object");
        }
        ObjectNode payload = ((ObjectNode) conf).deepCopy();
        JsonNode currentMode = conf.get(points.modeKey());
        payload.set(points.writeKey(), asNumberIfInteger(code));
        if (currentMode != null && currentMode.isNumber()) {
            payload.set(points.modeKey(), asNumberIfInteger(code));
        } else {
            payload.put(points.modeKey(), code);
        }
        String sent = "set_miner_conf " + points.writeKey() + " " + code;
        JsonNode answer = client.post("set_miner_conf", payload, writeTimeout);
        String stats = answer.path("stats").asText("");
        if (!stats.isEmpty() && !stats.equalsIgnoreCase("success")) {
            return outcome(
                    ResultStatus.RESULT_STATUS_FAILED,
                    "device-refused",
                    sent + ": the miner answers " + stats + " "
                            + answer.path("code").asText("") + " \""
                            + answer.path("msg").asText("") + "\"",
                    OptionalDouble.empty());
        }
        JsonNode after;
        try {
            after = client.get("get_miner_conf", readTimeout);
        } catch (AntminerException e) {
            return outcome(
                    ResultStatus.RESULT_STATUS_FAILED,
                    "readback-failed",
                    sent + " accepted, but reading it back failed: " + e.getMessage(),
                    OptionalDouble.empty());
        }
        String seen = AntminerReadings.modeCode(after, points);
        Mode seenMode = points.modes().get(seen);
        OptionalDouble readBack = seenMode == null ? OptionalDouble.empty() : OptionalDouble.of(seenMode.code());
        if (code.equals(seen)) {
            String settle = capability.settle().isZero() ? "" : " within about " + human(capability.settle());
            String effect = control.equals("sleep")
                    ? "hashing stops and power falls to the sleep draw" + settle
                    : "the hash boards restart; hashing and power come back" + settle;
            return outcome(
                    ResultStatus.RESULT_STATUS_APPLIED,
                    "",
                    sent + ": the configuration reads " + points.modeKey() + " " + seen + " (" + target + "); "
                            + effect,
                    readBack);
        }
        return outcome(
                ResultStatus.RESULT_STATUS_FAILED,
                "readback-mismatch",
                "expected " + points.modeKey() + " " + code + " (" + target + ") after " + sent
                        + ", the miner's configuration reads '" + seen + "'"
                        + (seenMode == null ? "" : " (" + seenMode + ")"),
                readBack);
    }

    private CommandOutcome locate(boolean on) throws AntminerException, InterruptedException {
        String sent = "blink " + on;
        client.postAck("blink", JsonNodeFactory.instance.objectNode().put("blink", Boolean.toString(on)), readTimeout);
        JsonNode status;
        try {
            status = client.get("get_blink_status", readTimeout);
        } catch (AntminerException e) {
            return outcome(
                    ResultStatus.RESULT_STATUS_FAILED,
                    "readback-failed",
                    sent + " accepted, but reading it back failed: " + e.getMessage(),
                    OptionalDouble.empty());
        }
        JsonNode blink = status.get("blink");
        String seen = blink == null || !blink.isValueNode() ? "" : blink.asText();
        if (seen.equalsIgnoreCase(Boolean.toString(on))) {
            return outcome(
                    ResultStatus.RESULT_STATUS_APPLIED,
                    "",
                    sent + ": the miner reports blink " + seen,
                    OptionalDouble.empty());
        }
        return outcome(
                ResultStatus.RESULT_STATUS_FAILED,
                "readback-mismatch",
                "expected blink " + on + " after " + sent + ", the miner reports '" + seen + "'",
                OptionalDouble.empty());
    }

    private static JsonNode asNumberIfInteger(String code) {
        try {
            return JsonNodeFactory.instance.numberNode(Integer.parseInt(code));
        } catch (NumberFormatException e) {
            return JsonNodeFactory.instance.textNode(code);
        }
    }

    private static String human(Duration d) {
        long s = d.toSeconds();
        return s % 60 == 0 ? (s / 60) + " min" : s + " s";
    }

    private static CommandOutcome outcome(ResultStatus status, String reason, String message, OptionalDouble readBack) {
        return new CommandOutcome(status, reason, message, readBack);
    }
}
