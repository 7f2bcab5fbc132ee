package io.headroom.simulator.cgminer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.protocol.Mode;
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

    private final MinerModel model;
    private final Clock clock;
    private final LuxosSessions sessions;
    private final LuxosReports replies;
    private final Map<String, Function<MinerSnapshot, ObjectNode>> reports;
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
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sessions = new LuxosSessions(clock, seed);
        this.replies = new LuxosReports(model.spec(), Objects.requireNonNull(identity, "identity"), clock);
        this.reports = Map.ofEntries(
                Map.entry("version", snapshot -> replies.version()),
                Map.entry("summary", replies::summary),
                Map.entry("stats", replies::stats),
                Map.entry("devs", replies::devs),
                Map.entry("pools", replies::pools),
                Map.entry("power", replies::power),
                Map.entry("config", this::config),
                Map.entry("fans", replies::fans),
                Map.entry("temps", replies::temps),
                Map.entry("profiles", snapshot -> profiles()),
                Map.entry("atm", snapshot -> atm()));
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
                    LuxosReports.round2(spec.nameplateThs() * ratio)));
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
            e.put("Voltage", LuxosReports.round2(12.0 + 0.15 * p.step()));
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

    private ObjectNode config(MinerSnapshot snapshot) {
        return replies.config(snapshot, active.name(), active.step(), atmEnabled);
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private ObjectNode envelope(String status, int code, String msg) {
        return replies.envelope(status, code, msg);
    }

    private ObjectNode error(int code, String msg) {
        return finish(envelope("E", code, msg));
    }

    private static ObjectNode finish(ObjectNode reply) {
        return LuxosReports.finish(reply);
    }
}
