package io.headroom.agent.driver.braiins;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.agent.driver.DeviceIdentity;
import io.headroom.agent.driver.Reading;
import io.headroom.agent.driver.cgminer.JsonPath;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.Mode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * What the REST API's replies say, in canonical metrics (the shapes of the asic-rs captures of Braiins OS 25.07,
 * 25.11 and 26.04, reference/DEVICES.md §4.4):
 *
 * <ul>
 *   <li>{@code miner/stats}: {@code power_stats.approximated_consumption.watt} → {@code power};
 *       {@code miner_stats.real_hashrate.<window>.gigahash_per_second} → {@code hashrate} (TH/s);
 *   <li>{@code miner/hw/hashboards}: each enabled board {@code id} → {@code board<id>}: its window's hashrate,
 *       {@code highest_chip_temp} → {@code temperature.chip}, {@code board_temp} → {@code temperature.board},
 *       {@code lowest_inlet_temp} → {@code temperature.inlet}, {@code highest_outlet_temp} →
 *       {@code temperature.outlet};
 *   <li>{@code cooling/state}: {@code fans[]} → {@code fan.speed} of {@code fan<position + 1>};
 *   <li>{@code performance/tuner-state}: the power-target mode's {@code current_target.watt} →
 *       {@code power.target};
 *   <li>{@code miner/details}: {@code status} 2 (normal) → mode normal, 3 (paused) → mode sleep, 1/4/5 (not
 *       started, suspended, restricted) → a device fault; the model and {@code bos_version.current} → identity;
 *   <li>{@code miner/errors}: entries younger than the profile's {@code recent-errors} → a device fault;
 *   <li>{@code pools/}: enabled pools of which none is alive → a device fault;
 *   <li>{@code version/}: the API version, into the identity's firmware text.
 * </ul>
 *
 * The API is typed: a number sent as a string, an object sent as an array, is a malformed reply (counted, the
 * poll DEGRADED {@code bad-response}), never guessed at.
 */
final class BraiinsReadings {

    /** {@code miner/details} {@code status}: the {@code MinerStatus} enum of the Braiins OS API. */
    static final int STATUS_NORMAL = 2;

    static final int STATUS_PAUSED = 3;

    private static final Pattern BOARD_ID = Pattern.compile("[0-9a-z_-]{1,27}");
    private static final int QUOTED_MESSAGE_CHARS = 200;

    private BraiinsReadings() {}

    /**
     * @param identity model and firmware when {@code miner/details} was read, else null
     * @param readings readings in canonical units
     * @param faults what the miner reports as failing (DEGRADED {@code device-status})
     * @param malformed replies that lacked what was expected or had the wrong types (DEGRADED {@code bad-response})
     */
    record Interpretation(
            DeviceIdentity identity, List<Reading> readings, List<String> faults, List<String> malformed) {}

