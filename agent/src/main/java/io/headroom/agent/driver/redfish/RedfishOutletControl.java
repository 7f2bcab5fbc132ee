package io.headroom.agent.driver.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.agent.driver.CommandOutcome;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * {@code outlet-on}, {@code outlet-off} and {@code outlet-cycle} on a Redfish PDU: the outlet is found
 * in the {@code Outlet} collection by its instance (the member's last path segment as a reading names
 * it: {@code A1} is {@code a1}), its {@code #Outlet.PowerControl} action is POSTed with
 * {@code {"PowerState": "On" | "Off" | "PowerCycle"}} to the target the outlet itself advertises, and
 * the outlet is read back at once: APPLIED only when its {@code PowerState} then shows the asked state
 * ({@code On} after a cycle; its off phase is not observed).
 *
 * <p>An outlet the PDU does not have is REJECTED {@code unknown-instance} naming it and the outlets the
 * PDU has; one without the action (an unmanaged outlet, A5 of DMTF's mockup) is REJECTED
 * {@code unsupported}, both without a write. The PDU's refusal comes back FAILED with its own words.
 */
final class RedfishOutletControl {

    static final String ACTION = "#Outlet.PowerControl";

    private RedfishOutletControl() {}

    static CommandOutcome apply(
            RedfishClient client, RedfishOutlets outlets, String chassis, Verb verb, String instance)
            throws InterruptedException {
        String asked = switch (verb) {
            case VERB_OUTLET_ON -> "On";
            case VERB_OUTLET_OFF -> "Off";
            case VERB_OUTLET_CYCLE -> "PowerCycle";
            default -> throw new IllegalArgumentException("not an outlet verb: " + verb);
        };
        String expected = verb == Verb.VERB_OUTLET_OFF ? "Off" : "On";
        String collectionPath = RedfishPaths.absolute(outlets.resource(), chassis);
        JsonNode collection;
        try {
            collection = client.get(collectionPath);
        } catch (RedfishFault e) {
            return failed(e.reason(), "cannot read the outlets " + collectionPath + ": " + e.getMessage());
        }
        String outlet = null;
        List<String> known = new ArrayList<>();
        for (JsonNode member : collection.path("Members")) {
            JsonNode id = member.get("@odata.id");
            String path = id != null && id.isTextual() ? RedfishClient.pathOf(id.asText()) : null;
            if (path == null || path.endsWith("/")) {
                continue;
            }
            String segment = path.substring(path.lastIndexOf('/') + 1);
            known.add(segment);
            if (RedfishPaths.instance("", segment).equals(instance)) {
                outlet = path;
            }
        }
        if (outlet == null) {
            return new CommandOutcome(
                    ResultStatus.RESULT_STATUS_REJECTED,
                    "unknown-instance",
                    "the PDU has no outlet '" + instance + "' in " + collectionPath + " (its outlets: "
                            + (known.isEmpty()
                                    ? "none"
                                    : String.join(", ", known.subList(0, Math.min(known.size(), 48))))
                            + ")",
                    OptionalDouble.empty());
        }
        JsonNode before;
        try {
            before = client.get(outlet);
        } catch (RedfishFault e) {
            return failed(e.reason(), "cannot read the outlet " + outlet + ": " + e.getMessage());
        }
        JsonNode target = before.path("Actions").path(ACTION).get("target");
        String targetPath = target != null && target.isTextual() ? RedfishClient.pathOf(target.asText()) : null;
        if (targetPath == null) {
            return new CommandOutcome(
                    ResultStatus.RESULT_STATUS_REJECTED,
                    "unsupported",
                    "outlet " + outlet + " offers no " + ACTION + " action (an unswitched outlet)",
                    OptionalDouble.empty());
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("PowerState", asked);
        String sent = "POST " + targetPath + " {\"PowerState\":\"" + asked + "\"}";
        try {
            client.post(targetPath, body);
        } catch (RedfishFault e) {
            return failed(e.reason(), sent + " refused: " + RedfishPowerCap.deviceWords(e));
        }
        JsonNode after;
        try {
            after = client.get(outlet);
        } catch (RedfishFault e) {
            return failed(
                    "readback-failed", sent + " accepted, but reading " + outlet + " back failed: " + e.getMessage());
        }
        JsonNode shown = after.get("PowerState");
        String state = shown != null && shown.isTextual() ? shown.asText() : null;
        OptionalDouble code = state == null ? OptionalDouble.empty() : stateCode(state);
        if (expected.equals(state)) {
            return new CommandOutcome(
                    ResultStatus.RESULT_STATUS_APPLIED, "", sent + "; " + outlet + " PowerState shows " + state, code);
        }
        return new CommandOutcome(
                ResultStatus.RESULT_STATUS_FAILED,
                "readback-mismatch",
                "expected PowerState " + expected + " after " + sent + ", but " + outlet + " shows "
                        + (shown == null ? "no PowerState" : shown.toString()),
                code);
    }

    /** The outlet.state code of a Redfish PowerState, when it is On or Off. */
    private static OptionalDouble stateCode(String powerState) {
        return switch (powerState) {
            case "On" ->
                OptionalDouble.of(MetricDictionary.stateCode(MetricDictionary.OUTLET_STATE, "on")
                        .orElseThrow());
            case "Off" ->
                OptionalDouble.of(MetricDictionary.stateCode(MetricDictionary.OUTLET_STATE, "off")
                        .orElseThrow());
            default -> OptionalDouble.empty();
        };
    }

    private static CommandOutcome failed(String reason, String message) {
        return new CommandOutcome(ResultStatus.RESULT_STATUS_FAILED, reason, message, OptionalDouble.empty());
    }
}
