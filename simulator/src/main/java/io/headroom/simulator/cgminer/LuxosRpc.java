package io.headroom.simulator.cgminer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.protocol.Mode;
import io.headroom.simulator.miner.BoardSnapshot;
import io.headroom.simulator.miner.HashrateAverages;
import io.headroom.simulator.miner.MinerIdentity;
import io.headroom.simulator.miner.MinerModel;
import io.headroom.simulator.miner.MinerSnapshot;
import io.headroom.simulator.miner.MinerSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The LuxOS (LUXminer 2025.4.8) command set over a {@link MinerModel}: an Antminer running LuxOS keeps the
 * Antminer {@code stats} shape and adds {@code power}, {@code config} and session-gated {@code curtail}
 * (reference/DEVICES.md §4.1, §4.5). Reply shapes follow the asic-rs LuxOS captures; every value comes from
 * the model, advanced to the clock's time before each request.
 *
 * <p>Commands: {@code version summary stats devs pools power config fans temps profiles atm} (reports, also
 * joinable as {@code summary+stats}), {@code session logon logoff curtail profileset atmset rebootdevice}.
 * Status codes marked "inferred" below are the simulator's choice where no capture was available; clients
 * should test {@code STATUS}, not {@code Code}.
 *
 * <p>Power presets: {@code profiles} lists frequency profiles around the model's nameplate ({@code 505MHz}
 * holds the nameplate watts, each 25 MHz step scales power by (f/505)^1.2); {@code profileset} sets the
 * model's power target to the profile's watts and is refused while ATM is on, as LuxOS does (DEVICES.md
 * §4.5); ATM starts on, as in the capture. {@code rebootdevice} restarts the unit: it answers nothing for
 * the reboot period and then boots; a slept rig stays asleep across the restart (§4.5).
 */
public final class LuxosRpc implements RpcHandler {
    /** Firmware this simulator imitates (asic-rs LuxOS capture). */
    public static final String FIRMWARE = "LUXminer 2025.4.8.220305-57b389c7";

    static final String MINER_VERSION = "2025.4.8.220305";
    static final String COMPILE_TIME = "Tue Apr  8 22:05:35 UTC 2025";

    static final int CODE_INVALID_COMMAND = 14;
    /** cgminer {@code MSG_ACCDENY}: a command that cannot be joined into {@code a+b}. */
    static final int CODE_ACCESS_DENIED = 45;
    /** From the LuxOS curtail docs. */
    static final int CODE_CURTAIL = 335;
    // Inferred codes (no capture): chosen outside the codes seen in captures.
    static final int CODE_SESSION = 340;
    static final int CODE_LOGON = 341;
    static final int CODE_LOGOFF = 342;
    static final int CODE_INVALID_SESSION = 343;
    static final int CODE_SESSION_ACTIVE = 344;
    static final int CODE_INVALID_PARAMETER = 345;
    static final int CODE_PROFILE_SET = 346;
    static final int CODE_ATM = 347;
    static final int CODE_ATM_SET = 348;
    static final int CODE_REBOOT = 349;
    static final int CODE_ATM_ENABLED = 350;
    /** From the asic-rs capture of {@code profiles}. */
    static final int CODE_PROFILES = 323;

    /** Frequency of the nameplate profile; other profiles step by {@link #PROFILE_STEP_MHZ}. */
    static final int NAMEPLATE_MHZ = 505;

    static final int PROFILE_STEP_MHZ = 25;
    /** Steps below and above the nameplate profile that {@code profiles} lists. */
    static final int STEPS_DOWN = 15;

    static final int STEPS_UP = 3;
    static final Duration DEFAULT_REBOOT_PERIOD = Duration.ofSeconds(60);
    private static final java.util.Set<String> ATMSET_KEYS = java.util.Set.of(
            "enabled",
            "startup_minutes",
            "post_ramp_minutes",
            "temp_window",
            "min_profile",
            "max_profile",
            "prevent_oc");

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** Hashboard slots the Antminer stats layout always shows (the unused fourth reads zero). */
    private static final int STAT_SLOTS = 4;

    private static final double NOMINAL_FREQUENCY_MHZ = 505.0;
    private static final int SHARE_DIFFICULTY = 32768;
    private static final String POOL_URL = "stratum+tcp://stratum.sim.invalid:3333";

