package io.headroom.simulator.cgminer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.protocol.Mode;
import io.headroom.simulator.miner.BoardSnapshot;
import io.headroom.simulator.miner.HashrateAverages;
import io.headroom.simulator.miner.MinerIdentity;
import io.headroom.simulator.miner.MinerSnapshot;
import io.headroom.simulator.miner.MinerSpec;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

/**
 * What a LuxOS unit reports about itself: the replies of its read-only commands ({@code version summary
 * stats devs pools power config fans temps}) built from one {@link MinerSnapshot}, in the shapes of the
 * asic-rs LuxOS captures (reference/DEVICES.md §4.1), and the {@code STATUS} envelope every reply of
 * {@link LuxosRpc} starts with. Nothing here changes the miner; {@link LuxosRpc} owns the commands that do.
 */
final class LuxosReports {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** Hashboard slots the Antminer stats layout always shows (the unused fourth reads zero). */
    private static final int STAT_SLOTS = 4;

    private static final double NOMINAL_FREQUENCY_MHZ = 505.0;
    private static final int SHARE_DIFFICULTY = 32768;
    private static final String POOL_URL = "stratum+tcp://stratum.sim.invalid:3333";

    private final MinerSpec spec;
    private final MinerIdentity identity;
    private final Clock clock;

    LuxosReports(MinerSpec spec, MinerIdentity identity, Clock clock) {
        this.spec = spec;
        this.identity = identity;
        this.clock = clock;
    }

    ObjectNode version() {
        ObjectNode reply = envelope("S", 22, "LUXminer versions");
        ObjectNode v = reply.putArray("VERSION").addObject();
        v.put("API", "3.7");
        v.put("CompileTime", LuxosRpc.COMPILE_TIME);
        v.put("LUXminer", LuxosRpc.FIRMWARE.substring("LUXminer ".length()));
        v.put("Miner", LuxosRpc.MINER_VERSION);
        v.put("Type", spec.model());
        return finish(reply);
    }

    ObjectNode summary(MinerSnapshot s) {
        long elapsed = elapsedSeconds(s);
        Work work = Work.of(s);
        HashrateAverages avg = s.averages();
        ObjectNode reply = envelope("S", 11, "Summary");
        ObjectNode m = reply.putArray("SUMMARY").addObject();
        m.put("Accepted", work.accepted);
        m.put("Best Share", work.accepted > 0 ? SHARE_DIFFICULTY : 0);
        m.put("Device Hardware%", 0.0);
        m.put("Device Rejected%", 0.0);
        m.put("Difficulty Accepted", work.accepted * SHARE_DIFFICULTY);
        m.put("Difficulty Rejected", 0);
        m.put("Difficulty Stale", 0);
        m.put("Discarded", 0);
        m.put("Elapsed", elapsed);
        m.put("Found Blocks", 0);
        m.put("GHS 15m", ghs(avg.fifteenMinuteThs()));
        m.put("GHS 1m", ghs(avg.oneMinuteThs()));
        m.put("GHS 24h", ghs(avg.dayThs()));
        m.put("GHS 30m", ghs(avg.thirtyMinuteThs()));
        m.put("GHS 5m", ghs(avg.fiveMinuteThs()));
        m.put("GHS 5s", ghs(s.hashrateThs()));
        m.put("GHS av", ghs(averageThs(s)));
        m.put("Get Failures", 0);
        m.put("Getworks", elapsed / 30);
        m.put("Hardware Errors", 0);
        m.put("Last getwork", s.at().getEpochSecond());
        m.put("Local Work", 0);
        m.put("Network Blocks", 0);
        m.put("Pool Rejected%", 0.0);
        m.put("Pool Stale%", 0.0);
        m.put("Rejected", 0);
        m.put("Remote Failures", 0);
        m.put("Stale", 0);
        m.put("Total MH", round2(s.workTerahashes() * 1e6));
        m.put("Utility", round2(perMinute(work.accepted, elapsed)));
        m.put("Work Utility", round2(perMinute(work.diff1, elapsed)));
        return finish(reply);
    }

