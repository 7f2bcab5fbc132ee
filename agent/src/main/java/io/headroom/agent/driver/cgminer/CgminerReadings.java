package io.headroom.agent.driver.cgminer;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.agent.driver.DeviceIdentity;
import io.headroom.agent.driver.Reading;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.Mode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns parsed CGMiner replies into canonical readings: the profile's field mappings first, then
 * the family's board decoder. A pure function of (profile, replies), which is what the golden
 * cases of {@code firmware-profiles} exercise.
 *
 * <p>The {@code antminer} board decoder reads the Antminer-style {@code STATS} entry (reference/
 * DEVICES.md §4.1): {@code GHS 5s} and {@code chain_rate{n}} in {@code rate_unit} (GH when
 * absent), {@code temp_chip{n}} / {@code temp_pcb{n}} as "a-b-c-d" sensor lists (or the newer
 * {@code temp_in_*}/{@code temp_out_*} split), {@code fan{n}} with {@code fan_num}, and
 * {@code chain_power} / {@code Power} when a firmware reports power there; from {@code SUMMARY} the
 * miner's own average since it started mining ({@code GHS av}, or {@code MHS av}) as {@code hashrate.average}.
 */
public final class CgminerReadings {

    /** Name of the Antminer-style STATS board decoder in profiles ({@code board-stats: antminer}). */
    public static final String ANTMINER_BOARD_STATS = "antminer";

    private static final Pattern LEADING_NUMBER =
            Pattern.compile("\\s*([-+]?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?).*", Pattern.DOTALL);
    private static final Pattern INDEXED = Pattern.compile("(chain_rate|chain_acn|fan)(\\d{1,3})");
    private static final Pattern BOARD_FIELD = Pattern.compile(
            "GHS 5s|rate_unit|chain_power|(chain_rate|chain_acn|fan|temp_chip|temp_pcb)\\d+|temp_(in|out)_(chip|pcb)_\\d+");
    private static final String[] FIRMWARE_KEYS = {"LUXminer", "BOSminer", "BMMiner", "CGMiner", "Miner"};

    private CgminerReadings() {}

    /**
     * Maps replies (by command) to readings, one per metric and instance; a field mapping wins
     * over the board decoder. Missing replies or fields yield no reading, never a guessed one.
     *
     * @throws IllegalArgumentException when the profile names an unknown board decoder
     */
    public static List<Reading> read(CgminerPoints profile, Map<String, JsonNode> replies) {
        return read(profile, replies, new ArrayList<>());
    }

    /**
     * As {@link #read(CgminerPoints, Map)}; a reply whose contents cannot be decoded (an Avalon status string
     * cut short) adds its failure to {@code problems} and gives no readings of its own.
     */
    static List<Reading> read(CgminerPoints profile, Map<String, JsonNode> replies, List<CgminerException> problems) {
        Map<String, Reading> byKey = new LinkedHashMap<>();
        for (FieldMapping field : profile.fields()) {
            JsonNode reply = replies.get(field.command());
            if (reply == null) {
                continue;
            }
            OptionalDouble value = fieldValue(field, reply);
            if (value.isPresent()) {
                put(byKey, field.metric(), field.instance(), value.getAsDouble());
            }
        }
        switch (profile.boardStats()) {
            case "":
                break;
            case ANTMINER_BOARD_STATS:
                antminerStats(replies.get("stats"), replies.get("summary"), byKey);
                break;
            case CgminerPoints.AVALON_BOARD_STATS:
                AvalonPoints avalon = profile.avalon().orElseThrow();
                JsonNode reply = replies.get(avalon.command());
                try {
                    Optional<AvalonStatus> status = AvalonReadings.status(reply);
                    status.ifPresent(s -> AvalonReadings.read(s, avalon, (m, i, v) -> put(byKey, m, i, v)));
                    if (reply != null && status.isEmpty()) {
                        problems.add(new CgminerException(
                                CgminerException.BAD_RESPONSE, avalon.command() + ": reply has no MM ID0 status"));
                    }
                } catch (AvalonStatusException e) {
                    problems.add(new CgminerException(
                            e.truncated() ? CgminerException.TRUNCATED : CgminerException.BAD_RESPONSE,
                            avalon.command() + ": MM ID0: " + e.getMessage()));
                }
                break;
            default:
                throw new IllegalArgumentException(
                        "unknown board-stats '" + profile.boardStats() + "'; known: " + ANTMINER_BOARD_STATS);
        }
        profile.powerPresets().filter(PowerPresets::fromDevice).ifPresent(presets -> {
            OptionalDouble watts = PresetReadings.activeWatts(
                    presets, replies.get(presets.command()), replies.get(presets.activeCommand()));
            watts.ifPresent(v -> put(byKey, MetricDictionary.POWER_TARGET, "", v));
        });
        return List.copyOf(byKey.values());
    }

