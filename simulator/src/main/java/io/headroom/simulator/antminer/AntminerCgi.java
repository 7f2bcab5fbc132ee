package io.headroom.simulator.antminer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.simulator.miner.BoardSnapshot;
import io.headroom.simulator.miner.MinerIdentity;
import io.headroom.simulator.miner.MinerSnapshot;
import io.headroom.simulator.miner.MinerSpec;

/**
 * The bodies of the read CGIs, in the shapes of the stock firmware captured in asic-rs (reference/DEVICES.md
 * §4.2, §8): {@code STATUS} and {@code INFO} objects, {@code STATS[0]} with {@code chain[]}, {@code fan[]} and
 * rates in GH/s, {@code SUMMARY[0]} with its {@code status[]} items.
 */
final class AntminerCgi {

    static final String COMPILE_TIME = "Thu Jul 11 16:38:25 CST 2024";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private AntminerCgi() {}

    private static ObjectNode envelope(String msg, MinerSnapshot s, MinerSpec spec) {
        ObjectNode root = F.objectNode();
        root.putObject("STATUS")
                .put("STATUS", "S")
                .put("when", s.at().getEpochSecond())
                .put("Msg", msg)
                .put("api_version", "1.0.0");
        root.putObject("INFO")
                .put("miner_version", "uart_trans.1.3")
                .put("CompileTime", COMPILE_TIME)
                .put("type", spec.model());
        return root;
    }

    static ObjectNode stats(MinerSnapshot s, MinerSpec spec, MinerIdentity id, boolean reportWatt) {
        ObjectNode root = envelope("stats", s, spec);
        ObjectNode stats = root.putArray("STATS").addObject();
        stats.put("elapsed", s.uptime().toSeconds());
        stats.put("rate_5s", round2(s.hashrateThs() * 1000));
        stats.put("rate_30m", round2(s.averages().thirtyMinuteThs() * 1000));
        stats.put("rate_avg", round2(s.averages().fiveMinuteThs() * 1000));
        stats.put("rate_ideal", round2(spec.nameplateThs() * 1000));
        stats.put("rate_unit", "GH/s");
        stats.put("chain_num", spec.boards());
        stats.put("fan_num", s.fanRpms().size());
        ArrayNode fans = stats.putArray("fan");
        s.fanRpms().forEach(fans::add);
        ArrayNode chains = stats.putArray("chain");
        for (BoardSnapshot board : s.boards()) {
            ObjectNode chain = chains.addObject();
            chain.put("index", board.index());
            chain.put("freq_avg", s.hashrateThs() > 0 ? 490 : 0);
            chain.put("rate_ideal", round2(spec.nameplateThs() * 1000 / spec.boards()));
            chain.put("rate_real", round2(board.hashrateThs() * 1000));
            chain.put("asic_num", spec.chipsPerBoard());
            ArrayNode pic = chain.putArray("temp_pic");
            board.pcbTempsC().forEach(t -> pic.add(t - 10));
            ArrayNode pcb = chain.putArray("temp_pcb");
            board.pcbTempsC().forEach(pcb::add);
            ArrayNode chip = chain.putArray("temp_chip");
            board.chipTempsC().forEach(chip::add);
            chain.put("hw", 0);
            chain.put("sn", id.serialNumber() + board.index());
        }
        if (reportWatt) {
            stats.put("watt", Math.round(s.powerWatts()));
        }
        return root;
    }

    static ObjectNode summary(MinerSnapshot s, MinerSpec spec) {
        ObjectNode root = envelope("summary", s, spec);
        ObjectNode summary = root.putArray("SUMMARY").addObject();
        summary.put("elapsed", s.uptime().toSeconds());
        summary.put("rate_5s", round2(s.hashrateThs() * 1000));
        summary.put("rate_30m", round2(s.averages().thirtyMinuteThs() * 1000));
        summary.put("rate_avg", round2(s.averages().fiveMinuteThs() * 1000));
        summary.put("rate_ideal", round2(spec.nameplateThs() * 1000));
        summary.put("rate_unit", "GH/s");
        summary.put("hw_all", 0);
        summary.put("bestshare", 0);
        ArrayNode status = summary.putArray("status");
        for (String type : new String[] {"rate", "network", "fans", "temp"}) {
            status.addObject()
                    .put("type", type)
                    .put("status", "s")
                    .put("code", 0)
                    .put("msg", "");
        }
        return root;
    }

    static ObjectNode systemInfo(MinerSpec spec, MinerIdentity id) {
        return F.objectNode()
                .put("minertype", spec.model())
                .put("nettype", "DHCP")
                .put("netdevice", "eth0")
                .put("macaddr", id.macAddress())
                .put("hostname", id.hostname())
                .put("ipaddress", "127.0.0.1")
                .put("netmask", "255.0.0.0")
                .put("system_mode", "GNU/Linux")
                .put("system_filesystem_version", COMPILE_TIME)
                .put("firmware_type", "Release")
                .put("serinum", id.serialNumber());
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
