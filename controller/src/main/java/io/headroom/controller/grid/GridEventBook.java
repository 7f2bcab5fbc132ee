package io.headroom.controller.grid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The site's grid events and their compliance records. The control engine asks it for the site's
 * target each tick ({@link #activeTarget}) and reports the site root's load back ({@link
 * #observe}), which drives each event's state; the API and the schedule submit and cancel events.
 * Thread-safe: every method takes the book's lock. Time is always passed in.
 *
 * <p>Curtailment is proven by the meter: only a load that came from the site meter moves an event
 * to {@code holding}. An event whose ramp deadline passes first becomes {@code failed} and keeps
 * its target until its end: failed is the compliance verdict, not a stop.
 */
public final class GridEventBook {

    /** The least time between two compliance samples of one event. */
    public static final Duration SAMPLE_INTERVAL = Duration.ofSeconds(5);
    /** Samples kept per event; at the cap every other sample is dropped (the older record thins out). */
    public static final int MAX_SAMPLES = 2000;
    /** Devices kept per event. */
    public static final int MAX_DEVICES = 100_000;
    /** Events that are not final; a new one past this is refused (updates are not). */
    public static final int MAX_OPEN = 100;
    /** Events kept in all; the oldest final ones go first. */
    public static final int MAX_KEPT = 500;
    /**
     * The share of ramp_seconds over which a normal event's target ramps down; the rest of the ramp
     * is left for devices to settle and for the meter to prove it.
     */
    public static final double RAMP_FRACTION = 0.8;

    /** The id of an event in a {@link #preview}. */
    public static final String DRY_RUN_ID = "dry-run";

    private final Map<String, GridEvent> events = new LinkedHashMap<>();
    private final GridEventListener listener;
    private final Supplier<String> ids;
    private @Nullable Double lastLoadKw;
    /**
     * Loads observed over the last {@link #BASELINE_WINDOW}, oldest first: a reduce event's baseline is
     * the highest of them, so one glitched sample (a meter read as 0 W for a moment) cannot set it.
     */
    private final java.util.ArrayDeque<double[]> recentLoads = new java.util.ArrayDeque<>();

    /** How far back the baseline of a reduce event looks. */
    public static final Duration BASELINE_WINDOW = Duration.ofSeconds(30);

    /**
     * An empty book.
     *
     * @param listener told of each change, for the journal
     * @param registry where the {@code headroom.grid.events} gauge (by state) goes
     */
    public GridEventBook(GridEventListener listener, MeterRegistry registry) {
        this(List.of(), listener, registry, () -> UUID.randomUUID().toString());
    }

    GridEventBook(
            List<GridEventRecord> records, GridEventListener listener, MeterRegistry registry, Supplier<String> ids) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.ids = Objects.requireNonNull(ids, "ids");
        Map<String, GridEventRecord> latest = new LinkedHashMap<>();
        for (GridEventRecord record : records) {
            latest.put(record.id(), record);
        }
        latest.values().stream()
                .sorted(Comparator.comparing(GridEventRecord::createdAt))
                .forEach(record -> events.put(record.id(), new GridEvent(record)));
        trim();
        for (GridEventState state : GridEventState.values()) {
            Gauge.builder("headroom.grid.events", this, book -> book.count(state))
                    .tag("state", state.wireName())
                    .description("Grid events by state")
                    .register(registry);
        }
    }

    /**
     * A book as the journal left it: for each id the last record wins. Compliance samples and the
     * list of devices are not journaled, so they start empty (the counts and summaries are kept).
     */
    public static GridEventBook restore(
            List<GridEventRecord> records, GridEventListener listener, MeterRegistry registry) {
        return new GridEventBook(
                records, listener, registry, () -> UUID.randomUUID().toString());
    }

    /**
     * Adds an event, or updates the open event with the same (source, reference): same id, revision
     * + 1. A submission identical to the event changes nothing (no new revision), so a source may
     * repeat itself. An update of the target, start, ramp or priority restarts the compliance
     * verdict; one of the end alone does not. A reference of a final event starts a new event.
     *
     * @throws GridEventException {@code TOO_MANY} when {@link #MAX_OPEN} events are open already
     */
    public synchronized Submission submit(GridEventRequest request, String who, Instant now) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(who, "who");
        GridEvent existing = request.reference() == null ? null : open(request.source(), request.reference());
        if (existing != null) {
            update(existing, request, now);
            return new Submission(false, view(existing, false));
        }
        long open = events.values().stream().filter(e -> !e.isFinal()).count();
        if (open >= MAX_OPEN) {
            throw new GridEventException(
                    GridEventException.Reason.TOO_MANY,
                    List.of("too many open grid events (" + open + "; at most " + MAX_OPEN
                            + "): cancel some, or update one through its reference"));
        }
        GridEvent event = new GridEvent(ids.get(), request, who, now);
        events.put(event.id, event);
        activate(event, now, false);
        trim();
        listener.changed(event.record());
        return new Submission(true, view(event, false));
    }

    /**
     * What {@link #submit} would make of {@code request} now, without keeping it or telling anyone:
     * the update of the open event with the same (source, reference), or a new event with the id
     * {@code dry-run}.
     */
    public synchronized GridEventView preview(GridEventRequest request, String who, Instant now) {
        GridEvent existing = request.reference() == null ? null : open(request.source(), request.reference());
        GridEvent event;
        if (existing != null) {
            event = new GridEvent(existing.record());
            apply(event, request, now);
        } else {
            event = new GridEvent(DRY_RUN_ID, request, who, now);
            activate(event, now, false);
        }
        return view(event, false);
    }

    /**
     * Cancels an open event; the engine then restores its devices.
     *
     * @return the event after the cancel; empty when there is no such event
     * @throws GridEventException {@code FINAL} when the event is over already
     */
    public synchronized Optional<GridEventView> cancel(String id, String who, Instant now) {
        GridEvent event = events.get(id);
        if (event == null) {
            return Optional.empty();
        }
        if (event.isFinal()) {
            throw new GridEventException(
                    GridEventException.Reason.FINAL,
                    List.of("grid event " + id + " is " + event.state.wireName() + " already; nothing to cancel"));
        }
        event.state = GridEventState.CANCELLED;
        event.cancelledAt = now;
        event.cancelledBy = who;
        event.updatedAt = now;
        event.finishedAt = now;
        listener.changed(event.record());
        return Optional.of(view(event, false));
    }

    /**
     * An operator's edit: {@code patch} (a JSON object of the fields to change) merged into the event
     * and validated as a create is, under the rules of {@link GridEventEdit}. A change of the target,
     * start, ramp or priority restarts the compliance verdict as an update through the reference does;
     * one of the end alone does not. The engine sees the result at its next {@link #activeTarget}; the
     * listener (the journal) is told, so a restart keeps it. An edit that changes nothing is no new
     * revision.
     *
     * @return the event after the edit; empty when there is no such event
     * @throws GridEventException {@code INVALID} naming each field's problem, {@code UNEDITABLE} for
     *     an event that has ended or a field that can no longer change
     */
    public synchronized Optional<GridEventView> edit(String id, JsonNode patch, Instant now) {
        Objects.requireNonNull(patch, "patch");
        GridEvent event = events.get(id);
        if (event == null) {
            return Optional.empty();
        }
        GridEventEdit.checkShape(patch);
        GridEventEdit.checkOpen(event, now);
        GridEventRequest edited = GridEventEdit.merged(event.record(), (ObjectNode) patch, now);
        GridEventEdit.checkLocks(event, edited, now);
        update(event, edited, now);
        return Optional.of(view(event, false));
    }

    /** Every event kept, newest first, final ones included; without samples and devices; open ones with their chart. */
    public synchronized List<GridEventView> list() {
        List<GridEventView> views = new ArrayList<>(events.size());
        for (GridEvent event : events.values()) {
            views.add(view(event, false));
        }
        Collections.reverse(views);
        return views;
    }

    /** One event with its devices and compliance samples. */
    public synchronized Optional<GridEventView> get(String id) {
        GridEvent event = events.get(id);
        return event == null ? Optional.empty() : Optional.of(view(event, true));
    }

    /**
     * What the site must be at or below now. Among the events in their window (start ≤ now < end,
     * not cancelled) with a known final target, the one with the lowest final target; its {@code
     * targetKw} is the ramp point at {@code now}. An event that has started but whose baseline is
     * not known yet (no {@link #observe} so far) has no target.
     */
    public synchronized Optional<ActiveTarget> activeTarget(Instant now) {
        GridEvent best = null;
        double bestFinal = Double.POSITIVE_INFINITY;
        for (GridEvent event : events.values()) {
            if (event.isFinal() || !event.inWindow(now)) {
                continue;
            }
            activate(event, now);
            Double finalKw = event.finalTargetKw();
            if (finalKw == null || event.targetAt(now) == null) {
                continue;
            }
            if (finalKw < bestFinal) {
                best = event;
                bestFinal = finalKw;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        Double targetNow = best.targetAt(now);
        return Optional.of(new ActiveTarget(
                best.id, Objects.requireNonNull(targetNow), bestFinal, best.deadline(), best.priority));
    }

    /**
     * The engine's report of one tick: the site root's load, whether the site meter measured it, and
     * whether the engine is still restoring devices. Drives every open event's state and appends
     * compliance samples (at most one per {@link #SAMPLE_INTERVAL}). A load that is not a finite
     * number is ignored, but the clock still moves the states on.
     */
    public synchronized void observe(Instant now, double siteLoadKw, boolean metered, boolean restoring) {
        boolean known = Double.isFinite(siteLoadKw) && siteLoadKw >= 0;
        if (known) {
            long millis = now.toEpochMilli();
            recentLoads.addLast(new double[] {millis, siteLoadKw});
            while (recentLoads.size() > 1 && recentLoads.peekFirst()[0] < millis - BASELINE_WINDOW.toMillis()) {
                recentLoads.removeFirst();
            }
            double highest = 0;
            for (double[] sample : recentLoads) {
                highest = Math.max(highest, sample[1]);
            }
            lastLoadKw = highest;
        }
        for (GridEvent event : events.values()) {
            if (event.isFinal()) {
                continue;
            }
            activate(event, now);
            GridEventState before = event.state;
            Instant reachedBefore = event.reachedTargetAt;
            if (event.inWindow(now)) {
                if (known) {
                    record(event, now, siteLoadKw, metered);
                }
                if (event.state == GridEventState.RAMPING && !now.isBefore(event.deadline())) {
                    event.state = GridEventState.FAILED;
                }
            } else if (!now.isBefore(event.end)) {
                if (restoring) {
                    event.state = GridEventState.RESTORING;
                } else {
                    event.state = event.reachedInTime() ? GridEventState.COMPLETED : GridEventState.FAILED;
                    event.finishedAt = now;
                }
            }
            if (event.state != before || !Objects.equals(reachedBefore, event.reachedTargetAt)) {
                listener.changed(event.record());
            }
        }
    }

    /**
     * The engine acted on {@code deviceId} for the event. The first action per device is kept (up to
     * {@link #MAX_DEVICES} devices); an unknown event is ignored.
     */
    public synchronized void acted(String eventId, String deviceId, String action, Instant at) {
        GridEvent event = events.get(eventId);
        if (event == null || event.devices.containsKey(deviceId) || event.devices.size() >= MAX_DEVICES) {
            return;
        }
        event.devices.put(deviceId, new DeviceAction(deviceId, action, at));
        event.devicesActedOn++;
    }

    /** How many events are in {@code state}. */
    public synchronized int count(GridEventState state) {
        int n = 0;
        for (GridEvent event : events.values()) {
            if (event.state == state) {
                n++;
            }
        }
        return n;
    }

    private void record(GridEvent event, Instant now, double load, boolean metered) {
        event.siteLoadKw = load;
        event.siteLoadMetered = metered;
        event.minLoadKw = event.minLoadKw == null ? load : Math.min(event.minLoadKw, load);
        event.maxLoadKw = event.maxLoadKw == null ? load : Math.max(event.maxLoadKw, load);
        Double finalKw = event.finalTargetKw();
        if (finalKw != null && metered && event.reachedTargetAt == null && load <= finalKw) {
            event.reachedTargetAt = now;
            event.timeToTargetSeconds = Duration.between(event.start, now).toMillis() / 1000.0;
            if (event.state == GridEventState.RAMPING) {
                event.state = GridEventState.HOLDING;
            }
        }
        Double target = event.targetAt(now);
        Instant last = event.lastSampleAt;
        if (target != null && (last == null || !now.isBefore(last.plus(SAMPLE_INTERVAL)))) {
            if (event.samples.size() >= MAX_SAMPLES) {
                List<ComplianceSample> kept = new ArrayList<>(MAX_SAMPLES / 2 + 1);
                for (int i = 0; i < event.samples.size(); i += 2) {
                    kept.add(event.samples.get(i));
                }
                event.samples.clear();
                event.samples.addAll(kept);
            }
            event.samples.add(new ComplianceSample(now, load, target, metered));
            event.lastSampleAt = now;
        }
    }

    /** Pending → ramping at the start, taking the last observed load as the baseline. */
    private void activate(GridEvent event, Instant now) {
        activate(event, now, true);
    }

    private void activate(GridEvent event, Instant now, boolean tell) {
        if (event.state == GridEventState.PENDING && event.inWindow(now)) {
            event.state = GridEventState.RAMPING;
            if (tell) {
                listener.changed(event.record());
            }
        }
        if (event.baselineKw == null && event.inWindow(now) && lastLoadKw != null) {
            event.baselineKw = lastLoadKw;
        }
    }

    private void update(GridEvent event, GridEventRequest request, Instant now) {
        if (apply(event, request, now)) {
            listener.changed(event.record());
        }
    }

    /** Applies an update; false when it changes nothing. Tells no listener. */
    private boolean apply(GridEvent event, GridEventRequest request, Instant now) {
        boolean verdictChanges = !event.target.equals(request.target())
                || !event.start.equals(request.start())
                || event.rampSeconds != request.rampSeconds()
                || event.priority != request.priority();
        if (!verdictChanges && event.end.equals(request.end())) {
            return false;
        }
        event.target = request.target();
        event.start = request.start();
        event.end = request.end();
        event.rampSeconds = request.rampSeconds();
        event.priority = request.priority();
        event.revision++;
        event.updatedAt = now;
        if (now.isBefore(event.start)) {
            event.state = GridEventState.PENDING;
            event.baselineKw = null;
        }
        if (verdictChanges) {
            event.reachedTargetAt = null;
            event.timeToTargetSeconds = null;
        }
        if (event.inWindow(now)) {
            event.state = event.reachedInTime()
                    ? GridEventState.HOLDING
                    : now.isBefore(event.deadline()) ? GridEventState.RAMPING : GridEventState.FAILED;
        }
        activate(event, now, false);
        return true;
    }

    private @Nullable GridEvent open(String source, String reference) {
        for (GridEvent event : events.values()) {
            if (!event.isFinal() && event.source.equals(source) && reference.equals(event.reference)) {
                return event;
            }
        }
        return null;
    }

    private void trim() {
        var it = events.values().iterator();
        int excess = events.size() - MAX_KEPT;
        while (excess > 0 && it.hasNext()) {
            if (it.next().isFinal()) {
                it.remove();
                excess--;
            }
        }
    }

    private static GridEventView view(GridEvent event, boolean detailed) {
        return detailed
                ? new GridEventView(
                        event.record(), List.copyOf(event.devices.values()), List.copyOf(event.samples), true)
                : new GridEventView(
                        event.record(),
                        List.of(),
                        List.of(),
                        false,
                        event.isFinal() ? null : ComplianceChart.of(event.samples));
    }
}
