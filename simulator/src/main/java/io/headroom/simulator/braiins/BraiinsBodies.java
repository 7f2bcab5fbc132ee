package io.headroom.simulator.braiins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.protocol.Mode;
import io.headroom.simulator.miner.BoardSnapshot;
import io.headroom.simulator.miner.HashrateAverages;
import io.headroom.simulator.miner.MinerIdentity;
import io.headroom.simulator.miner.MinerSnapshot;
import io.headroom.simulator.miner.MinerSpec;
import java.util.Iterator;
import java.util.Map;

/**
 * The bodies of the simulated REST API, shaped as the real Braiins OS 25.07–26.04 replies captured by asic-rs
 * ({@code asic-rs-firmwares/braiins/src/test/json/v25_07/*.json}, Apache-2.0): the same keys and nesting, the
 * values taken from one {@link MinerSnapshot}. Hashrates are GH/s objects ({@code gigahash_per_second}), power
 * whole watts ({@code watt}), temperatures {@code degree_c}.
 */
final class BraiinsBodies {

    /** {@code miner/details} {@code status}: the gRPC {@code MinerStatus} enum's normal and paused. */
    static final int STATUS_NORMAL = 2;

    static final int STATUS_PAUSED = 3;

    /** The firmware version the simulated miner reports (the v25_07 capture's). */
    static final String BOS_VERSION = "2025-08-06-0-3881c51d-25.07-plus";

    private static final ObjectMapper JSON = new ObjectMapper();

    private BraiinsBodies() {}

