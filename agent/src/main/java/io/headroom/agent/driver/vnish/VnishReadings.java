package io.headroom.agent.driver.vnish;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.agent.driver.DeviceIdentity;
import io.headroom.agent.driver.Reading;
import io.headroom.agent.driver.cgminer.JsonPath;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.Mode;
import io.headroom.protocol.wire.Quality;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * What the Vnish API's replies say, in canonical metrics (the shapes of the vendor's {@code api-doc.json} 1.2.6–1.3.4
 * and of a real Vnish 1.2.7 capture, reference/DEVICES.md §4.6):
 *
 * <ul>
 *   <li>{@code summary} {@code miner}: {@code power_consumption} → {@code power} (UNCERTAIN when {@code psu} says
 *       {@code psu_power_metering: false}: the firmware then estimates it); {@code hr_realtime} (or
 *       {@code hr_average}) → {@code hashrate}; each chain {@code id} → {@code board<id>}: {@code hashrate_rt},
 *       {@code chip_temp.max} → {@code temperature.chip}, {@code pcb_temp.max} → {@code temperature.board}, hydro
 *       models' {@code inlet_water_temp}/{@code outlet_water_temp} → {@code temperature.inlet/outlet};
 *       {@code cooling.fans[]} {@code id} → {@code fan<id + 1>} {@code fan.speed};
 *       {@code miner_status.miner_state} → {@code mode} (stopped / shutting-down → sleep, the others normal,
 *       failure → a device fault); a failed or disconnected chain, a lost fan, enabled pools none of which is
 *       alive → device faults;
 *   <li>{@code perf-summary}: {@code current_preset.name}, when it is a number of watts → {@code power.target};
 *   <li>{@code info}: {@code miner}, {@code fw_name} and {@code fw_version} → identity, and {@code hr_measure}, the
 *       unit of every hashrate (GH/s on SHA-256 models).
 * </ul>
 *
 * The API is typed: a number sent as a string, an object sent as an array, is a malformed reply (counted, the poll
 * DEGRADED {@code bad-response}), never guessed at.
 */
final class VnishReadings {

    /** A preset name that is a wattage ({@code "3160"}); others ({@code "disabled"}) are manual settings. */
    static final Pattern WATTS = Pattern.compile("[1-9][0-9]{0,5}");

    private VnishReadings() {}

    /**
     * @param identity model and firmware when {@code info} or {@code summary} said them, else null
     * @param readings readings in canonical units
     * @param faults what the miner reports as failing (DEGRADED {@code device-status})
     * @param malformed replies that lacked what was expected or had the wrong types (DEGRADED {@code bad-response})
     */
    record Interpretation(
            DeviceIdentity identity, List<Reading> readings, List<String> faults, List<String> malformed) {}

