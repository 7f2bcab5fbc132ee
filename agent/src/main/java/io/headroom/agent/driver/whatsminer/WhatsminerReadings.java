package io.headroom.agent.driver.whatsminer;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.agent.driver.DeviceIdentity;
import io.headroom.agent.driver.Reading;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.Mode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Maps the replies of one poll to canonical readings (pure functions; reference/DEVICES.md §4.3).
 * Missing or non-numeric fields give no reading, never a zero.
 */
final class WhatsminerReadings {

    /** Highest board index accepted from a reply (a hostile {@code Slot} must not make odd instances). */
    private static final int MAX_BOARD = 99;

    private WhatsminerReadings() {}

    /**
     * What a poll's replies say.
     *
     * @param readings canonical readings
     * @param identity model and firmware when the identity read is among the replies, else null
     * @param errorCodes the miner's active error codes, as {@code code (text)}
     */
    record Interpretation(List<Reading> readings, DeviceIdentity identity, List<String> errorCodes) {}

    static Interpretation v2(Map<String, JsonNode> replies) {
        List<Reading> out = new ArrayList<>();
        JsonNode summary = replies.get(WhatsminerRead.V2_SUMMARY.key());
        JsonNode s = summary == null ? null : summary.path("SUMMARY").path(0);
        if (s != null && s.isObject()) {
            add(out, MetricDictionary.POWER, "", number(s.get("Power")));
            add(out, MetricDictionary.POWER_TARGET, "", number(s.get("Power Limit")));
            OptionalDouble mhs = number(s.has("MHS 1m") ? s.get("MHS 1m") : s.get("MHS av"));
            add(out, MetricDictionary.HASHRATE, "", scale(mhs, 1e-6));
            add(out, MetricDictionary.TEMPERATURE_INLET, "", number(s.get("Env Temp")));
            add(out, MetricDictionary.FAN_SPEED, "fan-in", number(s.get("Fan Speed In")));
            add(out, MetricDictionary.FAN_SPEED, "fan-out", number(s.get("Fan Speed Out")));
        }
        JsonNode devs = replies.get(WhatsminerRead.V2_DEVS.key());
        double hottestChip = Double.NEGATIVE_INFINITY;
        double hottestBoard = Double.NEGATIVE_INFINITY;
        if (devs != null && devs.path("DEVS").isArray()) {
            for (JsonNode dev : devs.path("DEVS")) {
                OptionalDouble slot = number(dev.has("Slot") ? dev.get("Slot") : dev.get("ASC"));
                if (slot.isEmpty() || slot.getAsDouble() < 0 || slot.getAsDouble() > MAX_BOARD) {
                    continue;
                }
                String board = "board" + (int) slot.getAsDouble();
                OptionalDouble rate = number(dev.has("MHS 1m") ? dev.get("MHS 1m") : dev.get("MHS av"));
                add(out, MetricDictionary.HASHRATE, board, scale(rate, 1e-6));
                OptionalDouble chip =
                        number(dev.has("Chip Temp Max") ? dev.get("Chip Temp Max") : dev.get("Chip Temp Avg"));
                add(out, MetricDictionary.TEMPERATURE_CHIP, board, chip);
                OptionalDouble pcb = number(dev.get("Temperature"));
                add(out, MetricDictionary.TEMPERATURE_BOARD, board, pcb);
                hottestChip = Math.max(hottestChip, chip.orElse(Double.NEGATIVE_INFINITY));
                hottestBoard = Math.max(hottestBoard, pcb.orElse(Double.NEGATIVE_INFINITY));
            }
        }
        if (s != null && s.isObject() && number(s.get("Chip Temp Max")).isPresent()) {
            hottestChip = Math.max(hottestChip, number(s.get("Chip Temp Max")).getAsDouble());
        }
        addFinite(out, MetricDictionary.TEMPERATURE_CHIP, hottestChip);
        addFinite(out, MetricDictionary.TEMPERATURE_BOARD, hottestBoard);
        v2Mode(replies.get(WhatsminerRead.V2_STATUS.key()), summary)
                .ifPresent(mode -> out.add(Reading.of(MetricDictionary.MODE, "", mode.code())));

        List<String> errors = new ArrayList<>();
        JsonNode codes = replies.get(WhatsminerRead.V2_ERROR_CODE.key());
        if (codes != null) {
            collectErrors(codes.path("Msg").path("error_code"), errors);
        }
        JsonNode version = replies.get(WhatsminerRead.V2_VERSION.key());
        DeviceIdentity identity = null;
        if (version != null) {
            String firmware = version.path("Msg").path("fw_ver").asText("");
            identity = new DeviceIdentity("Whatsminer", firmware.isEmpty() ? "unknown" : firmware);
        }
        return new Interpretation(out, identity, errors);
    }

