package io.headroom.agent.driver.cgminer;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.driver.Reading;
import io.headroom.profiles.Capability;
import io.headroom.profiles.FirmwareProfile;
import io.headroom.profiles.ReadBack;
import io.headroom.protocol.Mode;
import io.headroom.protocol.Verbs;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one capability of a cgminer profile: choose a power preset when the firmware sets power by
 * presets, release an interlock (LuxOS ATM), open the write session, send the control, close the session,
 * and read the result back at once. Every device fault is an outcome, never an exception.
 */
final class CgminerCommands {

    private static final Logger logger = LoggerFactory.getLogger(CgminerCommands.class);

    private final String deviceId;
    private final FirmwareProfile profile;
    private final CgminerPoints points;
    private final CgminerClient client;
    private final Clock clock;

    CgminerCommands(String deviceId, FirmwareProfile profile, CgminerPoints points, CgminerClient client, Clock clock) {
        this.deviceId = deviceId;
        this.profile = profile;
        this.points = points;
        this.client = client;
        this.clock = clock;
    }

    CommandOutcome execute(Verb verb, double value, String instance) throws InterruptedException {
        Optional<Capability> capability = profile.capability(verb);
        CgminerControl control = points.controls().get(Verbs.name(verb));
        if (capability.isEmpty() || control == null) {
            return outcome(
                    ResultStatus.RESULT_STATUS_REJECTED,
                    "unsupported",
                    profile.id() + " has no " + Verbs.name(verb) + " capability",
                    OptionalDouble.empty());
        }
        PowerPreset preset = null;
        boolean releaseInterlock = false;
        if (control.usesPreset()) {
            PowerPresets spec = points.powerPresets().orElseThrow();
            List<PowerPreset> presets;
            if (spec.fromDevice()) {
                try {
                    presets = PresetReadings.listed(
                            spec,
                            client.request(spec.command()).requireSection().root());
                } catch (CgminerException e) {
                    return failed(e.reason(), "cannot read the presets: " + e.getMessage());
                }
                if (presets.isEmpty()) {
                    return failed(CgminerException.BAD_RESPONSE, spec.command() + " lists no preset with its watts");
                }
            } else {
                presets = spec.declared();
            }
            Optional<PowerPreset> chosen = PowerPresets.select(presets, value);
            if (chosen.isEmpty()) {
                return outcome(
                        ResultStatus.RESULT_STATUS_REJECTED,
                        "below-lowest-preset",
                        formatWatts(value) + " W is below the lowest preset of " + profile.id() + "; presets: "
                                + describe(presets),
                        OptionalDouble.empty());
            }
            preset = chosen.get();
            Optional<CommandOutcome> already = alreadyAt(capability.get(), preset, value);
            if (already.isPresent()) {
                return already.get();
            }
            if (spec.interlock().isPresent()) {
                PresetInterlock interlock = spec.interlock().get();
                try {
                    JsonNode flag = CgminerReadings.at(
                            client.request(interlock.command()).root(), interlock.path());
                    releaseInterlock = flag != null
                            && flag.isValueNode()
                            && flag.asText().strip().equalsIgnoreCase(interlock.engaged());
                } catch (CgminerException e) {
                    return failed(e.reason(), "cannot read " + interlock.path() + ": " + e.getMessage());
                }
            }
        }
        PresetInterlock interlock = releaseInterlock
                ? points.powerPresets().orElseThrow().interlock().orElseThrow()
                : null;
        boolean needsSession = control.needsSession()
                || (interlock != null && interlock.release().needsSession());
        String sessionId = null;
        if (needsSession) {
            SessionSpec session = points.session().orElseThrow();
            try {
                CgminerReply logon = client.request(session.logon());
                JsonNode id = CgminerReadings.at(logon.root(), session.idPath());
                if (id == null || !id.isValueNode() || id.asText().isBlank()) {
                    return failed(CgminerException.BAD_RESPONSE, "logon reply has no " + session.idPath());
                }
                sessionId = id.asText();
            } catch (CgminerException e) {
                // LuxOS allows one session at a time (DEVICES.md §4.5); its refusal names the session.
                boolean busy = e.reason().equals(CgminerException.DEVICE_ERROR)
                        && e.getMessage().toLowerCase(Locale.ROOT).contains("session");
                return failed(busy ? "session-busy" : e.reason(), e.getMessage());
            }
        }
        long now = clock.instant().getEpochSecond();
        String presetName = preset == null ? "" : preset.name();
        try {
            if (interlock != null) {
                CgminerControl release = interlock.release();
                send(release, release.fill(sessionId, value, instance, now, presetName));
            }
            send(control, control.fill(sessionId, value, instance, now, presetName));
        } catch (CgminerException e) {
            return failed(e.reason(), e.getMessage());
        } finally {
            if (sessionId != null) {
                logoff(points.session().orElseThrow(), sessionId);
            }
        }
        String released = interlock == null ? "" : " (" + interlock.path() + " was on; released first)";
        if (control.confirm().isPresent()) {
            return confirm(control, control.confirm().get());
        }
        if (preset != null) {
            return presetReadBack(capability.get(), control, preset, value, released);
        }
        return readBack(verb, capability.get(), control, value);
    }