    private final MinerModel model;
    private final MinerIdentity identity;
    private final Clock clock;
    private final LuxosSessions sessions;
    private final Map<String, Function<MinerSnapshot, ObjectNode>> reports = Map.ofEntries(
            Map.entry("version", s -> version()),
            Map.entry("summary", this::summary),
            Map.entry("stats", this::stats),
            Map.entry("devs", this::devs),
            Map.entry("pools", this::pools),
            Map.entry("power", this::power),
            Map.entry("config", this::config),
            Map.entry("fans", this::fans),
            Map.entry("temps", this::temps),
            Map.entry("profiles", s -> profiles()),
            Map.entry("atm", s -> atm()));
    private final Set<String> controls =
            Set.of("session", "logon", "logoff", "curtail", "profileset", "atmset", "rebootdevice");
    private final List<Preset> presets;
    private final Duration rebootPeriod;
    private Preset active;
    private boolean atmEnabled = true;
    private @Nullable Instant rebootingUntil;
    private boolean sleepAcrossReboot;

    /** One frequency profile: name, step from the nameplate profile, watts and hashrate. */
    record Preset(String name, int step, int frequencyMhz, long watts, double ths) {}

    /**
     * @param model    the physical model answered from
     * @param identity names reported in {@code config}
     * @param clock    time source for {@code When}, session expiry and advancing the model
     * @param seed     seed for session ids
     */
    public LuxosRpc(MinerModel model, MinerIdentity identity, Clock clock, long seed) {
        this(model, identity, clock, seed, DEFAULT_REBOOT_PERIOD);
    }

    /**
     * @param model        the physical model answered from
     * @param identity     names reported in {@code config}
     * @param clock        time source for {@code When}, session expiry and advancing the model
     * @param seed         seed for session ids
     * @param rebootPeriod how long the unit answers nothing after {@code rebootdevice}
     */
    public LuxosRpc(MinerModel model, MinerIdentity identity, Clock clock, long seed, Duration rebootPeriod) {
        this.model = Objects.requireNonNull(model, "model");
        this.identity = Objects.requireNonNull(identity, "identity");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sessions = new LuxosSessions(clock, seed);
        this.rebootPeriod = Objects.requireNonNull(rebootPeriod, "rebootPeriod");
        if (rebootPeriod.isNegative()) {
            throw new IllegalArgumentException("rebootPeriod: must not be negative, got " + rebootPeriod);
        }
        MinerSpec spec = model.spec();
        List<Preset> list = new java.util.ArrayList<>();
        for (int step = -STEPS_DOWN; step <= STEPS_UP; step++) {
            int mhz = NAMEPLATE_MHZ + step * PROFILE_STEP_MHZ;
            double ratio = (double) mhz / NAMEPLATE_MHZ;
            list.add(new Preset(
                    mhz + "MHz",
                    step,
                    mhz,
                    Math.round(spec.nameplateWatts() * Math.pow(ratio, 1.2)),
                    round2(spec.nameplateThs() * ratio)));
        }
        this.presets = List.copyOf(list);
        this.active = presets.get(STEPS_DOWN);
    }

    /** The profiles {@code profiles} lists, lowest first. */
    public List<String> profileNames() {
        return presets.stream().map(Preset::name).toList();
    }