    static Interpretation interpret(Map<String, JsonNode> replies, BraiinsPoints points, Instant now) {
        Interpretation out = new Interpretation(null, new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        JsonNode stats = replies.get("miner/stats");
        if (stats != null) {
            stats(stats, points, out);
        }
        JsonNode boards = replies.get("miner/hw/hashboards");
        if (boards != null) {
            boards(boards, points, out);
        }
        JsonNode cooling = replies.get("cooling/state");
        if (cooling != null) {
            fans(cooling, out);
        }
        JsonNode tuner = replies.get("performance/tuner-state");
        if (tuner != null) {
            tuner(tuner, out);
        }
        JsonNode errors = replies.get("miner/errors");
        if (errors != null) {
            errors(errors, points, now, out);
        }
        JsonNode pools = replies.get("pools/");
        if (pools != null) {
            pools(pools, out);
        }
        DeviceIdentity identity = null;
        JsonNode details = replies.get("miner/details");
        if (details != null) {
            Mode mode = mode(details, out.faults(), out.malformed());
            if (mode != null) {
                out.readings().add(Reading.of(MetricDictionary.MODE, "", mode.code()));
            }
            identity = identity(details, replies.get("version/"));
        }
        return new Interpretation(identity, out.readings(), out.faults(), out.malformed());
    }

    private static void stats(JsonNode stats, BraiinsPoints points, Interpretation out) {
        if (!object(stats, "miner/stats", out)) {
            return;
        }
        number(stats, "power_stats.approximated_consumption.watt", "miner/stats", out)
                .ifPresent(w -> out.readings().add(Reading.of(MetricDictionary.POWER, "", w)));
        number(
                        stats,
                        "miner_stats.real_hashrate." + points.hashrateWindow() + ".gigahash_per_second",
                        "miner/stats",
                        out)
                .ifPresent(gh -> out.readings().add(Reading.of(MetricDictionary.HASHRATE, "", gh / 1000)));
    }

    private static void boards(JsonNode root, BraiinsPoints points, Interpretation out) {
        if (!object(root, "miner/hw/hashboards", out)) {
            return;
        }
        JsonNode boards = root.get("hashboards");
        if (boards == null || !boards.isArray()) {
            out.malformed().add("miner/hw/hashboards: hashboards is " + type(boards) + ", not an array");
            return;
        }
        for (JsonNode board : boards) {
            JsonNode id = board.get("id");
            if (!board.isObject()
                    || id == null
                    || !id.isTextual()
                    || !BOARD_ID.matcher(id.asText()).matches()) {
                out.malformed().add("miner/hw/hashboards: a board without a usable id");
                continue;
            }
            if (board.path("enabled").isBoolean() && !board.path("enabled").asBoolean()) {
                continue; // a disabled board reports nothing worth a reading
            }
            String instance = "board" + id.asText();
            String what = "miner/hw/hashboards[" + id.asText() + "]";
            number(board, "stats.real_hashrate." + points.hashrateWindow() + ".gigahash_per_second", what, out)
                    .ifPresent(gh -> out.readings().add(Reading.of(MetricDictionary.HASHRATE, instance, gh / 1000)));
            number(board, "highest_chip_temp.temperature.degree_c", what, out)
                    .ifPresent(c -> out.readings().add(Reading.of(MetricDictionary.TEMPERATURE_CHIP, instance, c)));
            number(board, "board_temp.degree_c", what, out)
                    .ifPresent(c -> out.readings().add(Reading.of(MetricDictionary.TEMPERATURE_BOARD, instance, c)));
            number(board, "lowest_inlet_temp.degree_c", what, out)
                    .ifPresent(c -> out.readings().add(Reading.of(MetricDictionary.TEMPERATURE_INLET, instance, c)));
            number(board, "highest_outlet_temp.degree_c", what, out)
                    .ifPresent(c -> out.readings().add(Reading.of(MetricDictionary.TEMPERATURE_OUTLET, instance, c)));
        }
    }

    private static void fans(JsonNode cooling, Interpretation out) {
        if (!object(cooling, "cooling/state", out)) {
            return;
        }
        JsonNode fans = cooling.get("fans");
        if (fans == null || !fans.isArray()) {
            out.malformed().add("cooling/state: fans is " + type(fans) + ", not an array");
            return;
        }
        for (JsonNode fan : fans) {
            JsonNode position = fan.get("position");
            if (position == null || !position.isIntegralNumber() || position.asInt() < 0 || position.asInt() > 63) {
                out.malformed().add("cooling/state: a fan without a usable position");
                continue;
            }
            String instance = "fan" + (position.asInt() + 1);
            number(fan, "rpm", "cooling/state " + instance, out)
                    .ifPresent(rpm -> out.readings().add(Reading.of(MetricDictionary.FAN_SPEED, instance, rpm)));
        }
    }

    private static void tuner(JsonNode tuner, Interpretation out) {
        if (!object(tuner, "performance/tuner-state", out)) {
            return;
        }
        // A tuner in hashrate-target mode has no power target to report.
        if (tuner.path("mode_state").has("powertargetmodestate")) {
            number(tuner, "mode_state.powertargetmodestate.current_target.watt", "performance/tuner-state", out)
                    .ifPresent(w -> out.readings().add(Reading.of(MetricDictionary.POWER_TARGET, "", w)));
        }
    }

    private static void errors(JsonNode root, BraiinsPoints points, Instant now, Interpretation out) {
        if (!object(root, "miner/errors", out)) {
            return;
        }
        JsonNode errors = root.get("errors");
        if (errors == null || !errors.isArray()) {
            out.malformed().add("miner/errors: errors is " + type(errors) + ", not an array");
            return;
        }
        Instant from = now.minus(points.recentErrors());
        Instant until = now.plus(points.recentErrors());
        int recent = 0;
        Instant latest = null;
        String latestMessage = "";
        for (JsonNode error : errors) {
            Instant at;
            try {
                at = Instant.parse(error.path("timestamp").asText(""));
            } catch (DateTimeParseException e) {
                continue; // an entry without a time cannot be judged recent
            }
            if (at.isBefore(from) || at.isAfter(until)) {
                continue;
            }
            recent++;
            if (latest == null || at.isAfter(latest)) {
                latest = at;
                latestMessage = error.path("message").asText("");
            }
        }
        if (recent > 0) {
            String message = latestMessage.length() > QUOTED_MESSAGE_CHARS
                    ? latestMessage.substring(0, QUOTED_MESSAGE_CHARS) + "…"
                    : latestMessage;
            out.faults()
                    .add(recent + " miner error" + (recent == 1 ? "" : "s") + " in the last "
                            + points.recentErrors().toMinutes() + " min, latest at " + latest + ": \"" + message
                            + "\"");
        }
    }

    private static void pools(JsonNode groups, Interpretation out) {
        if (!groups.isArray()) {
            out.malformed().add("pools/: the reply is " + type(groups) + ", not an array of pool groups");
            return;
        }
        int enabled = 0;
        int alive = 0;
        for (JsonNode group : groups) {
            for (JsonNode pool : group.path("pools")) {
                if (pool.path("enabled").asBoolean(false)) {
                    enabled++;
                    if (pool.path("alive").asBoolean(false)) {
                        alive++;
                    }
                }
            }
        }
        if (enabled == 0) {
            out.faults().add("no pool is configured and enabled");
        } else if (alive == 0) {
            out.faults().add("none of the " + enabled + " enabled pools is alive");
        }
    }

    /** The mode {@code miner/details} says, or null (with a fault or a malformed note) when it says none. */
    static Mode mode(JsonNode details, List<String> faults, List<String> malformed) {
        JsonNode status = details.get("status");
        if (status == null || !status.isIntegralNumber()) {
            malformed.add("miner/details: status is " + type(status) + ", not an integer");
            return null;
        }
        switch (status.asInt()) {
            case STATUS_NORMAL:
                return Mode.NORMAL;
            case STATUS_PAUSED:
                return Mode.SLEEP;
            case 1:
                faults.add("miner status not started (1)");
                return null;
            case 4:
                faults.add("miner status suspended (4)");
                return null;
            case 5:
                faults.add("miner status restricted (5)");
                return null;
            default:
                faults.add("miner status unknown (" + status.asInt() + ")");
                return null;
        }
    }

    private static DeviceIdentity identity(JsonNode details, JsonNode version) {
        if (!details.isObject()) {
            return null;
        }
        String model =
                details.path("miner_identity").path("miner_model").asText("").strip();
        if (model.isEmpty()) {
            model = details.path("miner_identity").path("name").asText("").strip();
        }
        if (model.isEmpty()) {
            return null;
        }
        String firmware = "Braiins OS";
        String current = details.path("bos_version").path("current").asText("").strip();
        if (!current.isEmpty()) {
            firmware += " " + current;
        }
        if (version != null
                && version.path("major").isIntegralNumber()
                && version.path("minor").isIntegralNumber()
                && version.path("patch").isIntegralNumber()) {
            firmware += " (API " + version.get("major").asInt() + "."
                    + version.get("minor").asInt() + "." + version.get("patch").asInt() + ")";
        }
        return new DeviceIdentity(model, firmware);
    }

    private static boolean object(JsonNode reply, String what, Interpretation out) {
        if (reply.isObject()) {
            return true;
        }
        out.malformed().add(what + ": the reply is " + type(reply) + ", not an object");
        return false;
    }

    /**
     * The finite JSON number at {@code path}; empty (and noted as malformed) when something else is there, empty
     * and quiet when nothing is (a field this firmware does not send).
     */
    private static OptionalDouble number(JsonNode root, String path, String what, Interpretation out) {
        JsonNode node = root;
        StringBuilder walked = new StringBuilder();
        for (String key : path.split("\\.")) {
            if (node.isNull()) {
                return OptionalDouble.empty();
            }
            if (!node.isObject()) {
                out.malformed().add(what + ": " + walked + " is " + type(node) + ", not an object");
                return OptionalDouble.empty();
            }
            node = node.get(key);
            if (node == null) {
                return OptionalDouble.empty();
            }
            walked.append(walked.length() == 0 ? "" : ".").append(key);
        }
        if (node.isNull()) {
            return OptionalDouble.empty();
        }
        if (!node.isNumber() || !Double.isFinite(node.asDouble())) {
            out.malformed().add(what + ": " + path + " is " + type(node) + ", not a number");
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(node.asDouble());
    }

    private static String type(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "missing";
        }
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The node at a path ({@code bos_version.current}), or null; a step into a wrong type is null too. */
    static JsonNode at(JsonNode root, String path) {
        JsonNode node = root;
        for (JsonPath.Step step : JsonPath.parse(path)) {
            if (node == null) {
                return null;
            }
            node = step.key() != null ? node.get(step.key()) : node.get(step.index());
        }
        return node;
    }
}