    /**
     * APPLIED without a write when the device already runs the chosen preset: a set-point held by the agent
     * and re-applied (its value lies between presets, so the read-back never equals it) must not make the
     * firmware re-tune each time. Empty when the device runs another preset or cannot be read (then the
     * write goes ahead and its own read-back decides).
     */
    private Optional<CommandOutcome> alreadyAt(Capability capability, PowerPreset preset, double wanted)
            throws InterruptedException {
        ReadBack readBack = capability.readBack().orElseThrow();
        OptionalDouble observed;
        try {
            observed = readMetric(readBack.metric());
        } catch (CgminerException e) {
            return Optional.empty();
        }
        if (observed.isEmpty() || Math.abs(observed.getAsDouble() - preset.watts()) > readBack.tolerance()) {
            return Optional.empty();
        }
        return Optional.of(outcome(
                ResultStatus.RESULT_STATUS_APPLIED,
                "",
                "preset " + preset + " for " + formatWatts(wanted) + " W already in force; " + readBack.metric()
                        + " reads " + formatWatts(observed.getAsDouble()) + " W, nothing sent",
                observed));
    }

    /** Sends one control; a reply the control may omit is not a failure (the read-back decides). */
    private void send(CgminerControl control, String parameter) throws CgminerException, InterruptedException {
        try {
            CgminerReply.parse(
                    control.command(), client.exchange(control.command(), parameter), control.acceptStatus());
        } catch (CgminerException e) {
            boolean silent = e.emptyReply() || e.reason().equals(CgminerException.TIMEOUT);
            if (!(control.replyOptional() && silent)) {
                throw e;
            }
            logger.debug("device {}: {} closed without a reply; reading back", deviceId, control.command());
        }
    }

    private void logoff(SessionSpec session, String sessionId) throws InterruptedException {
        try {
            client.request(session.logoff(), sessionId);
        } catch (CgminerException e) {
            // The session expires on its own after a minute idle (DEVICES.md §4.5).
            logger.debug("device {}: {} failed: {}", deviceId, session.logoff(), e.getMessage());
        }
    }

    /** An Avalon status key must read the expected value ({@code Led[1]} after locate-on). */
    private CommandOutcome confirm(CgminerControl control, StatusConfirm confirm) throws InterruptedException {
        AvalonPoints avalon = points.avalon().orElseThrow();
        Optional<AvalonStatus> status;
        try {
            status = AvalonReadings.status(client.request(avalon.command()).root());
        } catch (CgminerException e) {
            return failed("readback-failed", control.command() + " sent, but reading back failed: " + e.getMessage());
        } catch (AvalonStatusException e) {
            return failed("readback-failed", control.command() + " sent, but MM ID0 is unreadable: " + e.getMessage());
        }
        Optional<String> seen = status.flatMap(s -> s.text(confirm.key()));
        OptionalDouble number = seen.isPresent() ? AvalonStatus.parseNumber(seen.get()) : OptionalDouble.empty();
        if (seen.isPresent() && seen.get().equals(confirm.expect())) {
            return outcome(
                    ResultStatus.RESULT_STATUS_APPLIED, "", confirm.key() + " confirms " + confirm.expect(), number);
        }
        return outcome(
                ResultStatus.RESULT_STATUS_FAILED,
                "readback-mismatch",
                "expected " + confirm.key() + "[" + confirm.expect() + "] after " + control.command()
                        + ", device reports "
                        + seen.map(v -> confirm.key() + "[" + v + "]").orElse("no " + confirm.key()),
                number);
    }

    /** The read-back metric must show the chosen preset's watts. */
    private CommandOutcome presetReadBack(
            Capability capability, CgminerControl control, PowerPreset preset, double wanted, String released)
            throws InterruptedException {
        ReadBack readBack = capability.readBack().orElseThrow();
        String chosen = "preset " + preset + " for " + formatWatts(wanted) + " W" + released;
        OptionalDouble observed;
        try {
            observed = readMetric(readBack.metric());
        } catch (CgminerException e) {
            return failed(
                    "readback-failed",
                    control.command() + " sent (" + chosen + "), but reading back failed: " + e.getMessage());
        }
        if (observed.isPresent() && Math.abs(observed.getAsDouble() - preset.watts()) <= readBack.tolerance()) {
            return outcome(
                    ResultStatus.RESULT_STATUS_APPLIED,
                    "",
                    chosen + "; " + readBack.metric() + " confirms " + formatWatts(observed.getAsDouble()) + " W",
                    observed);
        }
        return outcome(
                ResultStatus.RESULT_STATUS_FAILED,
                "readback-mismatch",
                "expected " + readBack.metric() + " " + formatWatts(preset.watts()) + " ± " + readBack.tolerance()
                        + " after " + chosen + ", device reports "
                        + (observed.isPresent() ? formatWatts(observed.getAsDouble()) + " W" : "an unknown value"),
                observed);
    }