    ObjectNode stats(MinerSnapshot s) {
        MinerSpec spec = this.spec;
        long elapsed = elapsedSeconds(s);
        ObjectNode reply = envelope("S", 70, "LUXminer stats");
        ArrayNode stats = reply.putArray("STATS");
        ObjectNode head = stats.addObject();
        head.put("CompileTime", LuxosRpc.COMPILE_TIME);
        head.put("Miner", LuxosRpc.MINER_VERSION);
        head.put("Type", spec.model());

        ObjectNode m = stats.addObject();
        m.put("Calls", 0);
        m.put("Elapsed", elapsed);
        m.put("GHS 5s", ghs(s.hashrateThs()));
        m.put("GHS av", ghs(averageThs(s)));
        m.put("ID", "BTM_SOC0");
        m.put("Max", 0);
        m.put("Min", 99999999);
        m.put("Mode", 2);
        m.put("STATS", 0);
        m.put("Wait", 0);
        int slots = Math.max(STAT_SLOTS, s.boards().size());
        double rateSum = 0;
        for (int n = 1; n <= slots; n++) {
            BoardSnapshot board = n <= s.boards().size() ? s.boards().get(n - 1) : null;
            boolean hashing = board != null && board.hashrateThs() > 0;
            m.put("chain_acn" + n, board == null ? 0 : spec.chipsPerBoard());
            m.put("chain_acs" + n, board == null ? "" : chipStatus(spec.chipsPerBoard(), hashing));
            m.put("chain_hw" + n, 0);
            // A string in this firmware generation (newer stock Antminer sends a number, DEVICES.md §4.1).
            m.put(
                    "chain_rate" + n,
                    board == null ? "0" : String.format(Locale.ROOT, "%.2f", board.hashrateThs() * 1000));
            rateSum += board == null ? 0 : board.hashrateThs() * 1000;
            m.put("freq" + n, hashing ? NOMINAL_FREQUENCY_MHZ : 0.0);
        }
        for (int f = 0; f < s.fanRpms().size(); f++) {
            m.put("fan" + (f + 1), s.fanRpms().get(f));
        }
        m.put("fan_num", s.fanRpms().size());
        m.put("frequency", s.hashrateThs() > 0 ? (int) NOMINAL_FREQUENCY_MHZ : 0);
        m.put("miner_count", s.boards().size());
        m.put("miner_id", identity.macHex());
        m.put("miner_version", LuxosRpc.MINER_VERSION);
        m.put("no_matching_work", 0);
        m.put("rate_30m", ghs(s.averages().thirtyMinuteThs()));
        m.put("rate_unit", "GH");
        for (BoardSnapshot board : s.boards()) {
            m.put("temp" + (board.index() + 1), (double) board.maxPcbTempC());
        }
        for (BoardSnapshot board : s.boards()) {
            m.put("temp2_" + (board.index() + 1), (double) board.maxChipTempC());
        }
        for (int n = 1; n <= slots; n++) {
            BoardSnapshot board = n <= s.boards().size() ? s.boards().get(n - 1) : null;
            m.put("temp_chip" + n, board == null ? "0-0-0-0" : dashed(board.chipTempsC()));
            m.put("temp_pcb" + n, board == null ? "0-0-0-0" : dashed(board.pcbTempsC()));
            m.put("temp_pic" + n, board == null ? "0-0-0-0" : dashed(board.pcbTempsC()));
        }
        m.put("temp_max", (double) s.maxChipTempC());
        m.put("temp_num", s.boards().size());
        m.put("total rate", round2(rateSum / s.boards().size()));
        m.put("total_acn", spec.chipsPerBoard() * s.boards().size());
        m.put("total_freqavg", s.hashrateThs() > 0 ? NOMINAL_FREQUENCY_MHZ : 0.0);
        m.put("total_rateideal", round2(spec.nameplateThs() * 1000));
        return finish(reply);
    }