    /**
     * The value of one field mapping in a reply: a number times the scale, or a state's mode
     * code; empty when absent, not finite, or a state text the profile does not list.
     */
    public static OptionalDouble fieldValue(FieldMapping field, JsonNode reply) {
        JsonNode node = at(reply, field.path());
        if (!field.states().isEmpty()) {
            if (node == null || !node.isValueNode() || node.isNull()) {
                return OptionalDouble.empty();
            }
            Mode mode = field.states().get(node.asText());
            return mode == null ? OptionalDouble.empty() : OptionalDouble.of(mode.code());
        }
        OptionalDouble number = number(node);
        return number.isPresent() ? OptionalDouble.of(number.getAsDouble() * field.scale()) : number;
    }

    /** Model and firmware from a {@code version} reply, or null when it names neither. */
    public static DeviceIdentity identity(JsonNode versionReply) {
        JsonNode version = versionReply.path("VERSION").path(0);
        String model = version.path("Type").asText("").strip();
        if (model.isEmpty()) {
            model = version.path("PROD").asText("").strip(); // Avalon: "AvalonMiner 15-194"
        }
        String firmware = "";
        for (String key : FIRMWARE_KEYS) {
            String value = version.path(key).asText("").strip();
            if (!value.isEmpty()) {
                firmware = key + " " + value;
                break;
            }
        }
        if (model.isEmpty() && firmware.isEmpty()) {
            return null;
        }
        return new DeviceIdentity(model.isEmpty() ? "unknown" : model, firmware.isEmpty() ? "unknown" : firmware);
    }

    /** True when the profile's identify rule matches this reply to its identify command. */
    public static boolean identifies(CgminerMatch rule, JsonNode reply) {
        JsonNode node = at(reply, rule.path());
        return node != null
                && node.isValueNode()
                && !node.isNull()
                && rule.compiled().matcher(node.asText()).find();
    }

    /** The node at a profile path, or null. */
    static JsonNode at(JsonNode root, String path) {
        JsonNode node = root;
        for (JsonPath.Step step : JsonPath.parse(path)) {
            node = step.key() != null ? node.get(step.key()) : node.get(step.index());
            if (node == null) {
                return null;
            }
        }
        return node;
    }

    /**
     * A finite number from a JSON number or a string that starts with one ({@code "3250 W"},
     * {@code "18910.28"}); empty for null, empty strings, {@code inf}/{@code nan} and anything else.
     */
    static OptionalDouble number(JsonNode node) {
        double value;
        if (node == null || node.isNull()) {
            return OptionalDouble.empty();
        } else if (node.isNumber()) {
            value = node.doubleValue();
        } else if (node.isTextual()) {
            Matcher m = LEADING_NUMBER.matcher(node.asText());
            if (!m.matches()) {
                return OptionalDouble.empty();
            }
            value = Double.parseDouble(m.group(1));
        } else {
            return OptionalDouble.empty();
        }
        return Double.isFinite(value) ? OptionalDouble.of(value) : OptionalDouble.empty();
    }

