package io.headroom.simulator.cgminer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.protocol.Mode;
import io.headroom.simulator.miner.BoardSnapshot;
import io.headroom.simulator.miner.MinerIdentity;
import io.headroom.simulator.miner.MinerModel;
import io.headroom.simulator.miner.MinerSnapshot;
import io.headroom.simulator.miner.MinerSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A Canaan AvalonMiner A15 (CGMiner 4.11.1) over a {@link MinerModel} (reference/DEVICES.md §4.7): {@code
 * estats}/{@code stats} carry the {@code MM ID0} status string built from the model's snapshot; {@code
 * ascset} schedules soft-off/soft-on at a Unix time, sets the work level (the model's power target) and the
 * LED; {@code restart} answers {@code {"STATUS":"RESTART"}} and the unit is then gone (connections closed
 * without a reply) for {@link Options#rebootPeriod()}, after which the model boots again.
 *
 * <p>Reply shapes and messages follow the pyasic A1566 capture and the asic-rs ascset captures
 * ({@code "ASC 0 set info: success softoff:<ts>"}, {@code "ASC 0 set OK"}). Error replies of ascset are
 * the simulator's choice (cgminer's {@code ASC %d set failed: %s}, code 120): no capture was available.
 *
 * <p>A scheduled action takes effect at its time on the model's clock, applied when a request arrives at or
 * after that time (the handler owns no thread). Thread-safe: requests are serialised on the server's
 * selector thread and state is guarded by this object.
 */
public final class AvalonRpc implements RpcHandler {

    /** CGMiner banner of the capture. */
    public static final String DESCRIPTION = "cgminer 4.11.1";
    /** Firmware version of the capture. */
    public static final String FIRMWARE_VERSION = "24102401_25462b2_9ddf522";

    /**
     * An AvalonMiner 15-194: 3515 W (the capture's MPO) at 194 TH/s, 3 boards of 160 ASICs, 2 fans; sleep draw
     * 50 W and boot times are assumptions (not in the capture).
     */
    public static final MinerSpec A1566 = new MinerSpec(
            "AvalonMiner 15-194",
            3515,
            194,
            50,
            Duration.ofSeconds(5),
            Duration.ofSeconds(20),
            Duration.ofSeconds(30),
            Duration.ofSeconds(60),
            45,
            3,
            160,
            2,
            0.005,
            0.01);

    /** Work levels of the A15 and the power each holds, as in profile canaan/avalon-a15. */
    public static final List<Double> A15_LEVEL_WATTS = List.of(2810.0, 3160.0, 3515.0);

    static final int CODE_INVALID_COMMAND = 14;
    static final int CODE_ASC_INFO = 118;
    static final int CODE_ASC_OK = 119;
    /** cgminer {@code MSG_ASCSETERR} (inferred for Avalon: no capture of a refusal). */
    static final int CODE_ASC_ERROR = 120;
    /** The value an idle Avalon Q shows in the asic-rs capture; what other non-zero values mean is unknown. */
    static final int SOFT_OFF = 4;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Pattern SCHEDULE = Pattern.compile("1:(\\d{1,12})");
    private static final String HELP = "help|voltage|fan-spd|lcd|hash-sn-read|hash-sn-write|volt-tuning|workmode|"
            + "worklevel|work_mode_lvl|reboot|softon|softoff|filter-clean|facopts|faclock|activate|solo-allowed|"
            + "frequency|loop|password|qr_auth|time|";

    /**
     * Behaviour switches.
     *
     * @param nonFiniteValues emit the Avalon {@code inf}/{@code nan} strings (reference/DEVICES.md §4.1):
     *     {@code Temp[nan] GHSmm[inf] DHspd[nan%]} in the status string and {@code "Voltage Level Offset":
     *     "nan"}
     * @param silentSoftOn {@code softon} closes the connection without a reply (asic-rs notes firmware that does)
     * @param rebootPeriod how long the unit is gone after {@code restart}
     * @param levelWatts the watts of each work level, by level number
     * @param workLevel the level the unit starts at
     */
    public record Options(
            boolean nonFiniteValues,
            boolean silentSoftOn,
            Duration rebootPeriod,
            List<Double> levelWatts,
            int workLevel) {
        public Options {
            Objects.requireNonNull(rebootPeriod, "rebootPeriod");
            if (rebootPeriod.isNegative()) {
                throw new IllegalArgumentException("rebootPeriod: must not be negative, got " + rebootPeriod);
            }
            levelWatts = List.copyOf(levelWatts);
            if (levelWatts.isEmpty() || workLevel < 0 || workLevel >= levelWatts.size()) {
                throw new IllegalArgumentException(
                        "workLevel: must index levelWatts " + levelWatts + ", got " + workLevel);
            }
        }

        /** The A15's levels, starting at the highest; no quirks; 60 s reboot. */
        public static Options defaults() {
            return new Options(false, false, Duration.ofSeconds(60), A15_LEVEL_WATTS, A15_LEVEL_WATTS.size() - 1);
        }

        public Options withNonFiniteValues(boolean on) {
            return new Options(on, silentSoftOn, rebootPeriod, levelWatts, workLevel);
        }

        public Options withSilentSoftOn(boolean on) {
            return new Options(nonFiniteValues, on, rebootPeriod, levelWatts, workLevel);
        }

        public Options withRebootPeriod(Duration period) {
            return new Options(nonFiniteValues, silentSoftOn, period, levelWatts, workLevel);
        }
    }

    private final MinerModel model;
    private final MinerIdentity identity;
    private final Clock clock;
    private final Options options;

    private int workLevel;
    private boolean led;
    private @Nullable Instant scheduledAt;
    private boolean scheduledOff;
    private @Nullable Instant rebootingUntil;
    private boolean sleepAcrossReboot;

    /**
     * @param model the physical model answered from; its power target is set to the starting level's watts
     * @param identity MAC and names reported in {@code version}
     * @param clock time source for {@code When}, schedules and advancing the model
     * @param options behaviour switches
     */
    public AvalonRpc(MinerModel model, MinerIdentity identity, Clock clock, Options options) {
        this.model = Objects.requireNonNull(model, "model");
        this.identity = Objects.requireNonNull(identity, "identity");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.options = Objects.requireNonNull(options, "options");
        this.workLevel = options.workLevel();
        model.setPowerTargetWatts(options.levelWatts().get(workLevel));
    }

    /** The work level now in force. */
    public synchronized int workLevel() {
        return workLevel;
    }

    /** True while the locate LED is on. */
    public synchronized boolean led() {
        return led;
    }

    /** True while the unit restarts and answers nothing. */
    public synchronized boolean rebooting() {
        return rebootingUntil != null && clock.instant().isBefore(rebootingUntil);
    }

    @Override
    public synchronized @Nullable ObjectNode handle(String text) {
        Instant now = clock.instant();
        applyDue(now);
        if (rebootingUntil != null) {
            if (now.isBefore(rebootingUntil)) {
                return null; // restarting: the connection is closed without a reply
            }
            rebootingUntil = null;
        }
        RpcRequest request;
        try {
            request = RpcRequest.parse(text);
        } catch (RpcRequest.InvalidRequestException e) {
            return error(e.code(), e.getMessage());
        }
        switch (request.command()) {
            case "version":
                return version();
            case "summary":
                return summary(model.snapshot());
            case "estats":
            case "stats":
                return estats(model.snapshot());
            case "ascset":
                return ascset(request.parameter(), now);
            case "restart":
                return restart(now);
            default:
                return error(CODE_INVALID_COMMAND, "Invalid command");
        }
    }

    /** Advances the model, applying a scheduled soft-off/soft-on at its own time. */
    private void applyDue(Instant now) {
        if (scheduledAt != null && !now.isBefore(scheduledAt)) {
            model.advanceTo(scheduledAt);
            if (scheduledOff) {
                model.sleep();
            } else {
                model.wakeUp();
            }
            scheduledAt = null;
        }
        if (rebootingUntil != null && !now.isBefore(rebootingUntil) && sleepAcrossReboot) {
            model.advanceTo(rebootingUntil);
            model.sleep();
            sleepAcrossReboot = false;
        }
        model.advanceTo(now);
    }

    // ---- control -------------------------------------------------------------------------------------------

    private @Nullable ObjectNode ascset(String parameter, Instant now) {
        String[] parts = parameter.split(",", -1);
        if (parts.length < 2 || !parts[0].strip().equals("0")) {
            return error(CODE_ASC_ERROR, "ASC " + printable(parts[0]) + " set failed: invalid ASC or option");
        }
        String option = parts[1].strip().toLowerCase(Locale.ROOT);
        switch (option) {
            case "help":
                return finish(envelope("I", CODE_ASC_INFO, "ASC 0 set info: " + HELP));
            case "softoff":
            case "softon":
                return schedule(option.equals("softoff"), parts, now);
            case "worklevel":
                if (parts.length != 4 || !parts[2].strip().equals("set")) {
                    return error(CODE_ASC_ERROR, "ASC 0 set failed: worklevel needs set,<level>");
                }
                Integer level = smallInt(parts[3]);
                if (level == null || level >= options.levelWatts().size()) {
                    return error(CODE_ASC_ERROR, "ASC 0 set failed: invalid worklevel " + printable(parts[3]));
                }
                workLevel = level;
                model.setPowerTargetWatts(options.levelWatts().get(level));
                return finish(envelope("S", CODE_ASC_OK, "ASC 0 set OK"));
            case "led":
                String state = parts.length == 3 ? parts[2].strip() : "";
                if (!state.equals("1-1") && !state.equals("1-0")) {
                    return error(CODE_ASC_ERROR, "ASC 0 set failed: led needs 1-1 or 1-0");
                }
                led = state.equals("1-1");
                return finish(envelope("S", CODE_ASC_OK, "ASC 0 set OK"));
            default:
                return error(CODE_ASC_ERROR, "ASC 0 set failed: unknown option " + printable(parts[1]));
        }
    }

    private @Nullable ObjectNode schedule(boolean off, String[] parts, Instant now) {
        Matcher m = parts.length == 3 ? SCHEDULE.matcher(parts[2].strip()) : null;
        if (m == null || !m.matches()) {
            return error(CODE_ASC_ERROR, "ASC 0 set failed: " + (off ? "softoff" : "softon") + " needs 1:<unix time>");
        }
        long at = Long.parseLong(m.group(1));
        Instant when = Instant.ofEpochSecond(at);
        if (!when.isAfter(now)) {
            if (off) {
                model.sleep();
            } else {
                model.wakeUp();
            }
            scheduledAt = null;
        } else {
            scheduledAt = when;
            scheduledOff = off;
        }
        if (!off && options.silentSoftOn()) {
            return null;
        }
        return finish(
                envelope("I", CODE_ASC_INFO, "ASC 0 set info: success " + (off ? "softoff" : "softon") + ":" + at));
    }

    private ObjectNode restart(Instant now) {
        sleepAcrossReboot = model.mode() == Mode.SLEEP;
        model.cutPower();
        model.restorePower(options.rebootPeriod());
        rebootingUntil = now.plus(options.rebootPeriod());
        scheduledAt = null;
        led = false;
        ObjectNode reply = JSON.objectNode();
        reply.put("STATUS", "RESTART");
        return reply;
    }

    // ---- reports -------------------------------------------------------------------------------------------

    private ObjectNode version() {
        ObjectNode reply = envelope("S", 22, "CGMiner versions");
        ObjectNode v = reply.putArray("VERSION").addObject();
        v.put("CGMiner", "4.11.1");
        v.put("API", "3.7");
        v.put("STM8", "20.08.01");
        v.put("PROD", model.spec().model());
        v.put("MODEL", "15-194");
        v.put("HWTYPE", "MM4v2_X3");
        v.put("SWTYPE", "MM319");
        v.put("VERSION", FIRMWARE_VERSION);
        v.put("LOADER", "d0d779de.00");
        v.put("DNA", "0201" + identity.macHex().substring(0, 12));
        v.put("MAC", identity.macHex());
        v.put("UPAPI", "2");
        return finish(reply);
    }

    private ObjectNode summary(MinerSnapshot s) {
        ObjectNode reply = envelope("S", 11, "Summary");
        ObjectNode m = reply.putArray("SUMMARY").addObject();
        double seconds = Math.max(1, s.uptime().getSeconds());
        m.put("Elapsed", s.uptime().getSeconds());
        m.put("MHS av", round2(s.workTerahashes() / seconds * 1e6));
        m.put("MHS 30s", round2(s.hashrateThs() * 1e6));
        m.put("MHS 1m", round2(s.averages().oneMinuteThs() * 1e6));
        m.put("MHS 5m", round2(s.averages().fiveMinuteThs() * 1e6));
        m.put("MHS 15m", round2(s.averages().fifteenMinuteThs() * 1e6));
        m.put("Hardware Errors", 0);
        m.put("Total MH", round2(s.workTerahashes() * 1e6));
        return finish(reply);
    }

    private ObjectNode estats(MinerSnapshot s) {
        ObjectNode reply = envelope("S", 70, "CGMiner stats");
        ArrayNode stats = reply.putArray("STATS");
        ObjectNode head = stats.addObject();
        head.put("STATS", 0);
        head.put("ID", "AVA100");
        head.put("Elapsed", s.uptime().getSeconds());
        head.put("Calls", 0);
        head.put("Wait", 0.0);
        head.put("Max", 0.0);
        head.put("Min", 99999999.0);
        head.put("MM Count", 1);
        head.put("Smart Speed", 1);
        head.put("MM ID0", statusString(s));
        if (options.nonFiniteValues()) {
            head.put("Voltage Level Offset", "nan");
        } else {
            head.put("Voltage Level Offset", 0);
        }
        head.put("Nonce Mask", 25);
        ObjectNode pool = stats.addObject();
        pool.put("STATS", 1);
        pool.put("ID", "POOL0");
        pool.put("Elapsed", s.uptime().getSeconds());
        return finish(reply);
    }

    /** The {@code MM ID0} string, in the key order of the A1566 capture (keys the model has nothing for left out). */
    String statusString(MinerSnapshot s) {
        boolean off = s.mode() == Mode.SLEEP;
        boolean hashing = s.hashrateThs() > 0;
        boolean nonFinite = options.nonFiniteValues();
        StringBuilder out = new StringBuilder(1024);
        item(out, "Ver", "15-194-" + FIRMWARE_VERSION);
        item(out, "DNA", "0201" + identity.macHex().substring(0, 12));
        item(out, "NETFAIL", "0 0 0 0 0 0 0 0");
        item(
                out,
                "SYSTEMSTATU",
                "Work: " + (hashing ? "In Work" : "In Idle") + ", Hash Board: "
                        + s.boards().size() + " ");
        item(out, "Elapsed", Long.toString(s.uptime().getSeconds()));
        item(out, "Temp", nonFinite ? "nan" : Long.toString(Math.round(s.inletTempC())));
        int tmax = off ? 0 : s.maxChipTempC();
        item(out, "TMax", Integer.toString(tmax));
        item(out, "TAvg", Long.toString(off ? 0 : Math.round(average(s.boards()))));
        int f = 1;
        double maxRpm = 0;
        for (int rpm : s.fanRpms()) {
            item(out, "Fan" + f++, Integer.toString(rpm));
            maxRpm = Math.max(maxRpm, rpm);
        }
        item(out, "FanR", Math.round(maxRpm * 100 / 8000) + "%");
        long wall = Math.round(s.powerWatts());
        item(out, "PS", "0 1209 1187 297 " + Math.round(s.powerWatts() * 0.945) + " 1188 " + wall);
        item(out, "WALLPOWER", Long.toString(wall));
        item(out, "GHSspd", fixed(s.hashrateThs() * 1000));
        item(out, "DHspd", nonFinite ? "nan%" : "1.299%");
        item(out, "GHSmm", nonFinite ? "inf" : fixed(model.spec().nameplateThs() * 1000));
        double seconds = s.uptime().toNanos() / 1e9;
        item(out, "GHSavg", fixed(seconds <= 0 ? s.hashrateThs() * 1000 : s.workTerahashes() / seconds * 1000));
        item(out, "Led", led ? "1" : "0");
        StringBuilder mghs = new StringBuilder();
        StringBuilder mtmax = new StringBuilder();
        StringBuilder mtavg = new StringBuilder();
        for (BoardSnapshot board : s.boards()) {
            String sep = mghs.length() == 0 ? "" : " ";
            mghs.append(sep).append(fixed(board.hashrateThs() * 1000));
            mtmax.append(sep).append(off ? 0 : board.maxChipTempC());
            mtavg.append(sep).append(off ? 0 : Math.round(average(List.of(board))));
        }
        item(out, "MGHS", mghs.toString());
        item(out, "MTmax", mtmax.toString());
        item(out, "MTavg", mtavg.toString());
        item(out, "Core", "A3197S");
        item(out, "POWS", "0");
        item(out, "HASHS", "0 0 0");
        item(out, "SoftOFF", off ? Integer.toString(SOFT_OFF) : "0");
        item(out, "ECHU", "0 0 0");
        item(out, "ECMM", "0");
        item(out, "CRC", "0 0 0");
        item(out, "ATAOPTS0", "--avalon10-freq 300:318:339:360 --avalon10-voltage-level 1188 --hash-asic 160");
        item(out, "ADJ", "1");
        item(out, "MPO", Long.toString(Math.round(s.powerTargetWatts())));
        item(out, "WORKLEVEL", Integer.toString(workLevel));
        item(out, "WORKMODE", "1");
        return out.toString();
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static void item(StringBuilder out, String key, String value) {
        if (out.length() > 0) {
            out.append(' ');
        }
        out.append(key).append('[').append(value).append(']');
    }

    private static double average(List<BoardSnapshot> boards) {
        double sum = 0;
        int n = 0;
        for (BoardSnapshot board : boards) {
            for (int t : board.chipTempsC()) {
                sum += t;
                n++;
            }
        }
        return n == 0 ? 0 : sum / n;
    }

    private static String fixed(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static double round2(double value) {
        return Math.round(value * 100) / 100.0;
    }

    /** A level number 0…99, or null for anything else. */
    private static @Nullable Integer smallInt(String text) {
        String t = text.strip();
        if (t.isEmpty() || t.length() > 2) {
            return null;
        }
        for (int i = 0; i < t.length(); i++) {
            if (!Character.isDigit(t.charAt(i))) {
                return null;
            }
        }
        return Integer.parseInt(t);
    }

    /** A client's text echoed into a reply: at most 32 printable ASCII characters. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < 32; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.toString();
    }

    private ObjectNode envelope(String status, int code, String msg) {
        ObjectNode reply = JSON.objectNode();
        ObjectNode s = reply.putArray("STATUS").addObject();
        s.put("STATUS", status);
        s.put("When", clock.instant().getEpochSecond());
        s.put("Code", code);
        s.put("Msg", msg);
        s.put("Description", DESCRIPTION);
        return reply;
    }

    private ObjectNode error(int code, String msg) {
        return finish(envelope("E", code, msg));
    }

    private static ObjectNode finish(ObjectNode reply) {
        reply.put("id", 1);
        return reply;
    }
}
