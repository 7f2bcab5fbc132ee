package io.headroom.agent.driver.whatsminer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import io.headroom.agent.driver.CommandOutcome;
import io.headroom.profiles.Capability;
import io.headroom.profiles.FirmwareProfile;
import io.headroom.profiles.ReadBack;
import io.headroom.protocol.Mode;
import io.headroom.protocol.Verbs;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * What each verb sends over API v2 or v3, and how it is read back (docs/drivers/whatsminer.md).
 *
 * <table>
 *   <caption>verbs</caption>
 *   <tr><th>verb</th><th>v2 (encrypted)</th><th>v3</th><th>read back</th></tr>
 *   <tr><td>sleep / wake</td><td>{@code power_off} / {@code power_on}</td>
 *       <td>{@code set.miner.service stop|start}</td><td>mode (v2 {@code status.mineroff}, v3 {@code working})</td></tr>
 *   <tr><td>set-power-target</td><td>{@code adjust_power_limit} (reboots) or {@code set_power_pct}</td>
 *       <td>{@code set.miner.power_limit}</td><td>power limit, within the capability's tolerance</td></tr>
 *   <tr><td>reboot</td><td>{@code reboot}</td><td>{@code set.system.reboot}</td><td>the miner's acknowledgement</td></tr>
 *   <tr><td>locate-on / off</td><td>{@code set_led}</td><td>{@code set.system.led}</td>
 *       <td>LED state: not {@code auto} / {@code auto}</td></tr>
 * </table>
 */
final class WhatsminerControls {

    /** Verbs this driver can send; a profile may declare only these. */
    static final Set<Verb> SUPPORTED = Set.of(
            Verb.VERB_SLEEP,
            Verb.VERB_WAKE,
            Verb.VERB_SET_POWER_TARGET,
            Verb.VERB_REBOOT,
            Verb.VERB_LOCATE_ON,
            Verb.VERB_LOCATE_OFF);

    /** LED pattern of locate-on: red, blinking (period and duration in ms), from now. */
    private static final String LED_COLOR = "red";

    private static final int LED_PERIOD_MS = 1000;
    private static final int LED_DURATION_MS = 500;

    @FunctionalInterface
    interface PasswordSource {
        char[] get() throws WhatsminerException;
    }

    private final FirmwareProfile profile;
    private final WhatsminerPoints points;
    private final WhatsminerV2Api v2;
    private final WhatsminerV3Api v3;
    private final PasswordSource password;

    WhatsminerControls(
            FirmwareProfile profile,
            WhatsminerPoints points,
            WhatsminerV2Api v2,
            WhatsminerV3Api v3,
            PasswordSource password) {
        this.profile = profile;
        this.points = points;
        this.v2 = v2;
        this.v3 = v3;
        this.password = password;
    }

    CommandOutcome execute(Verb verb, double value) throws InterruptedException {
        Optional<Capability> capability = profile.capability(verb);
        if (capability.isEmpty() || !SUPPORTED.contains(verb)) {
            return outcome(
                    ResultStatus.RESULT_STATUS_REJECTED,
                    "unsupported",
                    profile.id() + " has no " + Verbs.name(verb) + " capability",
                    OptionalDouble.empty());
        }
        boolean isV3 = points.api() == WhatsminerApi.V3;
        String sent;
        char[] secret = null;
        try {
            secret = password.get();
            if (verb == Verb.VERB_SLEEP || verb == Verb.VERB_WAKE) {
                boolean sleep = verb == Verb.VERB_SLEEP;
                if (isV3) {
                    sent = "set.miner.service " + (sleep ? "stop" : "start");
                    v3.write("set.miner.service", TextNode.valueOf(sleep ? "stop" : "start"), secret);
                } else {
                    sent = sleep ? "power_off" : "power_on";
                    v2.write(sent, sleep ? Map.of("respbefore", "true") : Map.of(), secret);
                }
                return readMode(sleep, sent);
            }
            if (verb == Verb.VERB_SET_POWER_TARGET) {
                long watts = Math.round(value);
                if (isV3) {
                    sent = "set.miner.power_limit " + watts;
                    v3.write("set.miner.power_limit", JsonNodeFactory.instance.numberNode(watts), secret);
                } else if (points.powerMethod() == PowerMethod.SET_POWER_PCT) {
                    long percent = Math.round(value / points.nominalPowerWatts() * 100);
                    if (percent < 1 || percent > 99) {
                        return outcome(
                                ResultStatus.RESULT_STATUS_REJECTED,
                                "out-of-range",
                                value + " W is " + percent + " % of the nominal " + points.nominalPowerWatts()
                                        + " W; set_power_pct takes 1 to 99",
                                OptionalDouble.empty());
                    }
                    sent = "set_power_pct " + percent + " % (" + watts + " W of " + points.nominalPowerWatts() + " W)";
                    v2.write("set_power_pct", Map.of("percent", Long.toString(percent)), secret);
                } else {
                    sent = "adjust_power_limit " + watts + " (the miner reboots to apply it)";
                    v2.write("adjust_power_limit", Map.of("power_limit", Long.toString(watts)), secret);
                }
                return readPowerLimit(capability.get(), value, sent);
            }
            if (verb == Verb.VERB_REBOOT) {
                if (isV3) {
                    sent = "set.system.reboot";
                    v3.write(sent, null, secret);
                } else {
                    sent = "reboot";
                    v2.write(sent, Map.of(), secret);
                }
                return outcome(
                        ResultStatus.RESULT_STATUS_APPLIED,
                        "",
                        sent + " acknowledged; the miner restarts (nothing to read back until it is up)",
                        OptionalDouble.empty());
            }
            boolean on = verb == Verb.VERB_LOCATE_ON;
            if (isV3) {
                sent = "set.system.led " + (on ? "blink" : "auto");
                JsonNode param = on ? ledPattern() : TextNode.valueOf("auto");
                v3.write("set.system.led", param, secret);
            } else {
                sent = "set_led " + (on ? "blink" : "auto");
                Map<String, String> params = new LinkedHashMap<>();
                if (on) {
                    params.put("color", LED_COLOR);
                    params.put("period", Integer.toString(LED_PERIOD_MS));
                    params.put("duration", Integer.toString(LED_DURATION_MS));
                    params.put("start", "0");
                } else {
                    params.put("param", "auto");
                }
                v2.write("set_led", params, secret);
            }
            return readLed(on, sent);
        } catch (WhatsminerException e) {
            return outcome(ResultStatus.RESULT_STATUS_FAILED, e.reason(), e.getMessage(), OptionalDouble.empty());
        } finally {
            if (secret != null) {
                WhatsminerDriver.wipe(secret);
            }
        }
    }