    /** Hottest of a sensor list: a number, "a-b-c-d" text, or an array; zeros alone mean no sensor. */
    static OptionalDouble hottest(JsonNode... nodes) {
        double max = Double.NEGATIVE_INFINITY;
        boolean any = false;
        for (JsonNode node : nodes) {
            List<Double> parts = new ArrayList<>();
            if (node == null || node.isNull()) {
                continue;
            } else if (node.isArray()) {
                node.forEach(element -> number(element).ifPresent(parts::add));
            } else if (node.isTextual()) {
                // "47-34-34-47": sensors separated by '-', so no negative readings in this form.
                for (String part : node.asText().split("-")) {
                    String p = part.strip();
                    if (!p.isEmpty()) {
                        number(com.fasterxml.jackson.databind.node.TextNode.valueOf(p))
                                .ifPresent(parts::add);
                    }
                }
            } else {
                number(node).ifPresent(parts::add);
            }
            for (double part : parts) {
                if (part != 0) {
                    any = true;
                    max = Math.max(max, part);
                }
            }
        }
        return any ? OptionalDouble.of(max) : OptionalDouble.empty();
    }

    private static void put(Map<String, Reading> byKey, String metric, String instance, double value) {
        if (Double.isFinite(value)) { // a scale can overflow a huge device value to infinity
            byKey.putIfAbsent(MetricDictionary.displayKey(metric, instance), Reading.of(metric, instance, value));
        }
    }

    /** Factor from the firmware's rate unit to TH/s; NaN for a unit we do not know. */
    private static double rateFactor(String unit) {
        switch (unit.strip().toUpperCase(Locale.ROOT)) {
            case "TH":
            case "TH/S":
                return 1;
            case "GH":
            case "GH/S":
                return 1e-3;
            case "MH":
            case "MH/S":
                return 1e-6;
            case "KH":
            case "KH/S":
                return 1e-9;
            default:
                return Double.NaN;
        }
    }

    /**
     * The STATS entry with the board fields: the first one with any of them. Boards are not always
     * numbered from 1 (the S9 uses chain_rate6..8), so any index counts.
     */
    private static JsonNode boardEntry(JsonNode statsReply) {
        if (statsReply == null) {
            return null;
        }
        for (JsonNode entry : statsReply.path("STATS")) {
            for (Iterator<String> it = entry.fieldNames(); it.hasNext(); ) {
                if (BOARD_FIELD.matcher(it.next()).matches()) {
                    return entry;
                }
            }
        }
        return null;
    }

    private static void antminerStats(JsonNode statsReply, JsonNode summaryReply, Map<String, Reading> byKey) {
        JsonNode stats = boardEntry(statsReply);
        double factor =
                rateFactor(stats == null ? "GH" : stats.path("rate_unit").asText("GH"));
        if (stats != null) {
            if (Double.isFinite(factor)) {
                number(stats.get("GHS 5s")).ifPresent(v -> put(byKey, MetricDictionary.HASHRATE, "", v * factor));
            }
            boards(stats, factor, byKey);
            fans(stats, byKey);
            for (String key : new String[] {"chain_power", "Power", "power"}) {
                OptionalDouble watts = number(stats.get(key));
                if (watts.isPresent()) {
                    put(byKey, MetricDictionary.POWER, "", watts.getAsDouble());
                    break;
                }
            }
        }
        // Hashrate falls back to SUMMARY when STATS had none (or failed).
        if (summaryReply != null && Double.isFinite(factor)) {
            JsonNode summary = summaryReply.path("SUMMARY").path(0);
            OptionalDouble ghs = number(summary.get("GHS 5s"));
            if (ghs.isPresent()) {
                put(byKey, MetricDictionary.HASHRATE, "", ghs.getAsDouble() * factor);
            } else {
                number(summary.get("MHS 5s")).ifPresent(mhs -> put(byKey, MetricDictionary.HASHRATE, "", mhs * 1e-6));
            }
            OptionalDouble ghsAverage = number(summary.get("GHS av"));
            if (ghsAverage.isPresent()) {
                put(byKey, MetricDictionary.HASHRATE_AVERAGE, "", ghsAverage.getAsDouble() * factor);
            } else {
                number(summary.get("MHS av"))
                        .ifPresent(mhs -> put(byKey, MetricDictionary.HASHRATE_AVERAGE, "", mhs * 1e-6));
            }
        }
    }

