package io.headroom.controller.grid;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.config.Range;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One recurring window of the {@code grid-schedule} in {@code site.yaml}, e.g. a 4CP peak window:
 * on the given days, from {@code start-time} to {@code end-time} in {@code time-zone}. An end-time
 * at or before the start-time ends the next day (a window across midnight).
 *
 * @param reference the window's name; each day's event has the reference {@code <reference>:<date>}
 * @param days the days it starts on; empty means every day
 * @param startTime local start, {@code HH:MM}
 * @param endTime local end, {@code HH:MM}
 * @param timeZone an IANA zone such as {@code America/Chicago}
 * @param targetKw the site at or below this; exactly one of the three targets
 * @param reduceKw the site this far below its load at the start
 * @param reducePercent the site this share below its load at the start
 * @param rampSeconds the deadline to reach the target, from the start
 * @param priority normal (ramp) or emergency (at once)
 */
@Doc("A recurring grid event window, e.g. a 4CP peak window.")
public record GridScheduleEntry(
        @Doc("Name of the window; each day's event is referenced as <reference>:<yyyy-mm-dd>.")
        String reference,

        @Doc("Days the window starts on (mon … sun); empty or absent means every day.")
        List<Weekday> days,

        @Doc("Local start time, HH:MM.") String startTime,

        @Doc("Local end time, HH:MM; at or before start-time means the next day.")
        String endTime,

        @Doc("IANA time zone of the times, e.g. America/Chicago.") @Default("UTC")
        String timeZone,

        @Doc("The site at or below this many kW. Exactly one of target-kw, reduce-kw, reduce-percent.")
        @Range(min = "0.001", max = "1000000")
        Optional<Double> targetKw,

        @Doc("The site this many kW below its load at the start.") @Range(min = "0.001", max = "1000000")
        Optional<Double> reduceKw,

        @Doc("The site this percentage below its load at the start.") @Range(min = "0.001", max = "100")
        Optional<Double> reducePercent,

        @Doc("Seconds from the start to reach the target.") @Default("300") @Range(min = "0", max = "86400")
        int rampSeconds,

        @Doc("normal (ramp down) or emergency (target at once).") @Default("normal")
        GridEventPriority priority) {

    private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    public GridScheduleEntry {
        if (!REFERENCE.matcher(reference).matches()) {
            throw new IllegalArgumentException("reference: 1..100 letters, digits and . _ - (starting with a letter or"
                    + " digit), got '" + reference + "'");
        }
        days = List.copyOf(days);
        LocalTime start = time("start-time", startTime);
        LocalTime end = time("end-time", endTime);
        try {
            ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(
                    "time-zone: not a known time zone: '" + timeZone + "'; write an IANA name like America/Chicago", e);
        }
        int targets =
                (targetKw.isPresent() ? 1 : 0) + (reduceKw.isPresent() ? 1 : 0) + (reducePercent.isPresent() ? 1 : 0);
        if (targets != 1) {
            throw new IllegalArgumentException(
                    "target-kw: give exactly one of target-kw, reduce-kw, reduce-percent, not " + targets);
        }
        long minutes = Duration.between(start, end).toMinutes();
        if (minutes <= 0) {
            minutes += 24 * 60;
        }
        if (rampSeconds >= minutes * 60) {
            throw new IllegalArgumentException(
                    "ramp-seconds: must be shorter than the window (" + minutes * 60 + " s), got " + rampSeconds);
        }
        Objects.requireNonNull(priority, "priority");
    }

    /** The target asked for. */
    public RequestedTarget target() {
        if (targetKw.isPresent()) {
            return new RequestedTarget(RequestedTarget.Kind.TARGET_KW, targetKw.get());
        }
        if (reduceKw.isPresent()) {
            return new RequestedTarget(RequestedTarget.Kind.REDUCE_KW, reduceKw.get());
        }
        return new RequestedTarget(RequestedTarget.Kind.REDUCE_PERCENT, reducePercent.orElseThrow());
    }

    public LocalTime start() {
        return LocalTime.parse(startTime, HH_MM);
    }

    public LocalTime end() {
        return LocalTime.parse(endTime, HH_MM);
    }

    public ZoneId zone() {
        return ZoneId.of(timeZone);
    }

    /** The days the window starts on; every day when none are listed. */
    public Set<DayOfWeek> daysOfWeek() {
        Set<DayOfWeek> set = EnumSet.noneOf(DayOfWeek.class);
        if (days.isEmpty()) {
            set.addAll(EnumSet.allOf(DayOfWeek.class));
        }
        days.forEach(d -> set.add(d.day()));
        return set;
    }

    private static LocalTime time(String key, String text) {
        try {
            if (text.length() != 5) {
                throw new DateTimeParseException("not HH:MM", text, 0);
            }
            return LocalTime.parse(text, HH_MM);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(key + ": must be a local time HH:MM like 16:00, got '" + text + "'", e);
        }
    }
}