    /** The watts of a listed profile. */
    public long profileWatts(String name) {
        return presets.stream()
                .filter(p -> p.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no profile " + name))
                .watts();
    }

    /** The active profile's name. */
    public synchronized String activeProfile() {
        return active.name();
    }

    public synchronized boolean atmEnabled() {
        return atmEnabled;
    }

    /** Turns ATM on or off, as an operator would in the web UI. */
    public synchronized void setAtmEnabled(boolean enabled) {
        atmEnabled = enabled;
    }

    /** True while the unit restarts and answers nothing. */
    public synchronized boolean rebooting() {
        return rebootingUntil != null && clock.instant().isBefore(rebootingUntil);
    }

    @Override
    public synchronized @Nullable ObjectNode handle(String text) {
        Instant now = clock.instant();
        if (rebootingUntil != null) {
            if (now.isBefore(rebootingUntil)) {
                model.advanceTo(now);
                return null; // restarting: the connection is closed without a reply
            }
            if (sleepAcrossReboot) {
                model.advanceTo(rebootingUntil);
                model.sleep();
                sleepAcrossReboot = false;
            }
            rebootingUntil = null;
        }
        RpcRequest request;
        try {
            request = RpcRequest.parse(text);
        } catch (RpcRequest.InvalidRequestException e) {
            return error(e.code(), e.getMessage());
        }
        model.advanceTo(clock.instant());
        String command = request.command();
        if (command.contains("+")) {
            return multi(command);
        }
        Function<MinerSnapshot, ObjectNode> report = reports.get(command);
        if (report != null) {
            return report.apply(model.snapshot());
        }
        switch (command) {
            case "session":
                return session();
            case "logon":
                return logon();
            case "logoff":
                return logoff(request.parameter());
            case "curtail":
                return curtail(request.parameter());
            case "profileset":
                return profileset(request.parameter());
            case "atmset":
                return atmset(request.parameter());
            case "rebootdevice":
                return rebootdevice(request.parameter(), now);
            default:
                return error(CODE_INVALID_COMMAND, "Invalid command");
        }
    }

    /** {@code a+b}: each report's full reply under its own lower-case key (cgminer join). */
    private ObjectNode multi(String command) {
        MinerSnapshot snapshot = model.snapshot();
        ObjectNode reply = JSON.objectNode();
        for (String part : command.split("\\+")) {
            String name = part.strip();
            if (name.isEmpty() || reply.has(name)) {
                continue;
            }
            Function<MinerSnapshot, ObjectNode> report = reports.get(name);
            ObjectNode partReply;
            if (report != null) {
                partReply = report.apply(snapshot);
            } else if (controls.contains(name)) {
                partReply = error(CODE_ACCESS_DENIED, "Access denied to '" + name + "' command");
            } else {
                partReply = error(CODE_INVALID_COMMAND, "Invalid command");
            }
            reply.putArray(name).add(partReply);
        }
        reply.put("id", 1);
        return reply;
    }

    // ---- control -------------------------------------------------------------------------------------------

    private ObjectNode session() {
        ObjectNode reply = envelope("S", CODE_SESSION, "Session");
        reply.putArray("SESSION")
                .addObject()
                .put("SessionID", sessions.current().orElse(""));
        return finish(reply);
    }

    private ObjectNode logon() {
        Optional<String> id = sessions.logon();
        if (id.isEmpty()) {
            // LuxOS allows one session at a time; a second logon is refused until the first ends or expires.
            return error(CODE_SESSION_ACTIVE, "Another session is active");
        }
        ObjectNode reply = envelope("S", CODE_LOGON, "Logon");
        reply.putArray("SESSION").addObject().put("SessionID", id.get());
        return finish(reply);
    }

    private ObjectNode logoff(String parameter) {
        String id = parameter.split(",", -1)[0].strip();
        if (!sessions.logoff(id)) {
            return error(CODE_INVALID_SESSION, "Invalid session id");
        }
        return finish(envelope("S", CODE_LOGOFF, "Logoff"));
    }

    private ObjectNode curtail(String parameter) {
        String[] parts = parameter.split(",", -1);
        if (!sessions.use(parts[0].strip())) {
            return error(CODE_INVALID_SESSION, "Invalid session id");
        }
        String action = parts.length > 1 ? parts[1].strip().toLowerCase(Locale.ROOT) : "";
        switch (action) {
            case "sleep":
                model.sleep();
                break;
            case "wakeup":
                model.wakeUp();
                break;
            default:
                return error(CODE_INVALID_PARAMETER, "Invalid curtail action '" + action + "'");
        }
        ObjectNode reply = envelope("S", CODE_CURTAIL, "Curtail");
        reply.putArray("CURTAIL").addObject().put("Action", action);
        return finish(reply);
    }

    private ObjectNode profileset(String parameter) {
        String[] parts = parameter.split(",", -1);
        if (!sessions.use(parts[0].strip())) {
            return error(CODE_INVALID_SESSION, "Invalid session id");
        }
        String name = parts.length == 2 ? parts[1].strip() : "";
        Optional<Preset> preset =
                presets.stream().filter(p -> p.name().equals(name)).findFirst();
        if (preset.isEmpty()) {
            return error(CODE_INVALID_PARAMETER, "Invalid profile '" + AvalonRpc.printable(name) + "'");
        }
        if (atmEnabled) {
            // LuxOS refuses a profile change while ATM manages the profile (DEVICES.md §4.5); text inferred.
            return error(CODE_ATM_ENABLED, "Cannot set profile while ATM is enabled");
        }
        active = preset.get();
        model.setPowerTargetWatts(active.watts());
        ObjectNode reply = envelope("S", CODE_PROFILE_SET, "Profile set");
        reply.putArray("PROFILE").addObject().put("Profile", active.name());
        return finish(reply);
    }

    private ObjectNode atmset(String parameter) {
        String[] parts = parameter.split(",", -1);
        if (!sessions.use(parts[0].strip())) {
            return error(CODE_INVALID_SESSION, "Invalid session id");
        }
        if (parts.length < 2) {
            return error(CODE_INVALID_PARAMETER, "atmset needs at least one key=value");
        }
        Boolean enabled = null;
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].split("=", 2);
            String key = kv[0].strip().toLowerCase(Locale.ROOT);
            if (kv.length != 2 || !ATMSET_KEYS.contains(key)) {
                return error(
                        CODE_INVALID_PARAMETER, "Invalid atmset parameter '" + AvalonRpc.printable(parts[i]) + "'");
            }
            if (key.equals("enabled")) {
                String value = kv[1].strip().toLowerCase(Locale.ROOT);
                if (!value.equals("true") && !value.equals("false")) {
                    return error(CODE_INVALID_PARAMETER, "enabled must be true or false");
                }
                enabled = value.equals("true");
            }
        }
        if (enabled != null) {
            atmEnabled = enabled;
        }
        ObjectNode reply = envelope("S", CODE_ATM_SET, "ATM set");
        atmEntry(reply);
        return finish(reply);
    }

    private ObjectNode rebootdevice(String parameter, Instant now) {
        if (!sessions.use(parameter.split(",", -1)[0].strip())) {
            return error(CODE_INVALID_SESSION, "Invalid session id");
        }
        sleepAcrossReboot = model.mode() == Mode.SLEEP;
        model.cutPower();
        model.restorePower(rebootPeriod);
        rebootingUntil = now.plus(rebootPeriod);
        sessions.logoff(sessions.current().orElse(""));
        return finish(envelope("S", CODE_REBOOT, "Rebooting device"));
    }

    // ---- reports -------------------------------------------------------------------------------------------

    private ObjectNode profiles() {
        ObjectNode reply = envelope("S", CODE_PROFILES, "List profiles");
        ArrayNode list = reply.putArray("PROFILES");
        for (Preset p : presets) {
            ObjectNode e = list.addObject();
            e.put("CanRestore", true);
            e.put("Frequency", p.frequencyMhz());
            e.put("HasOverrides", false);
            e.put("Hashrate", p.ths());
            e.put("IsDynamic", true);
            e.put("IsTuned", p == active);
            e.put("Profile Name", p.name());
            e.put("Step", Integer.toString(p.step()));
            e.put("Voltage", round2(12.0 + 0.15 * p.step()));
            e.put("Watts", p.watts());
        }
        return finish(reply);
    }

    private ObjectNode atm() {
        ObjectNode reply = envelope("S", CODE_ATM, "ATM configuration");
        atmEntry(reply);
        return finish(reply);
    }

    /** {@code ATM[0]}: {@code Enabled} as pyasic reads it; the other keys follow atmset's parameters (inferred). */
    private void atmEntry(ObjectNode reply) {
        ObjectNode a = reply.putArray("ATM").addObject();
        a.put("Enabled", atmEnabled);
        a.put("MaxProfile", "");
        a.put("MinProfile", "");
        a.put("PostRampMinutes", 10);
        a.put("StartupMinutes", 15);
        a.put("TempWindow", 10);
    }

    private ObjectNode version() {
        ObjectNode reply = envelope("S", 22, "LUXminer versions");
        ObjectNode v = reply.putArray("VERSION").addObject();
        v.put("API", "3.7");
        v.put("CompileTime", COMPILE_TIME);
        v.put("LUXminer", FIRMWARE.substring("LUXminer ".length()));
        v.put("Miner", MINER_VERSION);
        v.put("Type", model.spec().model());
        return finish(reply);
    }

    private ObjectNode summary(MinerSnapshot s) {
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

    private ObjectNode stats(MinerSnapshot s) {
        MinerSpec spec = model.spec();
        long elapsed = elapsedSeconds(s);
        ObjectNode reply = envelope("S", 70, "LUXminer stats");
        ArrayNode stats = reply.putArray("STATS");
        ObjectNode head = stats.addObject();
        head.put("CompileTime", COMPILE_TIME);
        head.put("Miner", MINER_VERSION);
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
        m.put("miner_version", MINER_VERSION);
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

    private ObjectNode devs(MinerSnapshot s) {
        MinerSpec spec = model.spec();
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

    private ObjectNode pools(MinerSnapshot s) {
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

    private ObjectNode power(MinerSnapshot s) {
        ObjectNode reply = envelope("S", 311, "Power usage");
        ObjectNode p = reply.putArray("POWER").addObject();
        // false as in the capture: the figure is the firmware's estimate, not a PSU reading.
        p.put("PSU", false);
        p.put("Watts", Math.round(s.powerWatts()));
        return finish(reply);
    }

    private ObjectNode config(MinerSnapshot s) {
        MinerSpec spec = model.spec();
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
        c.put("Profile", active.name());
        c.put("ProfileStep", Integer.toString(active.step()));
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

    private ObjectNode fans(MinerSnapshot s) {
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

    private ObjectNode temps(MinerSnapshot s) {
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

    private ObjectNode envelope(String status, int code, String msg) {
        ObjectNode reply = JSON.objectNode();
        ObjectNode s = reply.putArray("STATUS").addObject();
        s.put("STATUS", status);
        s.put("When", clock.instant().getEpochSecond());
        s.put("Code", code);
        s.put("Msg", msg);
        s.put("Description", FIRMWARE);
        return reply;
    }

    private ObjectNode error(int code, String msg) {
        return finish(envelope("E", code, msg));
    }

    private static ObjectNode finish(ObjectNode reply) {
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

    private static double round2(double value) {
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