    static Interpretation interpret(Map<String, JsonNode> replies, VnishPoints points) {
        Interpretation out = new Interpretation(null, new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        JsonNode info = replies.get("info");
        double toTh = info == null ? 1e-3 : hashrateScale(info, out);
        JsonNode summary = replies.get("summary");
        JsonNode miner = null;
        if (summary != null && object(summary, "summary", out)) {
            miner = summary.get("miner");
            if (miner == null || miner.isMissingNode()) {
                out.malformed().add("summary: miner is missing");
                miner = null;
            } else if (miner.isNull()) {
                out.faults().add("the miner has no stats yet (summary.miner is null: the miner software is starting)");
                miner = null;
            } else if (!miner.isObject()) {
                out.malformed().add("summary: miner is " + type(miner) + ", not an object");
                miner = null;
            }
        }
        if (miner != null) {
            miner(miner, points, toTh, out);
        }
        JsonNode perf = replies.get("perf-summary");
        if (perf != null && object(perf, "perf-summary", out)) {
            preset(perf, out);
        }
        return new Interpretation(identity(info, miner), out.readings(), out.faults(), out.malformed());
    }

    private static void miner(JsonNode miner, VnishPoints points, double toTh, Interpretation out) {
        String what = "summary.miner";
        boolean estimated = miner.path("psu").path("psu_power_metering").isBoolean()
                && !miner.path("psu").path("psu_power_metering").asBoolean();
        number(miner, "power_consumption", what, out).ifPresent(w -> {
            Reading plain = Reading.of(MetricDictionary.POWER, "", w);
            out.readings().add(estimated ? new Reading(plain.metric(), "", w, Quality.QUALITY_UNCERTAIN) : plain);
        });
        String total = points.hashrate().equals("average") ? "hr_average" : "hr_realtime";
        if (Double.isFinite(toTh)) {
            number(miner, total, what, out)
                    .ifPresent(h -> out.readings().add(Reading.of(MetricDictionary.HASHRATE, "", h * toTh)));
        }
        chains(miner.get("chains"), toTh, out);
        fans(miner.path("cooling"), out);
        pools(miner.get("pools"), out);
        Mode mode = mode(miner, out.faults(), out.malformed());
        if (mode != null) {
            out.readings().add(Reading.of(MetricDictionary.MODE, "", mode.code()));
        }
    }

    private static void chains(JsonNode chains, double toTh, Interpretation out) {
        if (chains == null || chains.isNull()) {
            return;
        }
        if (!chains.isArray()) {
            out.malformed().add("summary.miner: chains is " + type(chains) + ", not an array");
            return;
        }
        for (JsonNode chain : chains) {
            JsonNode id = chain.get("id");
            if (!chain.isObject() || id == null || !id.isIntegralNumber() || id.asInt() < 0 || id.asInt() > 99) {
                out.malformed().add("summary.miner.chains: a chain without a usable id");
                continue;
            }
            String instance = "board" + id.asInt();
            String what = "summary.miner.chains[" + id.asInt() + "]";
            String state = chain.path("status").path("state").asText("");
            if (state.equals("disabled")) {
                continue; // a disabled board reports nothing worth a reading
            }
            if (state.equals("failure") || state.equals("disconnected")) {
                String description =
                        chain.path("status").path("description").asText("").strip();
                out.faults()
                        .add("board " + id.asInt() + " " + state
                                + (description.isEmpty() ? "" : " (" + quote(description) + ")"));
            }
            if (Double.isFinite(toTh)) {
                number(chain, "hashrate_rt", what, out)
                        .ifPresent(h -> out.readings().add(Reading.of(MetricDictionary.HASHRATE, instance, h * toTh)));
            }
            number(chain, "chip_temp.max", what, out)
                    .ifPresent(c -> out.readings().add(Reading.of(MetricDictionary.TEMPERATURE_CHIP, instance, c)));
            number(chain, "pcb_temp.max", what, out)
                    .ifPresent(c -> out.readings().add(Reading.of(MetricDictionary.TEMPERATURE_BOARD, instance, c)));
            number(chain, "inlet_water_temp", what, out)
                    .ifPresent(c -> out.readings().add(Reading.of(MetricDictionary.TEMPERATURE_INLET, instance, c)));
            number(chain, "outlet_water_temp", what, out)
                    .ifPresent(c -> out.readings().add(Reading.of(MetricDictionary.TEMPERATURE_OUTLET, instance, c)));
        }
    }

    private static void fans(JsonNode cooling, Interpretation out) {
        if (cooling.isMissingNode() || cooling.isNull()) {
            return;
        }
        JsonNode fans = cooling.get("fans");
        if (!cooling.isObject() || fans == null || !fans.isArray()) {
            out.malformed().add("summary.miner.cooling: fans is " + type(fans) + ", not an array");
            return;
        }
        int lost = 0;
        for (JsonNode fan : fans) {
            JsonNode id = fan.get("id");
            if (id == null || !id.isIntegralNumber() || id.asInt() < 0 || id.asInt() > 63) {
                out.malformed().add("summary.miner.cooling: a fan without a usable id");
                continue;
            }
            String instance = "fan" + (id.asInt() + 1);
            if (fan.path("status").asText("").equals("lost")) {
                lost++;
            }
            number(fan, "rpm", "summary.miner.cooling " + instance, out)
                    .ifPresent(rpm -> out.readings().add(Reading.of(MetricDictionary.FAN_SPEED, instance, rpm)));
        }
        if (lost > 0) {
            out.faults().add(lost + " fan" + (lost == 1 ? "" : "s") + " lost");
        }
    }

    /** User pools (not the firmware's DevFee pool) with a URL: none alive is a fault. */
    private static void pools(JsonNode pools, Interpretation out) {
        if (pools == null || pools.isNull()) {
            return;
        }
        if (!pools.isArray()) {
            out.malformed().add("summary.miner: pools is " + type(pools) + ", not an array");
            return;
        }
        int configured = 0;
        int alive = 0;
        for (JsonNode pool : pools) {
            String status = pool.path("status").asText("");
            if (pool.path("pool_type").asText("").equals("DevFee")
                    || pool.path("url").asText("").isBlank()
                    || status.equals("disabled")) {
                continue;
            }
            configured++;
            if (status.equals("active") || status.equals("working")) {
                alive++;
            }
        }
        if (configured == 0) {
            out.faults().add("no pool is configured and enabled");
        } else if (alive == 0) {
            out.faults().add("none of the " + configured + " configured pools is alive");
        }
    }

    /** The active preset's wattage as the power target; a manual setting ({@code disabled}) has none. */
    private static void preset(JsonNode perf, Interpretation out) {
        JsonNode current = perf.get("current_preset");
        if (current == null || current.isNull()) {
            return;
        }
        JsonNode name = current.get("name");
        if (!current.isObject() || name == null || !name.isTextual()) {
            out.malformed().add("perf-summary: current_preset.name is " + type(name) + ", not a string");
            return;
        }
        if (WATTS.matcher(name.asText()).matches()) {
            out.readings().add(Reading.of(MetricDictionary.POWER_TARGET, "", Long.parseLong(name.asText())));
        }
    }

    /**
     * The mode {@code summary.miner.miner_status.miner_state} says, or null (with a fault or a malformed note) when it
     * says none.
     */
    static Mode mode(JsonNode miner, List<String> faults, List<String> malformed) {
        JsonNode status = miner.path("miner_status");
        JsonNode state = status.get("miner_state");
        if (state == null || !state.isTextual()) {
            malformed.add("summary.miner.miner_status: miner_state is " + type(state) + ", not a string");
            return null;
        }
        switch (state.asText()) {
            case "mining", "auto-tuning", "initializing", "starting", "restarting":
                return Mode.NORMAL;
            case "stopped", "shutting-down":
                return Mode.SLEEP;
            case "failure":
                String description = status.path("description").asText("").strip();
                JsonNode code = status.get("failure_code");
                faults.add("miner state failure"
                        + (code != null && code.isIntegralNumber() ? " (code " + code.asInt() + ")" : "")
                        + (description.isEmpty() ? "" : ": " + quote(description)));
                return null;
            default:
                faults.add("miner state unknown ('" + quote(state.asText()) + "')");
                return null;
        }
    }

    /** The factor from {@code info.hr_measure} to TH/s (GH/s when it says none). */
    private static double hashrateScale(JsonNode info, Interpretation out) {
        String measure = info.path("hr_measure").asText("GH/s");
        switch (measure) {
            case "GH/s":
                return 1e-3;
            case "TH/s":
                return 1;
            case "MH/s":
                return 1e-6;
            default:
                out.malformed().add("info: hr_measure '" + quote(measure) + "' is not a SHA-256 hashrate unit");
                return Double.NaN;
        }
    }

    private static DeviceIdentity identity(JsonNode info, JsonNode miner) {
        String model = "";
        String firmware = "";
        if (info != null && info.isObject()) {
            model = info.path("miner").asText("").strip();
            String name = info.path("fw_name").asText("").strip();
            String version = info.path("fw_version").asText("").strip();
            firmware = (name.isEmpty() ? "Vnish" : name) + (version.isEmpty() ? "" : " " + version);
        }
        if (model.isEmpty() && miner != null) {
            // "Antminer S21 Pro (Vnish 1.2.7)": the model, then the firmware in parentheses.
            String type = miner.path("miner_type").asText("").strip();
            int open = type.lastIndexOf(" (");
            if (open > 0 && type.endsWith(")")) {
                model = type.substring(0, open).strip();
                if (firmware.isEmpty()) {
                    firmware = type.substring(open + 2, type.length() - 1).strip();
                }
            } else {
                model = type;
            }
        }
        if (model.isEmpty()) {
            return null;
        }
        return new DeviceIdentity(model, firmware.isEmpty() ? "Vnish" : firmware);
    }

    private static boolean object(JsonNode reply, String what, Interpretation out) {
        if (reply.isObject()) {
            return true;
        }
        out.malformed().add(what + ": the reply is " + type(reply) + ", not an object");
        return false;
    }

    /**
     * The finite JSON number at {@code path}; empty (and noted as malformed) when something else is there, empty and
     * quiet when nothing is (a field this firmware does not send).
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

    static String type(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "missing";
        }
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    /** A miner-given text, cut to 200 characters, for a message. */
    static String quote(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    /** The node at a path ({@code fw_name}), or null; a step into a wrong type is null too. */
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
