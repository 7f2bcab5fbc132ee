package io.headroom.controller.grid;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The {@code grid-schedule} of {@code site.yaml} turned into grid-event requests. Pure: {@link #due}
 * depends only on its argument. Each day's window becomes a request with source {@code schedule}
 * and reference {@code <reference>:<yyyy-mm-dd>} (the local date it starts on), so submitting the
 * due windows every minute is idempotent.
 *
 * <p>Times are wall-clock times in the entry's zone. On a daylight-saving change the window keeps
 * its local times: a start inside the spring-forward gap moves forward by the gap (02:30 becomes
 * 03:30), a time inside the autumn overlap means its first occurrence (the summer offset), and a
 * window that the gap shrinks to nothing is skipped that day.
 */
public final class GridSchedule {
    /** The source of every request the schedule makes. */
    public static final String SOURCE = "schedule";
    /** How far ahead {@link #due} looks. */
    public static final Duration HORIZON = Duration.ofHours(24);

    private final List<GridScheduleEntry> entries;

    public GridSchedule(List<GridScheduleEntry> entries) {
        this.entries = List.copyOf(entries);
    }

    public List<GridScheduleEntry> entries() {
        return entries;
    }

    /**
     * The windows in progress at {@code now} and those that start within the next {@link #HORIZON},
     * earliest first.
     */
    public List<GridEventRequest> due(Instant now) {
        Objects.requireNonNull(now, "now");
        List<GridEventRequest> due = new ArrayList<>();
        Instant horizon = now.plus(HORIZON);
        for (GridScheduleEntry entry : entries) {
            ZoneId zone = entry.zone();
            LocalDate today = now.atZone(zone).toLocalDate();
            for (LocalDate day = today.minusDays(1); !day.isAfter(today.plusDays(1)); day = day.plusDays(1)) {
                if (!entry.daysOfWeek().contains(day.getDayOfWeek())) {
                    continue;
                }
                Instant start = ZonedDateTime.of(day, entry.start(), zone).toInstant();
                LocalDate endDay = entry.end().isAfter(entry.start()) ? day : day.plusDays(1);
                Instant end = ZonedDateTime.of(endDay, entry.end(), zone).toInstant();
                if (!end.isAfter(start) || !end.isAfter(now) || !start.isBefore(horizon)) {
                    continue;
                }
                long seconds = Duration.between(start, end).toSeconds();
                due.add(new GridEventRequest(
                        entry.target(),
                        start,
                        end,
                        (int) Math.min(entry.rampSeconds(), Math.max(0, seconds - 1)),
                        entry.priority(),
                        SOURCE,
                        entry.reference() + ":" + day));
            }
        }
        due.sort(Comparator.comparing(GridEventRequest::start));
        return due;
    }

    /**
     * Submits every due window to {@code book} as user {@code schedule}; a window the book refuses
     * (too many open events) is skipped until the next call.
     *
     * @return how many were created or changed
     */
    public int submitDue(GridEventBook book, Instant now) {
        int changed = 0;
        for (GridEventRequest request : due(now)) {
            try {
                Submission submission = book.submit(request, SOURCE, now);
                if (submission.created()
                        || submission.event().event().updatedAt().equals(now)) {
                    changed++;
                }
            } catch (GridEventException e) {
                // Too many open events: the next call tries again.
            }
        }
        return changed;
    }
}