    /** Reads the capability's read-back metric at once: the device's own report of what it now does. */
    private CommandOutcome readBack(Verb verb, Capability capability, CgminerControl control, double value)
            throws InterruptedException {
        if (capability.readBack().isEmpty()) {
            return outcome(
                    ResultStatus.RESULT_STATUS_APPLIED,
                    "",
                    control.command() + " accepted by the device",
                    OptionalDouble.empty());
        }
        ReadBack wanted = capability.readBack().get();
        OptionalDouble observed;
        try {
            observed = readMetric(wanted.metric());
        } catch (CgminerException e) {
            return failed(
                    "readback-failed",
                    control.command() + " sent, but reading back " + wanted.metric() + " failed: " + e.getMessage());
        }
        Optional<Mode> expect = capability.expectedMode();
        if (expect.isPresent()) {
            if (observed.isPresent() && satisfies(Mode.fromCode((int) observed.getAsDouble()), expect.get())) {
                return outcome(
                        ResultStatus.RESULT_STATUS_APPLIED,
                        "",
                        wanted.metric() + " confirms " + expect.get(),
                        observed);
            }
            String seen = observed.isPresent()
                    ? String.valueOf(Mode.fromCode((int) observed.getAsDouble()))
                    : "an unknown value";
            return outcome(
                    ResultStatus.RESULT_STATUS_FAILED,
                    "readback-mismatch",
                    "expected " + expect.get() + " after " + control.command() + ", device reports " + seen,
                    observed);
        }
        if (observed.isPresent() && Math.abs(observed.getAsDouble() - value) <= wanted.tolerance()) {
            return outcome(
                    ResultStatus.RESULT_STATUS_APPLIED,
                    "",
                    wanted.metric() + " confirms " + observed.getAsDouble(),
                    observed);
        }
        return outcome(
                ResultStatus.RESULT_STATUS_FAILED,
                "readback-mismatch",
                "expected " + value + " ± "
                        + wanted.tolerance() + " after " + Verbs.name(verb) + ", device reports "
                        + (observed.isPresent() ? observed.getAsDouble() : "an unknown value"),
                observed);
    }

    /**
     * A mining mode satisfies an expected {@code normal} (a woken Avalon in its eco work mode reads
     * {@code low-power}: it is awake); otherwise the mode must be the expected one (docs/decisions.md D30).
     */
    static boolean satisfies(@Nullable Mode observed, Mode expected) {
        if (observed == null) {
            return false;
        }
        if (expected == Mode.NORMAL) {
            return observed != Mode.SLEEP;
        }
        return observed == expected;
    }

    /**
     * The device total of a metric as a poll would read it now: a field mapping's command, or the commands the
     * Avalon decoder or the preset join read.
     *
     * @throws CgminerException when a needed command fails, or its reply cannot be decoded
     */
    OptionalDouble readMetric(String metric) throws CgminerException, InterruptedException {
        Optional<FieldMapping> field = points.field(metric);
        if (field.isPresent()) {
            return CgminerReadings.fieldValue(
                    field.get(), client.request(field.get().command()).root());
        }
        List<String> commands = new ArrayList<>();
        if (points.avalon().isPresent() && AvalonReadings.METRICS.contains(metric)) {
            commands.add(points.avalon().get().command());
        } else {
            PowerPresets presets = points.powerPresets().orElseThrow();
            commands.add(presets.command());
            commands.add(presets.activeCommand());
        }
        Map<String, JsonNode> roots = new LinkedHashMap<>();
        for (String command : commands) {
            roots.put(command, client.request(command).root());
        }
        List<CgminerException> problems = new ArrayList<>();
        List<Reading> readings = CgminerReadings.read(points, roots, problems);
        OptionalDouble value = readings.stream()
                .filter(r -> r.metric().equals(metric) && r.instance().isEmpty())
                .mapToDouble(Reading::value)
                .findFirst();
        if (value.isEmpty() && !problems.isEmpty()) {
            throw problems.get(0);
        }
        return value;
    }

    static String describe(List<PowerPreset> presets) {
        return presets.stream()
                .sorted(java.util.Comparator.comparingDouble(PowerPreset::watts))
                .map(PowerPreset::toString)
                .collect(Collectors.joining(", "));
    }

    private static String formatWatts(double watts) {
        return watts == Math.rint(watts) && Math.abs(watts) < 1e15
                ? Long.toString((long) watts)
                : String.format(Locale.ROOT, "%.1f", watts);
    }

    private static CommandOutcome failed(String reason, String message) {
        return outcome(ResultStatus.RESULT_STATUS_FAILED, reason, message, OptionalDouble.empty());
    }

    private static CommandOutcome outcome(ResultStatus status, String reason, String message, OptionalDouble readBack) {
        return new CommandOutcome(status, reason, message, readBack);
    }
}