    ObjectNode devs(MinerSnapshot s) {
        MinerSpec spec = this.spec;
        long elapsed = elapsedSeconds(s);
        long now = s.at().getEpochSecond();
        Work work = Work.of(s);
        HashrateAverages avg = s.averages();
        ObjectNode reply = envelope("S", 9, s.boards().size() + " ASC(s)");
        ArrayNode devs = reply.putArray("DEVS");
        for (BoardSnapshot board : s.boards()) {
            double share = s.hashrateThs() > 0
                    ? board.hashrateThs() / s.hashrateThs()
                    : 1.0 / s.boards().size();
            long accepted = Math.round(work.accepted * share);
            long diff1 = Math.round(work.diff1 * share);
            ObjectNode d = devs.addObject();
            d.put("ASC", board.index());
            d.put("Accepted", accepted);
            d.put("Board", "S19XP-SIM");
            d.put("Connector", "J" + (board.index() + 7));
            d.put("ControllerIPVersionHex", "0x18351835");
            d.put("ControllerIPVersionStr", "N/A");
            d.put("Device Elapsed", elapsed);
            d.put("Device Hardware%", 0);
            d.put("Device Rejected%", 0);
            d.put("Diff1 Work", diff1);
            d.put("Difficulty Accepted", accepted * SHARE_DIFFICULTY);
            d.put("Difficulty Rejected", 0);
            d.put("Enabled", "Y");
            d.put("Hardware Error MHS 15m", 0);
            d.put("Hardware Errors", 0);
            d.put("ID", board.index());
            d.put("IsRamping", s.ramping());
            d.put("IsUserShutdown", s.mode() == Mode.SLEEP);
            d.put("Last Share Difficulty", SHARE_DIFFICULTY);
            d.put("Last Share Pool", 0);
            d.put("Last Share Time", now);
            d.put("Last Valid Work", now);
            d.put("MHS 15m", mhs(avg.fifteenMinuteThs() * share));
            d.put("MHS 1m", mhs(avg.oneMinuteThs() * share));
            d.put("MHS 30m", mhs(avg.thirtyMinuteThs() * share));
            d.put("MHS 5m", mhs(avg.fiveMinuteThs() * share));
            d.put("MHS 5s", mhs(board.hashrateThs()));
            d.put("MHS 60m", mhs(avg.thirtyMinuteThs() * share));
            d.put("MHS av", mhs(averageThs(s) * share));
            d.put("Name", "");
            d.put("Nominal MHS", mhs(spec.nameplateThs() / s.boards().size()));
            d.put("Profile", "default");
            d.put("Rejected", 0);
            d.put("SerialNumber", identity.serialNumber() + "B" + board.index());
            d.put("Status", "Alive");
            d.put("Temperature", (double) board.maxChipTempC());
            d.put("Total MH", mhs(s.workTerahashes() * share));
            d.put("Utility", 0);
        }
        return finish(reply);
    }

    ObjectNode pools(MinerSnapshot s) {
        Work work = Work.of(s);
        boolean hashing = s.hashrateThs() > 0;
        ObjectNode reply = envelope("S", 7, "1 Pool(s)");
        ObjectNode p = reply.putArray("POOLS").addObject();
        p.put("Accepted", work.accepted);
        p.put("AsicBoost", true);
        p.put("Bad Work", 0);
        p.put("Best Share", work.accepted > 0 ? SHARE_DIFFICULTY : 0);
        p.put("Current Block Height", 0);
        p.put("Current Block Version", 536870912);
        p.put("Diff", "32K");
        p.put("Diff1 Shares", work.diff1);
        p.put("Difficulty Accepted", work.accepted * SHARE_DIFFICULTY);
        p.put("Difficulty Rejected", 0);
        p.put("Difficulty Stale", 0);
        p.put("Discarded", 0);
        p.put("GROUP", 0);
        p.put("Get Failures", 0);
        p.put("Getworks", elapsedSeconds(s) / 30);
        p.put("Has GBT", false);
        p.put("Has Stratum", true);
        p.put("Has Vmask", true);
        p.put("Last Share Difficulty", SHARE_DIFFICULTY);
        p.put("Last Share Time", "00:00:01");
        p.put("Long Pool", "N");
        p.put("POOL", 0);
        p.put("Pool Rejected%", 0.0);
        p.put("Pool Stale%", 0.0);
        p.put("Priority", 0);
        p.put("Proxy", "");
        p.put("Proxy Type", "");
        p.put("Quota", 1.0);
        p.put("Rejected", 0);
        p.put("Remote Failures", 0);
        p.put("Stale", 0);
        p.put("Status", "Alive");
        p.put("Stratum Active", hashing);
        p.put("Stratum Difficulty", SHARE_DIFFICULTY);
        p.put("Stratum URL", POOL_URL.substring("stratum+tcp://".length()));
        p.put("URL", POOL_URL);
        p.put("User", "headroom.sim");
        p.put("Work Difficulty", SHARE_DIFFICULTY);
        p.put("Works", 0);
        return finish(reply);
    }

