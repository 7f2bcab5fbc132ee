package io.headroom.agent.driver.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.transport.http.HttpTransportException;
import io.headroom.protocol.wire.ResultStatus;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * {@code set-power-cap} on a BMC: the absolute limit in watts is PATCHed to the power-limit resource
 * and read back at once; APPLIED only when the device then shows the new limit.
 *
 * <p>With the {@code control} model the device publishes its own bounds ({@code AllowableMin},
 * {@code AllowableMax}); they are read first and a value outside them is REJECTED {@code out-of-range}
 * naming the device's range, without a write. The legacy model publishes none: the profile's range
 * (checked before the driver sees the command) is the only check, and a BMC refusal comes back FAILED
 * with the BMC's own message.
 */
final class RedfishPowerCap {

    private RedfishPowerCap() {}

    /**
     * @param tolerance how far the read-back may be from the value (the capability's read-back)
     */
    static CommandOutcome apply(
            RedfishClient client, RedfishPowerLimit limit, String chassis, double value, double tolerance)
            throws InterruptedException {
        String path = RedfishPaths.absolute(limit.resource(), chassis);
        String watts = format(value);
        if (limit.style() == RedfishLimitStyle.CONTROL) {
            JsonNode control;
            try {
                control = client.get(path);
            } catch (RedfishFault e) {
                return failed(e.reason(), "cannot read " + path + " before writing: " + e.getMessage());
            }
            JsonNode min = control.get("AllowableMin");
            JsonNode max = control.get("AllowableMax");
            boolean below = min != null && min.isNumber() && value < min.asDouble();
            boolean above = max != null && max.isNumber() && value > max.asDouble();
            if (below || above) {
                return new CommandOutcome(
                        ResultStatus.RESULT_STATUS_REJECTED,
                        "out-of-range",
                        watts + " W is outside the device's allowable range "
                                + (min != null && min.isNumber() ? format(min.asDouble()) : "?") + "–"
                                + (max != null && max.isNumber() ? format(max.asDouble()) : "?") + " W ("
                                + path + ")",
                        OptionalDouble.empty());
            }
        }
        try {
            client.patch(path, body(limit.style(), value));
        } catch (RedfishFault e) {
            return failed(e.reason(), "PATCH " + path + " " + watts + " W refused: " + deviceWords(e));
        }
        JsonNode after;
        try {
            after = client.get(path);
        } catch (RedfishFault e) {
            return failed("readback-failed", "PATCH accepted, but reading " + path + " back failed: " + e.getMessage());
        }
        JsonNode shown = RedfishPaths.at(after, limit.limitPath());
        if (shown != null && shown.isNumber() && Math.abs(shown.asDouble() - value) <= tolerance) {
            return new CommandOutcome(
                    ResultStatus.RESULT_STATUS_APPLIED,
                    "",
                    path + " " + limit.limitPath() + " shows " + format(shown.asDouble()) + " W",
                    OptionalDouble.of(shown.asDouble()));
        }
        return new CommandOutcome(
                ResultStatus.RESULT_STATUS_FAILED,
                "readback-mismatch",
                "asked for " + watts + " W, " + path + " " + limit.limitPath() + " shows "
                        + (shown == null ? "nothing" : shown.toString()),
                shown != null && shown.isNumber() ? OptionalDouble.of(shown.asDouble()) : OptionalDouble.empty());
    }

    /** The PATCH body of each model; a whole number of watts goes as a JSON integer. */
    static JsonNode body(RedfishLimitStyle style, double value) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ObjectNode target = body;
        if (style == RedfishLimitStyle.LEGACY) {
            target = body.putArray("PowerControl").addObject().putObject("PowerLimit");
        }
        String key = style == RedfishLimitStyle.CONTROL ? "SetPoint" : "LimitInWatts";
        if (value == Math.rint(value) && Math.abs(value) < 1e9) {
            target.put(key, (long) value);
        } else {
            target.put(key, value);
        }
        return body;
    }

    /**
     * The message of a Redfish error body ({@code error.@Message.ExtendedInfo[0].Message}, else
     * {@code error.message}), else the transport's message.
     */
    static String deviceWords(RedfishFault fault) {
        if (fault.getCause() instanceof HttpTransportException http
                && !http.body().isBlank()) {
            try {
                JsonNode error = new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(http.body())
                        .path("error");
                JsonNode extended = error.path("@Message.ExtendedInfo").path(0).path("Message");
                if (extended.isTextual()) {
                    return extended.asText() + " (HTTP " + http.status() + ")";
                }
                if (error.path("message").isTextual()) {
                    return error.path("message").asText() + " (HTTP " + http.status() + ")";
                }
            } catch (java.io.IOException | RuntimeException notJson) {
                // Fall back to the transport's message, which quotes the body.
            }
        }
        return fault.getMessage();
    }

    private static CommandOutcome failed(String reason, String message) {
        return new CommandOutcome(ResultStatus.RESULT_STATUS_FAILED, reason, message, OptionalDouble.empty());
    }

    private static String format(double watts) {
        return watts == Math.rint(watts) ? Long.toString((long) watts) : String.format(Locale.ROOT, "%.1f", watts);
    }
}