    private static void boards(JsonNode stats, double factor, Map<String, Reading> byKey) {
        TreeSet<Integer> indexes = new TreeSet<>();
        for (Iterator<String> it = stats.fieldNames(); it.hasNext(); ) {
            Matcher m = INDEXED.matcher(it.next());
            if (m.matches() && !m.group(1).equals("fan")) {
                indexes.add(Integer.parseInt(m.group(2)));
            }
        }
        OptionalDouble hottestChip = OptionalDouble.empty();
        OptionalDouble hottestBoard = OptionalDouble.empty();
        for (int n : indexes) {
            OptionalDouble rate = number(stats.get("chain_rate" + n));
            OptionalDouble chips = number(stats.get("chain_acn" + n));
            boolean present =
                    (chips.isPresent() && chips.getAsDouble() > 0) || (rate.isPresent() && rate.getAsDouble() > 0);
            if (!present) {
                continue; // an empty slot: chain_acn 0 and no rate
            }
            String board = "board" + n;
            if (rate.isPresent() && Double.isFinite(factor)) {
                put(byKey, MetricDictionary.HASHRATE, board, rate.getAsDouble() * factor);
            }
            OptionalDouble chip = stats.has("temp_chip" + n)
                    ? hottest(stats.get("temp_chip" + n))
                    : hottest(stats.get("temp_in_chip_" + n), stats.get("temp_out_chip_" + n));
            OptionalDouble pcb = stats.has("temp_pcb" + n)
                    ? hottest(stats.get("temp_pcb" + n))
                    : hottest(stats.get("temp_in_pcb_" + n), stats.get("temp_out_pcb_" + n));
            if (chip.isPresent()) {
                put(byKey, MetricDictionary.TEMPERATURE_CHIP, board, chip.getAsDouble());
                hottestChip = max(hottestChip, chip.getAsDouble());
            }
            if (pcb.isPresent()) {
                put(byKey, MetricDictionary.TEMPERATURE_BOARD, board, pcb.getAsDouble());
                hottestBoard = max(hottestBoard, pcb.getAsDouble());
            }
        }
        hottestChip.ifPresent(v -> put(byKey, MetricDictionary.TEMPERATURE_CHIP, "", v));
        hottestBoard.ifPresent(v -> put(byKey, MetricDictionary.TEMPERATURE_BOARD, "", v));
    }

    private static OptionalDouble max(OptionalDouble current, double value) {
        return OptionalDouble.of(current.isPresent() ? Math.max(current.getAsDouble(), value) : value);
    }

    private static void fans(JsonNode stats, Map<String, Reading> byKey) {
        Map<Integer, Double> fans = new TreeMap<>();
        for (Map.Entry<String, JsonNode> field : stats.properties()) {
            Matcher m = INDEXED.matcher(field.getKey());
            if (m.matches() && m.group(1).equals("fan")) {
                number(field.getValue()).ifPresent(rpm -> fans.put(Integer.parseInt(m.group(2)), rpm));
            }
        }
        long running = fans.values().stream().filter(rpm -> rpm != 0).count();
        OptionalDouble fanNum = number(stats.get("fan_num"));
        // Antminers list more fan slots than they have; a 0 is an empty slot only when fan_num
        // says the running fans are all there are. Otherwise a 0 is a stopped fan and is reported.
        boolean zerosAreEmptySlots = fanNum.isPresent() && running >= fanNum.getAsDouble();
        for (Map.Entry<Integer, Double> fan : fans.entrySet()) {
            if (fan.getValue() == 0 && zerosAreEmptySlots) {
                continue;
            }
            put(byKey, MetricDictionary.FAN_SPEED, "fan" + fan.getKey(), fan.getValue());
        }
    }
}