    ObjectNode power(MinerSnapshot s) {
        ObjectNode reply = envelope("S", 311, "Power usage");
        ObjectNode p = reply.putArray("POWER").addObject();
        // false as in the capture: the figure is the firmware's estimate, not a PSU reading.
        p.put("PSU", false);
        p.put("Watts", Math.round(s.powerWatts()));
        return finish(reply);
    }

    /** {@code config}: the unit's settings, with the active profile and whether ATM is on. */
    ObjectNode config(MinerSnapshot s, String profile, int profileStep, boolean atmEnabled) {
        MinerSpec spec = this.spec;
        boolean asleep = s.mode() == Mode.SLEEP;
        ObjectNode reply = envelope("S", 33, "LUXminer config");
        ObjectNode c = reply.putArray("CONFIG").addObject();
        c.put("ASC Count", s.boards().size());
        c.put("BcastAddr", "127.255.255.255");
        c.put("ControlBoardType", "cvitek");
        c.put("Cooling", "Air");
        // "None" is in the capture; "Sleep" for a curtailed rig is our inference from the curtail docs
        // (the action is called sleep), not seen in a capture.
        c.put("CurtailMode", asleep ? "Sleep" : "None");
        c.put("DHCP", false);
        c.put("DNS Servers", "");
        c.put("Device Code", "");
        c.put("FPGABuildIdHex", "0x18351835");
        c.put("FPGABuildIdStr", "2018-35-18 35:00");
        c.put("FeeStatus", "Ok");
        c.put("Gateway", "127.0.0.1");
        c.put("GreenLed", "auto");
        c.put("Hostname", identity.hostname());
        c.put("Hotplug", "None");
        c.put("IPAddr", "127.0.0.1");
        c.put("ImmersionMode", false);
        c.put("IsAtmEnabled", atmEnabled);
        // Sleep turns the hashboards and the PSU off (LuxOS curtail docs).
        c.put("IsPowerSupplyOn", !asleep);
        c.put("IsSingleVoltage", true);
        c.put("IsTuning", false);
        c.put("Log Interval", 0);
        c.put("LogFileLevel", "info");
        c.put("MACAddr", identity.macAddress());
        c.put("Model", spec.model());
        c.put("NameplateTHS", spec.nameplateThs());
        c.put("Netmask", "255.0.0.0");
        c.put("OS", "LuxOS");
        c.put("PGA Count", 0);
        c.put("PSUHwVersion", "75");
        c.put("PSULabel", "APW121215");
        c.put("Pool Count", 1);
        c.put("Profile", profile);
        c.put("ProfileStep", Integer.toString(profileStep));
        c.put("RedLed", "auto");
        c.put("SerialNumber", identity.serialNumber());
        c.put("Strategy", "Failover");
        c.put("SystemStatus", "Normal");
        c.put("UpdateOnStartup", "off");
        c.put("UpdateOnTimeout", "off");
        c.put("UpdateOnUser", "full");
        c.put("UpdateSource", "https://firmware.sim.invalid/stable");
        c.put("UpdateTimeout", 60);
        return finish(reply);
    }

