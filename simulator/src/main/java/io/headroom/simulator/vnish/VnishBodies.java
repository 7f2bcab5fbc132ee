package io.headroom.simulator.vnish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.simulator.miner.BoardSnapshot;
import io.headroom.simulator.miner.MinerIdentity;
import io.headroom.simulator.miner.MinerSnapshot;
import io.headroom.simulator.miner.MinerSpec;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The bodies of the simulated Vnish API, shaped as the real Vnish 1.2.7 replies of an Antminer S21 Pro captured by
 * block/proto-fleet ({@code tests/plugin-contract/testdata/antminer-vnish/web/*.json}, Apache-2.0) and the vendor's
 * {@code api-doc.json} 1.3.4 schemas: the same keys and nesting, the values taken from one {@link MinerSnapshot}.
 * Hashrates are GH/s ({@code hr_measure}), power whole watts, temperatures whole °C.
 */
final class VnishBodies {

    /** The firmware version the simulated miner reports. */
    static final String FW_VERSION = "1.2.7";

    private static final ObjectMapper JSON = new ObjectMapper();

    private VnishBodies() {}

    /**
     * One autotune preset of the simulated miner.
     *
     * @param watts its power, also its name
     * @param ths the hashrate it gives
     * @param tuned whether autotune has tuned it
     */
    record Preset(long watts, double ths, boolean tuned) {
        String name() {
            return Long.toString(watts);
        }
    }

    static ObjectNode summary(
            MinerSnapshot s, MinerSpec spec, String state, int throttled, boolean poolAlive, boolean metering) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode miner = root.putObject("miner");
        miner.putObject("miner_status")
                .put("miner_state", state)
                .put("miner_state_time", state.equals("mining") ? s.uptime().toSeconds() : 0)
                .put("throttled", throttled);
        miner.put("miner_type", spec.model() + " (Vnish " + FW_VERSION + ")");
        double gh = s.hashrateThs() * 1000;
        miner.put("hr_stock", spec.nameplateThs() * 1000);
        miner.put("average_hashrate", s.averages().fiveMinuteThs());
        miner.put("instant_hashrate", s.hashrateThs());
        miner.put("hr_realtime", gh);
        miner.put("hr_nominal", spec.nameplateThs() * 1000);
        miner.put("hr_average", s.averages().fiveMinuteThs() * 1000);
        miner.putObject("pcb_temp")
                .put("min", minPcb(s))
                .put("max", s.boardTempsC().stream().mapToInt(i -> i).max().orElse(0));
        miner.putObject("chip_temp").put("min", minChip(s)).put("max", s.maxChipTempC());
        long watts = Math.round(s.powerWatts());
        miner.put("power_consumption", watts);
        miner.put("power_usage", watts);
        miner.put("power_efficiency", s.hashrateThs() > 0 ? s.powerWatts() / s.hashrateThs() : 0.0);
        miner.put("hw_errors_percent", 0.0);
        miner.put("hr_error", 0.0);
        miner.put("hw_errors", 0);
        miner.put("devfee_percent", 2.8);
        miner.put("devfee", gh * 0.028);
        ArrayNode pools = miner.putArray("pools");
        pools.addObject()
                .put("id", 0)
                .put("url", "stratum.pool.example.com:3333")
                .put("pool_type", "UserPool")
                .put("user", "worker.1")
                .put("status", poolAlive ? (state.equals("mining") ? "active" : "working") : "offline")
                .put("asic_boost", true)
                .put("diff", "262K")
                .put("accepted", Math.round(s.workTerahashes() / 1e6))
                .put("rejected", 0)
                .put("stale", 0)
                .put("ls_diff", 262144.0)
                .put("ls_time", "0:00:04")
                .put("diffa", 0.0)
                .put("ping", 8);
        pools.addObject()
                .put("id", 1)
                .put("url", "DevFee")
                .put("pool_type", "DevFee")
                .put("user", "DevFee")
                .put("status", "active")
                .put("asic_boost", true)
                .put("diff", "16.4K")
                .put("accepted", 0)
                .put("rejected", 0)
                .put("stale", 0)
                .put("ls_diff", 16384.0)
                .put("ls_time", "0:00:13")
                .put("diffa", 0.0)
                .put("ping", 49);
        ObjectNode cooling = miner.putObject("cooling");
        cooling.put("fan_num", s.fanRpms().size());
        ArrayNode fans = cooling.putArray("fans");
        for (int i = 0; i < s.fanRpms().size(); i++) {
            fans.addObject()
                    .put("id", i)
                    .put("rpm", s.fanRpms().get(i))
                    .put("status", "ok")
                    .put("max_rpm", 6500);
        }
        cooling.putObject("settings").putObject("mode").put("name", "auto");
        cooling.put("fan_duty", state.equals("stopped") ? 10 : 90);
        ArrayNode chains = miner.putArray("chains");
        for (BoardSnapshot b : s.boards()) {
            ObjectNode chain = chains.addObject();
            chain.put("id", b.index() + 1);
            chain.put("frequency", state.equals("stopped") ? 0.0 : 495.0);
            chain.put("voltage", 13000);
            chain.put(
                    "power_consumption", Math.round(s.powerWatts() / s.boards().size()));
            chain.put("hashrate_ideal", spec.nameplateThs() * 1000 / spec.boards());
            chain.put("hashrate_rt", b.hashrateThs() * 1000);
            chain.put(
                    "hashrate_percentage",
                    spec.nameplateThs() > 0 ? 100 * b.hashrateThs() * spec.boards() / spec.nameplateThs() : 0.0);
            chain.put("hr_error", 0.0);
            chain.put("hw_errors", 0);
            chain.putObject("pcb_temp")
                    .put("min", b.pcbTempsC().stream().mapToInt(i -> i).min().orElse(0))
                    .put("max", b.maxPcbTempC());
            chain.putObject("chip_temp")
                    .put("min", b.chipTempsC().stream().mapToInt(i -> i).min().orElse(0))
                    .put("max", b.maxChipTempC());
            chain.putObject("chip_statuses").put("red", 0).put("orange", 0).put("grey", spec.chipsPerBoard());
            chain.putObject("status").put("state", state.equals("stopped") ? "stopped" : "mining");
        }
        miner.put("found_blocks", 0);
        miner.put("best_share", 169988423L);
        ObjectNode psu = miner.putObject("psu");
        psu.putObject("temps").put("pfc_temp", 44).put("llc1_temp", 45).put("llc2_temp", 47);
        psu.put("psu_power_metering", metering);
        return root;
    }

    static ObjectNode perfSummary(Preset current, List<Preset> presets) {
        ObjectNode root = JSON.createObjectNode();
        preset(root.putObject("current_preset"), current);
        ObjectNode switcher = root.putObject("preset_switcher");
        switcher.put("enabled", false)
                .put("top_preset", presets.get(presets.size() - 1).name())
                .put("decrease_temp", 75)
                .put("rise_temp", 55)
                .put("check_time", 300)
                .put("autochange_top_preset", false)
                .put("ignore_fan_speed", false)
                .put("min_preset", presets.get(0).name())
                .put("power_delta", 0);
        return root;
    }

    static ArrayNode presets(List<Preset> presets) {
        ArrayNode root = JSON.createArrayNode();
        root.addObject()
                .put("name", "disabled")
                .put("pretty", "Disabled")
                .put("status", "untuned")
                .put("modded_psu_required", false);
        presets.forEach(p -> preset(root.addObject(), p));
        return root;
    }

    static ObjectNode settings(Preset current) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode miner = root.putObject("miner");
        ObjectNode overclock = miner.putObject("overclock");
        overclock.put("modded_psu", false).put("preset", current.name());
        overclock.putObject("globals").put("volt", 1270).put("freq", 555);
        miner.putArray("pools")
                .addObject()
                .put("url", "stratum.pool.example.com:3333")
                .put("user", "worker.1")
                .put("pass", "x");
        root.putObject("ui").put("theme", "auto").put("locale", "en").put("timezone", "GMT");
        root.putObject("regional").putObject("timezone").put("current", "GMT");
        root.putObject("network").put("hostname", "Antminer").put("dhcp", true);
        root.putNull("password");
        root.putNull("layout");
        return root;
    }

    static ObjectNode info(MinerSpec spec, MinerIdentity identity) {
        ObjectNode root = JSON.createObjectNode();
        root.put("miner", spec.model());
        root.put("model", spec.model().replace("Antminer ", "").replace(" ", "").toLowerCase(Locale.ROOT));
        root.put("fw_name", "Vnish");
        root.put("fw_version", FW_VERSION);
        root.put("build_name", "vnishus");
        root.put("platform", "aml");
        root.put("install_type", "nand");
        root.put("build_time", "2025-12-22 19:12:30");
        root.put("algorithm", "sha256d");
        root.put("hr_measure", "GH/s");
        ObjectNode system = root.putObject("system");
        system.put("os", "GNU/Linux");
        system.putObject("network_status")
                .put("mac", identity.macAddress())
                .put("dhcp", true)
                .put("hostname", identity.hostname());
        root.put("serial", identity.serialNumber());
        return root;
    }

    static ObjectNode saved() {
        return JSON.createObjectNode().put("restart_required", false).put("reboot_required", false);
    }

    private static void preset(ObjectNode node, Preset p) {
        node.put("name", p.name())
                .put("pretty", p.watts() + " watt ~ " + Math.round(p.ths()) + " TH")
                .put("status", p.tuned() ? "tuned" : "untuned")
                .put("modded_psu_required", false);
    }

    private static int minPcb(MinerSnapshot s) {
        return s.boards().stream()
                .flatMap(b -> b.pcbTempsC().stream())
                .mapToInt(i -> i)
                .min()
                .orElse(0);
    }

    private static int minChip(MinerSnapshot s) {
        return s.boards().stream()
                .flatMap(b -> b.chipTempsC().stream())
                .mapToInt(i -> i)
                .min()
                .orElse(0);
    }

    /** The same body with every number turned into a string and every object into an array of it. */
    static JsonNode wrongTypes(JsonNode body) {
        if (body.isNumber()) {
            return JSON.getNodeFactory().textNode("n/a " + body.asText());
        }
        if (body.isObject()) {
            ObjectNode copy = JSON.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                JsonNode value = wrongTypes(field.getValue());
                copy.set(
                        field.getKey(),
                        value.isObject() ? JSON.createArrayNode().add(value) : value);
            }
            return copy;
        }
        if (body.isArray()) {
            ArrayNode copy = JSON.createArrayNode();
            body.forEach(item -> copy.add(wrongTypes(item)));
            return copy;
        }
        return body;
    }
}