    private static ArrayNode ledPattern() {
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        list.addObject()
                .put("color", LED_COLOR)
                .put("period", LED_PERIOD_MS)
                .put("duration", LED_DURATION_MS)
                .put("start", 0);
        return list;
    }

    private CommandOutcome readMode(boolean sleep, String sent) throws InterruptedException {
        Optional<Mode> mode;
        try {
            if (points.api() == WhatsminerApi.V3) {
                mode = WhatsminerReadings.v3Mode(v3.read("get.device.info", null));
            } else {
                mode = WhatsminerReadings.v2Mode(v2.read("status"), null);
            }
        } catch (WhatsminerException e) {
            return readBackFailed(sent, e);
        }
        OptionalDouble seen = mode.map(m -> OptionalDouble.of(m.code())).orElse(OptionalDouble.empty());
        // Wake is confirmed by any mining mode: a v2 miner may come back in its low or high power mode.
        boolean confirmed = mode.isPresent() && (sleep ? mode.get() == Mode.SLEEP : mode.get() != Mode.SLEEP);
        if (confirmed) {
            return outcome(ResultStatus.RESULT_STATUS_APPLIED, "", sent + ": the miner reports " + mode.get(), seen);
        }
        return outcome(
                ResultStatus.RESULT_STATUS_FAILED,
                "readback-mismatch",
                "expected " + (sleep ? "SLEEP" : "mining") + " after " + sent + ", the miner reports "
                        + mode.map(String::valueOf).orElse("an unknown mode"),
                seen);
    }

    private CommandOutcome readPowerLimit(Capability capability, double value, String sent)
            throws InterruptedException {
        OptionalDouble limit;
        try {
            if (points.api() == WhatsminerApi.V3) {
                JsonNode summary = v3.read("get.miner.status", "summary");
                limit = WhatsminerReadings.number(
                        summary.path("msg").path("summary").get("power-limit"));
            } else {
                JsonNode summary = v2.read("summary");
                limit = WhatsminerReadings.number(
                        summary.path("SUMMARY").path(0).get("Power Limit"));
            }
        } catch (WhatsminerException e) {
            return readBackFailed(sent, e);
        }
        double tolerance = capability.readBack().map(ReadBack::tolerance).orElse(0.0);
        if (limit.isPresent() && Math.abs(limit.getAsDouble() - value) <= tolerance) {
            return outcome(
                    ResultStatus.RESULT_STATUS_APPLIED,
                    "",
                    sent + ": the miner reports a power limit of " + limit.getAsDouble() + " W",
                    limit);
        }
        return outcome(
                ResultStatus.RESULT_STATUS_FAILED,
                "readback-mismatch",
                "expected a power limit of " + value + " ± " + tolerance + " W after " + sent + ", the miner reports "
                        + (limit.isPresent() ? limit.getAsDouble() + " W" : "none"),
                limit);
    }

    private CommandOutcome readLed(boolean on, String sent) throws InterruptedException {
        String led;
        try {
            led = points.api() == WhatsminerApi.V3
                    ? v3.read("get.device.info", null)
                            .path("msg")
                            .path("system")
                            .path("ledstatus")
                            .asText("")
                    : v2.read("get_miner_info").path("Msg").path("ledstat").asText("");
        } catch (WhatsminerException e) {
            return readBackFailed(sent, e);
        }
        boolean auto = led.equalsIgnoreCase("auto");
        if (!led.isEmpty() && on != auto) {
            return outcome(
                    ResultStatus.RESULT_STATUS_APPLIED,
                    "",
                    sent + ": the miner's LED is " + led,
                    OptionalDouble.empty());
        }
        return outcome(
                ResultStatus.RESULT_STATUS_FAILED,
                "readback-mismatch",
                "expected the LED " + (on ? "not auto" : "auto") + " after " + sent + ", the miner reports '" + led
                        + "'",
                OptionalDouble.empty());
    }

    private static CommandOutcome readBackFailed(String sent, WhatsminerException e) {
        return outcome(
                ResultStatus.RESULT_STATUS_FAILED,
                "readback-failed",
                sent + " accepted, but reading it back failed: " + e.getMessage(),
                OptionalDouble.empty());
    }

    private static CommandOutcome outcome(ResultStatus status, String reason, String message, OptionalDouble readBack) {
        return new CommandOutcome(status, reason, message, readBack);
    }
}