    ObjectNode fans(MinerSnapshot s) {
        ObjectNode reply = envelope("S", 202, s.fanRpms().size() + " Fan(s)");
        ObjectNode control = reply.putArray("FANCTRL").addObject();
        control.put("MinFans", s.fanRpms().size());
        control.put("PowerOffSpeed", 20);
        ArrayNode fans = reply.putArray("FANS");
        for (int f = 0; f < s.fanRpms().size(); f++) {
            ObjectNode fan = fans.addObject();
            int rpm = s.fanRpms().get(f);
            fan.put("FAN", "FAN" + (f + 1));
            fan.put("ID", f);
            fan.put("RPM", rpm);
            fan.put("Speed", (int) Math.min(100, Math.round(rpm * 100.0 / 6000)));
        }
        return finish(reply);
    }

    ObjectNode temps(MinerSnapshot s) {
        ObjectNode reply = envelope("S", 201, s.boards().size() + " Temp(s)");
        ObjectNode meta = reply.putArray("METADATA").addObject();
        position(meta, "BottomLeft", "Board Exhaust (bottom)", 1, 0);
        position(meta, "BottomRight", "Board Intake (bottom)", 1, 1);
        position(meta, "TopLeft", "Board Exhaust (top)", 0, 0);
        position(meta, "TopRight", "Board Intake (top)", 0, 1);
        ArrayNode temps = reply.putArray("TEMPS");
        for (BoardSnapshot board : s.boards()) {
            List<Integer> chip = board.chipTempsC();
            ObjectNode t = temps.addObject();
            // temp_chip order is TopLeft-TopRight-BottomRight-BottomLeft (see BoardSnapshot).
            t.put("BottomLeft", (double) chip.get(3));
            t.put("BottomRight", (double) chip.get(2));
            t.put("ID", board.index());
            t.put("TEMP", board.index());
            t.put("TopLeft", (double) chip.get(0));
            t.put("TopRight", (double) chip.get(1));
        }
        return finish(reply);
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /** The {@code STATUS} array every reply starts with, stamped with the clock's time. */
    ObjectNode envelope(String status, int code, String msg) {
        ObjectNode reply = JSON.objectNode();
        ObjectNode s = reply.putArray("STATUS").addObject();
        s.put("STATUS", status);
        s.put("When", clock.instant().getEpochSecond());
        s.put("Code", code);
        s.put("Msg", msg);
        s.put("Description", LuxosRpc.FIRMWARE);
        return reply;
    }

    /** Ends a reply as LuxOS does, with {@code "id": 1}. */
    static ObjectNode finish(ObjectNode reply) {
        reply.put("id", 1);
        return reply;
    }

    private static void position(ObjectNode meta, String name, String label, int row, int column) {
        ObjectNode p = meta.putObject(name);
        p.put("Label", label);
        p.putArray("Position").add(row).add(column);
    }

    private static String chipStatus(int chips, boolean hashing) {
        StringBuilder out = new StringBuilder();
        char c = hashing ? 'o' : 'x';
        for (int i = 0; i < chips; i++) {
            if (i % 4 == 0) {
                out.append(' ');
            }
            out.append(c);
        }
        return out.toString();
    }

    private static String dashed(List<Integer> values) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append('-');
            }
            out.append(values.get(i));
        }
        return out.toString();
    }

    private static long elapsedSeconds(MinerSnapshot s) {
        return s.uptime().getSeconds();
    }

    private static double averageThs(MinerSnapshot s) {
        double seconds = s.uptime().toNanos() / 1e9;
        return seconds <= 0 ? s.hashrateThs() : s.workTerahashes() / seconds;
    }

    private static double perMinute(long count, long elapsedSeconds) {
        return elapsedSeconds <= 0 ? 0 : count * 60.0 / elapsedSeconds;
    }

    private static double ghs(double ths) {
        return round2(ths * 1000);
    }

    private static double mhs(double ths) {
        return round2(ths * 1e6);
    }

    static double round2(double value) {
        return Math.round(value * 100) / 100.0;
    }

    /** Shares implied by the work done: diff-1 shares are 2^32 hashes, accepted shares difficulty 32768. */
    private static final class Work {
        final long diff1;
        final long accepted;

        private Work(long diff1) {
            this.diff1 = diff1;
            this.accepted = diff1 / SHARE_DIFFICULTY;
        }

        static Work of(MinerSnapshot s) {
            return new Work((long) (s.workTerahashes() * 1e12 / 4294967296.0));
        }
    }
}