    static Interpretation v3(Map<String, JsonNode> replies) {
        List<Reading> out = new ArrayList<>();
        JsonNode summary = replies.get(WhatsminerRead.V3_SUMMARY.key());
        JsonNode s = summary == null ? null : summary.path("msg").path("summary");
        double hottestBoard = Double.NEGATIVE_INFINITY;
        if (s != null && s.isObject()) {
            add(out, MetricDictionary.POWER, "", number(s.get("power-realtime")));
            add(out, MetricDictionary.POWER_TARGET, "", number(s.get("power-limit")));
            add(out, MetricDictionary.HASHRATE, "", number(s.get("hash-realtime")));
            add(out, MetricDictionary.TEMPERATURE_CHIP, "", number(s.get("chip-temp-max")));
            add(out, MetricDictionary.TEMPERATURE_INLET, "", number(s.get("environment-temperature")));
            add(out, MetricDictionary.FAN_SPEED, "fan-in", number(s.get("fan-speed-in")));
            add(out, MetricDictionary.FAN_SPEED, "fan-out", number(s.get("fan-speed-out")));
            JsonNode boards = s.path("board-temperature");
            for (int i = 0; i < boards.size() && i <= MAX_BOARD; i++) {
                OptionalDouble t = number(boards.get(i));
                add(out, MetricDictionary.TEMPERATURE_BOARD, "board" + i, t);
                hottestBoard = Math.max(hottestBoard, t.orElse(Double.NEGATIVE_INFINITY));
            }
        }
        addFinite(out, MetricDictionary.TEMPERATURE_BOARD, hottestBoard);
        JsonNode edevs = replies.get(WhatsminerRead.V3_EDEVS.key());
        if (edevs != null) {
            for (JsonNode dev : edevs.path("msg").path("edevs")) {
                OptionalDouble id = number(dev.get("id"));
                if (id.isEmpty() || id.getAsDouble() < 0 || id.getAsDouble() > MAX_BOARD) {
                    continue;
                }
                String board = "board" + (int) id.getAsDouble();
                add(out, MetricDictionary.HASHRATE, board, number(dev.get("hash-realtime")));
                add(out, MetricDictionary.TEMPERATURE_CHIP, board, number(dev.get("chip-temp-max")));
            }
        }
        JsonNode info = replies.get(WhatsminerRead.V3_DEVICE_INFO.key());
        DeviceIdentity identity = null;
        List<String> errors = new ArrayList<>();
        if (info != null) {
            JsonNode msg = info.path("msg");
            add(out, MetricDictionary.FAN_SPEED, "psu", number(msg.path("power").get("fanspeed")));
            v3Mode(info).ifPresent(mode -> out.add(Reading.of(MetricDictionary.MODE, "", mode.code())));
            collectErrors(msg.path("error-code"), errors);
            String model = msg.path("miner").path("type").asText("");
            String firmware = msg.path("system").path("fwversion").asText("");
            identity = new DeviceIdentity(
                    model.isEmpty() ? "Whatsminer" : "Whatsminer " + model, firmware.isEmpty() ? "unknown" : firmware);
        }
        return new Interpretation(out, identity, errors);
    }

