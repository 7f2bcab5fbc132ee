package io.headroom.controller.triage;

import io.headroom.controller.alert.FleetSnapshot;
import io.headroom.controller.engine.CurtailedDevice;
import io.headroom.controller.store.DeviceRecord;
import io.headroom.controller.store.DeviceState;
import io.headroom.controller.store.DeviceView;
import io.headroom.controller.store.MetricReading;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.Mode;
import io.headroom.protocol.wire.Quality;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Judges devices against the triage flags with one hot threshold and one snapshot of the engine's
 * curtailments ({@link TriageRules#now()}). A pure function of what it is given: readings marked BAD
 * never raise a flag, and a flag is only raised where the device's own state supports it — a device
 * that reports no fan speeds is never "fan failed". Cheap: one pass over the device's metrics.
 */
public final class DeviceTriage {

    /**
     * A miner hashing below this share of what its nameplate gives at its power target is
     * under-hashing: 0.85 leaves room for the ±5 % of a healthy miner's 5-second rate and the few
     * per cent a warm or ageing one loses, and still catches a dead board (a third of an S19).
     */
    public static final double UNDER_HASHING_SHARE = 0.85;

    /** A fan below this speed while its device works has stopped (idle fans of a sleeping miner are fine). */
    public static final double FAN_STOPPED_RPM = 300;

    /** A board hashing below this share of the device's best board has failed (dead boards read 0). */
    public static final double BOARD_FAILED_SHARE = 0.1;

    private static final DateTimeFormatter CLOCK =
            DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final String UNIDENTIFIED = "unidentified";
    private static final String AUTO = "auto";
    private static final String MINER = "miner";

    private final double hotC;
    private final Map<String, CurtailedDevice> curtailments;

    DeviceTriage(double hotC, Map<String, CurtailedDevice> curtailments) {
        this.hotC = hotC;
        this.curtailments = Objects.requireNonNull(curtailments, "curtailments");
    }

    /** What the engine held curtailed when this judge was made, by device id. */
    public Map<String, CurtailedDevice> curtailments() {
        return curtailments;
    }

    /**
     * False when {@code record} cannot have {@code flag} as it is now, told from the record without a view: the
     * status a flag needs, and for {@link TriageFlag#HOT} the hottest chip. A filter over every device then
     * judges ({@link #flags}) only those that may, not a view of each (D64). True where only the view can tell.
     */
    public boolean mayHave(TriageFlag flag, DeviceRecord record) {
        DeviceState status = record.status();
        boolean live = status == DeviceState.ONLINE || status == DeviceState.DEGRADED;
        return switch (flag) {
            case OFFLINE -> status == DeviceState.OFFLINE;
            case STALE -> status == DeviceState.STALE;
            case HOT -> live && record.hottestChipC() >= hotC; // NaN (no good chip reading) is never hot
            case UNDER_HASHING, FAN_FAILED, BOARD_FAILED -> live;
            case MISCONFIGURED, CURTAILED -> true;
        };
    }

    /** Every flag {@code device} has, in {@link TriageFlag} order, each with its reason in words. */
    public Map<TriageFlag, String> flags(DeviceView device) {
        EnumMap<TriageFlag, String> flags = new EnumMap<>(TriageFlag.class);
        boolean live = device.status() == DeviceState.ONLINE || device.status() == DeviceState.DEGRADED;
        if (device.status() == DeviceState.OFFLINE) {
            flags.put(TriageFlag.OFFLINE, statusWhy("offline", device));
        } else if (device.status() == DeviceState.STALE) {
            flags.put(TriageFlag.STALE, statusWhy("stale", device));
        }
        String misconfigured = misconfigured(device);
        if (misconfigured != null) {
            flags.put(TriageFlag.MISCONFIGURED, misconfigured);
        }
        CurtailedDevice held = curtailments.get(device.id());
        @Nullable Mode mode = mode(device);
        if (held != null) {
            flags.put(TriageFlag.CURTAILED, engineWhy(held));
        } else if (mode == Mode.SLEEP || mode == Mode.LOW_POWER) {
            flags.put(
                    TriageFlag.CURTAILED,
                    (mode == Mode.SLEEP ? "asleep" : "in low-power mode")
                            + " as the device reports, not by the engine (an operator's command or its own setting)");
        }
        if (!live) {
            return flags.isEmpty() ? Map.of() : Collections.unmodifiableMap(flags);
        }
        double chip = FleetSnapshot.hottestChip(device);
        if (!Double.isNaN(chip) && chip >= hotC) {
            flags.put(
                    TriageFlag.HOT,
                    String.format(Locale.ROOT, "hottest chip %.1f °C, at or above %s °C", chip, number(hotC)));
        }
        boolean asleep = mode == Mode.SLEEP;
        if (!asleep) {
            String fan = stoppedFan(device);
            if (fan != null) {
                flags.put(TriageFlag.FAN_FAILED, fan);
            }
        }
        if (!asleep && MINER.equals(device.kind())) {
            String board = failedBoard(device);
            if (board != null) {
                flags.put(TriageFlag.BOARD_FAILED, board);
            }
            String hashing = underHashing(device, held != null || mode == Mode.LOW_POWER);
            if (hashing != null) {
                flags.put(TriageFlag.UNDER_HASHING, hashing);
            }
        }
        return flags.isEmpty() ? Map.of() : Collections.unmodifiableMap(flags);
    }

    private static String statusWhy(String what, DeviceView device) {
        StringBuilder why = new StringBuilder(what);
        if (!device.statusReason().isEmpty()) {
            why.append(" (").append(device.statusReason()).append(')');
        }
        if (!device.statusMessage().isEmpty()) {
            why.append(": ").append(device.statusMessage());
        }
        return why.append(" since ").append(CLOCK.format(device.statusSince())).toString();
    }

    private static @Nullable String misconfigured(DeviceView device) {
        if (device.inConflict()) {
            return "device id claimed by agents " + String.join(", ", device.conflict())
                    + "; commands are refused until one of them stops reporting it";
        }
        if (UNIDENTIFIED.equals(device.statusReason())) {
            return "it answers but matches no firmware profile: " + device.statusMessage();
        }
        if (device.profile().isEmpty() || AUTO.equals(device.profile())) {
            return "no firmware profile drives it yet";
        }
        return null;
    }

    private static String engineWhy(CurtailedDevice held) {
        String how = switch (held.curtailment()) {
            case CAPPED ->
                Double.isNaN(held.cappedW())
                        ? "capped by the engine"
                        : "capped at " + number(held.cappedW()) + " W by the engine";
            case ASLEEP -> "asleep by the engine";
            case OUTLET_OFF -> "its outlet switched off by the engine";
            case NONE -> throw new IllegalStateException("a curtailed device is not NONE");
        };
        String eventId = held.eventId();
        String cause;
        if (eventId == null) {
            cause = " for a limit of the site tree or a market strike";
        } else if (eventId.startsWith("rsv-")) {
            cause = " for reservation " + eventId.substring(4);
        } else {
            cause = " for grid event " + eventId;
        }
        return how + cause + (held.since() == null ? "" : " since " + CLOCK.format(held.since()));
    }

    private static @Nullable Mode mode(DeviceView device) {
        MetricReading reading = device.metric(MetricDictionary.MODE);
        if (reading == null || reading.quality() == Quality.QUALITY_BAD) {
            return null;
        }
        for (Mode mode : Mode.values()) {
            if (mode.code() == reading.value()) {
                return mode;
            }
        }
        return null;
    }

    /** The first fan below {@link #FAN_STOPPED_RPM} while the device draws power or hashes. */
    private static @Nullable String stoppedFan(DeviceView device) {
        if (!working(device)) {
            return null;
        }
        for (Map.Entry<String, MetricReading> metric : device.metrics().entrySet()) {
            String instance = instance(metric.getKey(), MetricDictionary.FAN_SPEED);
            MetricReading reading = metric.getValue();
            if (instance != null && reading.quality() != Quality.QUALITY_BAD && reading.value() < FAN_STOPPED_RPM) {
                return String.format(
                        Locale.ROOT,
                        "%s at %s rpm while the device works",
                        instance.isEmpty() ? "fan" : instance,
                        number(reading.value()));
            }
        }
        return null;
    }

    private static boolean working(DeviceView device) {
        double hashrate = good(device, MetricDictionary.HASHRATE);
        if (hashrate > 0) {
            return true;
        }
        double power = good(device, MetricDictionary.POWER);
        return device.nameplatePowerW() > 0 && power > 0.1 * device.nameplatePowerW();
    }

    /** A board hashing below {@link #BOARD_FAILED_SHARE} of the best one, when at least two report. */
    private static @Nullable String failedBoard(DeviceView device) {
        List<Map.Entry<String, Double>> boards = new ArrayList<>();
        double best = 0;
        String bestName = "";
        for (Map.Entry<String, MetricReading> metric : device.metrics().entrySet()) {
            String instance = instance(metric.getKey(), MetricDictionary.HASHRATE);
            MetricReading reading = metric.getValue();
            if (instance == null || instance.isEmpty() || reading.quality() == Quality.QUALITY_BAD) {
                continue;
            }
            boards.add(Map.entry(instance, reading.value()));
            if (reading.value() > best) {
                best = reading.value();
                bestName = instance;
            }
        }
        if (boards.size() < 2 || best <= 0) {
            return null;
        }
        for (Map.Entry<String, Double> board : boards) {
            if (board.getValue() < BOARD_FAILED_SHARE * best) {
                return String.format(
                        Locale.ROOT,
                        "%s hashing %.1f TH/s while %s hashes %.1f TH/s",
                        board.getKey(),
                        board.getValue(),
                        bestName,
                        best);
            }
        }
        return null;
    }

    /**
     * Below {@link #UNDER_HASHING_SHARE} of the nameplate hashrate scaled to the power target (the
     * nameplate power without one): a miner capped by the engine is judged at its cap, not its rating.
     */
    private static @Nullable String underHashing(DeviceView device, boolean curtailed) {
        double ratedThs = device.nameplateHashrateThs();
        double ratedW = device.nameplatePowerW();
        double hashrate = good(device, MetricDictionary.HASHRATE);
        if (Double.isNaN(hashrate)) {
            return null;
        }
        if (!(ratedThs > 0) || !(ratedW > 0)) {
            return curtailed ? null : underItsOwnAverage(device, hashrate, ratedW);
        }
        double target = good(device, MetricDictionary.POWER_TARGET);
        double atW = target > 0 ? Math.min(target, ratedW) : ratedW;
        double expected = ratedThs * atW / ratedW;
        if (hashrate >= UNDER_HASHING_SHARE * expected) {
            return null;
        }
        return String.format(
                Locale.ROOT,
                "hashing %.1f TH/s, %.0f %% of the %.1f TH/s its nameplate gives at %s W",
                hashrate,
                hashrate / expected * 100,
                expected,
                number(atW));
    }

    /**
     * Without a rated hashrate (LuxOS runs on many models, so its profile gives none): below
     * {@link #UNDER_HASHING_SHARE} of the miner's own average since it started mining. A board that fails drops
     * the 5-second rate at once while the long average barely moves; a miner that has hashed low since its
     * start is not caught this way, which only a rating can do (D60). The average may come from another setting,
     * so a miner curtailed by the engine or set well below its nameplate power (a power target under
     * {@link #UNDER_HASHING_SHARE} of it) is not judged against it.
     */
    private static @Nullable String underItsOwnAverage(DeviceView device, double hashrate, double ratedW) {
        double average = good(device, MetricDictionary.HASHRATE_AVERAGE);
        double target = good(device, MetricDictionary.POWER_TARGET);
        if (!(average > 0) || hashrate >= UNDER_HASHING_SHARE * average) {
            return null;
        }
        if (target > 0 && (!(ratedW > 0) || target < UNDER_HASHING_SHARE * ratedW)) {
            return null;
        }
        return String.format(
                Locale.ROOT,
                "hashing %.1f TH/s, %.0f %% of its own average of %.1f TH/s since it started mining (no rated"
                        + " hashrate in its profile)",
                hashrate,
                hashrate / average * 100,
                average);
    }

    /** The device-total reading of {@code name} unless marked BAD, else NaN. */
    private static double good(DeviceView device, String name) {
        MetricReading reading = device.metric(name);
        return reading == null || reading.quality() == Quality.QUALITY_BAD ? Double.NaN : reading.value();
    }

    /** The instance of {@code key} when it is a reading of {@code name} ("" for the total), else null. */
    private static @Nullable String instance(String key, String name) {
        if (key.equals(name)) {
            return "";
        }
        if (key.length() > name.length() + 1
                && key.startsWith(name)
                && key.charAt(name.length()) == '['
                && key.endsWith("]")) {
            return key.substring(name.length() + 1, key.length() - 1);
        }
        return null;
    }

    private static String number(double value) {
        return value == Math.rint(value) ? String.format(Locale.ROOT, "%,.0f", value) : String.valueOf(value);
    }
}