    static ObjectNode stats(MinerSnapshot s, MinerSpec spec) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode miner = root.putObject("miner_stats");
        miner.put("best_share", 776342690L);
        miner.putObject("error_hashrate").put("megahash_per_second", 0.0);
        miner.put("found_blocks", 0);
        gigahash(miner.putObject("nominal_hashrate"), spec.nameplateThs());
        realHashrate(miner.putObject("real_hashrate"), s.hashrateThs(), s.averages());
        ObjectNode pool = root.putObject("pool_stats");
        pool.put("accepted_shares", Math.round(s.workTerahashes() / 1e6));
        pool.put("rejected_shares", 0);
        pool.put("stale_shares", 0);
        pool.put("last_difficulty", 262144);
        ObjectNode power = root.putObject("power_stats");
        power.putObject("approximated_consumption").put("watt", Math.round(s.powerWatts()));
        power.putObject("efficiency")
                .put("joule_per_terahash", s.hashrateThs() > 0 ? s.powerWatts() / s.hashrateThs() : 0.0);
        return root;
    }

    static ObjectNode details(MinerSnapshot s, MinerSpec spec, MinerIdentity identity, boolean paused) {
        ObjectNode root = JSON.createObjectNode();
        root.put("bos_mode", 4);
        root.putObject("bos_version")
                .put("bos_plus", true)
                .put("current", BOS_VERSION)
                .put("major", "2022-09-13-0-11012d53-22.08-plus");
        root.put("bosminer_uptime_s", s.uptime().toSeconds());
        root.put("control_board_soc_family", 3);
        root.put("hostname", identity.hostname());
        root.put("kernel_version", "4.9.113");
        root.put("mac_address", identity.macAddress().toLowerCase(java.util.Locale.ROOT));
        ObjectNode who = root.putObject("miner_identity");
        who.put("brand", 1).put("miner_model", spec.model()).put("model", 18).put("name", spec.model());
        root.put("platform", 4);
        ObjectNode psu = root.putObject("psu_info");
        psu.putNull("fw_version");
        psu.putObject("max_voltage").put("volt", 15.2);
        psu.putObject("min_voltage").put("volt", 11.96);
        psu.put("model_name", "APW121215d/e");
        root.put("serial_number", identity.serialNumber());
        root.put("status", paused ? STATUS_PAUSED : STATUS_NORMAL);
        gigahash(root.putObject("sticker_hashrate"), spec.nameplateThs());
        root.put("system_uptime", s.uptime().toSeconds() + 40);
        root.put("system_uptime_s", s.uptime().toSeconds() + 40);
        root.put("uid", "sim" + identity.serialNumber());
        return root;
    }

    static ObjectNode hashboards(MinerSnapshot s, MinerSpec spec) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode boards = root.putArray("hashboards");
        double share = s.hashrateThs() > 0 ? 1.0 / s.hashrateThs() : 0;
        for (BoardSnapshot b : s.boards()) {
            ObjectNode board = boards.addObject();
            board.put("board_name", "BHB56801");
            board.putObject("board_temp").put("degree_c", (double) b.maxPcbTempC());
            board.put("chip_type", "BM1366");
            board.put("chips_count", spec.chipsPerBoard());
            board.put("enabled", true);
            ObjectNode hottest = board.putObject("highest_chip_temp");
            hottest.put("id", b.index() + 1).put("location", 1);
            hottest.putObject("temperature").put("degree_c", (double) b.maxChipTempC());
            board.putObject("highest_outlet_temp").put("degree_c", (double) b.maxPcbTempC());
            board.put("id", Integer.toString(b.index() + 1));
            board.putObject("lowest_inlet_temp").put("degree_c", (double) Math.round(s.inletTempC()));
            board.put("model", "BHB56801");
            ObjectNode stats = board.putObject("stats");
            gigahash(stats.putObject("nominal_hashrate"), spec.nameplateThs() / spec.boards());
            double fraction = b.hashrateThs() * share;
            HashrateAverages a = s.averages();
            realHashrate(
                    stats.putObject("real_hashrate"),
                    b.hashrateThs(),
                    new HashrateAverages(
                            a.oneMinuteThs() * fraction,
                            a.fiveMinuteThs() * fraction,
                            a.fifteenMinuteThs() * fraction,
                            a.thirtyMinuteThs() * fraction,
                            a.dayThs() * fraction));
        }
        return root;
    }

    static ObjectNode cooling(MinerSnapshot s) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode fans = root.putArray("fans");
        for (int i = 0; i < s.fanRpms().size(); i++) {
            fans.addObject()
                    .put("position", i)
                    .put("rpm", s.fanRpms().get(i))
                    .put("target_speed_ratio", s.mode() == Mode.SLEEP ? 0.3 : 1.0);
        }
        ObjectNode highest = root.putObject("highest_temperature");
        highest.putNull("id");
        highest.put("location", 1);
        highest.putObject("temperature").put("degree_c", (double) s.maxChipTempC());
        return root;
    }

    static ObjectNode tunerState(MinerSnapshot s, double targetWatts) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode state = root.putObject("mode_state").putObject("powertargetmodestate");
        state.putObject("current_target").put("watt", Math.round(targetWatts));
        ObjectNode profile = state.putObject("profile");
        profile.putNull("created");
        profile.putObject("estimated_power_consumption").put("watt", Math.round(targetWatts));
        gigahash(profile.putObject("measured_hashrate"), s.hashrateThs());
        profile.putObject("target").put("watt", Math.round(targetWatts));
        root.put("overall_tuner_state", 2);
        return root;
    }

    static ObjectNode configuration(double targetWatts) {
        ObjectNode root = JSON.createObjectNode();
        root.putArray("pool_groups");
        ObjectNode tuner = root.putObject("tuner");
        tuner.put("enabled", true);
        tuner.putNull("hashrate_target");
        tuner.putObject("power_target").put("watt", Math.round(targetWatts));
        tuner.put("tuner_mode", 1);
        return root;
    }

    static ObjectNode constraints(long minWatts, long maxWatts, long defaultWatts) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode tuner = root.putObject("tuner_constraints");
        tuner.put("default_mode", 1);
        tuner.putObject("enabled").put("default", true);
        tuner.putNull("hashrate_target");
        ObjectNode power = tuner.putObject("power_target");
        power.putObject("default").put("watt", defaultWatts);
        power.putObject("min").put("watt", minWatts);
        power.putObject("max").put("watt", maxWatts);
        root.putNull("cooling_constraints");
        root.putNull("dps_constraints");
        root.putNull("hashboards_constraints");
        return root;
    }

    static ArrayNode pools(boolean mining) {
        ArrayNode root = JSON.createArrayNode();
        ObjectNode group = root.addObject();
        group.put("name", "default");
        ObjectNode pool = group.putArray("pools").addObject();
        pool.put("active", mining).put("alive", true).put("enabled", true);
        pool.putObject("stats").put("accepted_shares", 0).put("rejected_shares", 0);
        pool.put("uid", "simPool1")
                .put("url", "stratum+tcp://pool.example.com:3333")
                .put("user", "worker.1");
        group.putObject("strategy").putObject("quota").put("value", 1);
        return root;
    }

    static ObjectNode version() {
        return JSON.createObjectNode().put("major", 1).put("minor", 3).put("patch", 0);
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

    private static void realHashrate(ObjectNode node, double nowThs, HashrateAverages a) {
        gigahash(node.putObject("last_5s"), nowThs);
        gigahash(node.putObject("last_15s"), nowThs);
        gigahash(node.putObject("last_30s"), nowThs);
        gigahash(node.putObject("last_1m"), a.oneMinuteThs());
        gigahash(node.putObject("last_5m"), a.fiveMinuteThs());
        gigahash(node.putObject("last_15m"), a.fifteenMinuteThs());
        gigahash(node.putObject("last_30m"), a.thirtyMinuteThs());
        gigahash(node.putObject("last_1h"), a.thirtyMinuteThs());
        gigahash(node.putObject("last_24h"), a.dayThs());
        gigahash(node.putObject("since_restart"), a.dayThs());
    }

    private static void gigahash(ObjectNode node, double ths) {
        node.put("gigahash_per_second", ths * 1000);
    }
}