    /**
     * API v2 mode: {@code status.Msg.mineroff} "true" is sleep; otherwise the power mode
     * ({@code status.Msg.power_mode}, else {@code SUMMARY[0]."Power Mode"}): normal, low, high.
     */
    static Optional<Mode> v2Mode(JsonNode status, JsonNode summary) {
        JsonNode msg = status == null ? null : status.path("Msg");
        if (msg != null && msg.path("mineroff").asText("").equalsIgnoreCase("true")) {
            return Optional.of(Mode.SLEEP);
        }
        String text = msg == null ? "" : msg.path("power_mode").asText("");
        if (text.isEmpty() && summary != null) {
            text = summary.path("SUMMARY").path(0).path("Power Mode").asText("");
        }
        switch (text.toLowerCase(Locale.ROOT)) {
            case "normal":
                return Optional.of(Mode.NORMAL);
            case "low":
                return Optional.of(Mode.LOW_POWER);
            case "high":
                return Optional.of(Mode.HIGH_POWER);
            default:
                return msg != null && msg.path("mineroff").asText("").equalsIgnoreCase("false")
                        ? Optional.of(Mode.NORMAL)
                        : Optional.empty();
        }
    }

    /** API v3 mode: {@code msg.miner.working} "false" is sleep (service stopped), "true" normal. */
    static Optional<Mode> v3Mode(JsonNode deviceInfo) {
        String working = deviceInfo.path("msg").path("miner").path("working").asText("");
        if (working.equalsIgnoreCase("true")) {
            return Optional.of(Mode.NORMAL);
        }
        if (working.equalsIgnoreCase("false")) {
            return Optional.of(Mode.SLEEP);
        }
        return Optional.empty();
    }

    /**
     * Error lists of both APIs: {@code [{"218":"2024-06-15 10:30:00"}]} (v2) or
     * {@code [{"264":"…","reason":"Power xfer error…"}]} (v3); v2.0.4 sends a single object instead of a list.
     */
    private static void collectErrors(JsonNode list, List<String> into) {
        Iterable<JsonNode> entries = list.isArray() ? list : list.isObject() ? List.of(list) : List.of();
        for (JsonNode entry : entries) {
            if (!entry.isObject()) {
                continue;
            }
            String reason = entry.path("reason").asText("");
            for (Iterator<String> keys = entry.fieldNames(); keys.hasNext(); ) {
                String key = keys.next();
                if (!key.equals("reason") && key.chars().allMatch(Character::isDigit) && !key.isEmpty()) {
                    String when = entry.path(key).asText("");
                    into.add(key + " (" + (reason.isEmpty() ? when : reason + ", " + when) + ")");
                }
            }
        }
    }

    private static void add(List<Reading> out, String metric, String instance, OptionalDouble value) {
        if (value.isPresent()) {
            out.add(Reading.of(metric, instance, value.getAsDouble()));
        }
    }

    private static void addFinite(List<Reading> out, String metric, double value) {
        if (Double.isFinite(value)) {
            out.add(Reading.of(metric, "", value));
        }
    }

    private static OptionalDouble scale(OptionalDouble value, double factor) {
        return value.isPresent() ? OptionalDouble.of(value.getAsDouble() * factor) : value;
    }

    /** A finite number from a JSON number or a numeric string ({@code "6000"}); empty otherwise. */
    static OptionalDouble number(JsonNode node) {
        if (node == null || node.isNull()) {
            return OptionalDouble.empty();
        }
        double value;
        if (node.isNumber()) {
            value = node.asDouble();
        } else if (node.isTextual()) {
            try {
                value = Double.parseDouble(node.asText().trim());
            } catch (NumberFormatException e) {
                return OptionalDouble.empty();
            }
        } else {
            return OptionalDouble.empty();
        }
        return Double.isFinite(value) ? OptionalDouble.of(value) : OptionalDouble.empty();
    }
}
