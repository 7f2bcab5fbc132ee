package io.headroom.controller.reservation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The site's capacity reservations. A request is checked against the live power truth before it is
 * accepted ({@link CapacityPlanner}): one that cannot be freed is refused with the arithmetic, never
 * accepted and then missed. The engine asks for the holds each tick ({@link #holds}) and reports
 * each scope's reading back ({@link #observe}), which drives the states and the record of promised
 * against freed. Thread-safe: every method takes the book's lock; time is always passed in.
 */
public final class ReservationBook {

    /** The prefix of every reservation id: actions taken for a reservation carry it. */
    public static final String ID_PREFIX = "rsv-";
    /** Open (not final) reservations; one more is refused. */
    public static final int MAX_OPEN = 100;
    /** Reservations kept in all; the oldest final ones go first. */
    public static final int MAX_KEPT = 500;
    /** Samples kept per reservation; at the cap every other one is dropped. */
    public static final int MAX_SAMPLES = 2000;
    /** The least time between two samples of one reservation. */
    public static final Duration SAMPLE_INTERVAL = Duration.ofSeconds(5);
    /** How far below its promise the freed capacity may read (meter noise) and still hold. */
    public static final double HOLD_TOLERANCE = 0.01;

    private final Map<String, Reservation> reservations = new LinkedHashMap<>();
    private final CapacityPlanner planner;
    private final ReservationListener listener;
    private final Supplier<String> ids;
    private final ObjectMapper mapper = new ObjectMapper();
    private final MultiGauge promised;
    private final MultiGauge freed;
    private final MultiGauge atRisk;

    public ReservationBook(CapacityPlanner planner, ReservationListener listener, MeterRegistry registry) {
        this(List.of(), planner, listener, registry, () -> ID_PREFIX + UUID.randomUUID());
    }

    ReservationBook(
            List<JsonNode> records,
            CapacityPlanner planner,
            ReservationListener listener,
            MeterRegistry registry,
            Supplier<String> ids) {
        this.planner = Objects.requireNonNull(planner, "planner");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.ids = Objects.requireNonNull(ids, "ids");
        for (JsonNode record : records) {
            Reservation r = Reservation.fromJson(record);
            reservations.put(r.id, r);
        }
        this.promised = MultiGauge.builder("headroom.reservation.promised.kw")
                .description("Capacity promised by each open reservation")
                .register(registry);
        this.freed = MultiGauge.builder("headroom.reservation.freed.kw")
                .description("Capacity free in each holding reservation's scope, as last observed")
                .register(registry);
        this.atRisk = MultiGauge.builder("headroom.reservation.at.risk")
                .description("1 while a reservation past its start does not have its capacity free")
                .register(registry);
        trim();
        publish();
    }

    /** A book as the journal left it: for each id the last record wins. */
    public static ReservationBook restore(
            List<JsonNode> records, CapacityPlanner planner, ReservationListener listener, MeterRegistry registry) {
        Map<String, JsonNode> latest = new LinkedHashMap<>();
        for (JsonNode record : records) {
            latest.put(record.get("id").asText(), record);
        }
        return new ReservationBook(
                new ArrayList<>(latest.values()), planner, listener, registry, () -> ID_PREFIX + UUID.randomUUID());
    }

    /** What a submission did. */
    public record Submitted(boolean created, ObjectNode reservation, List<CapacityCheck> checks) {}

    /**
     * Accepts a reservation when its capacity can be freed, or returns the open one with the same
     * reference and terms.
     *
     * @throws ReservationException {@code INFEASIBLE} with the arithmetic, {@code CONFLICT} for a
     *     reference with other terms, {@code TOO_MANY}, or {@code INVALID} for a scope the site lacks
     */
    public synchronized Submitted submit(ReservationRequest request, String who, Instant now) {
        Objects.requireNonNull(request, "request");
        if (request.reference() != null) {
            for (Reservation r : reservations.values()) {
                if (!r.state.isFinal() && request.reference().equals(r.request.reference())) {
                    if (!r.request.sameTerms(request)) {
                        throw new ReservationException(
                                ReservationException.Reason.CONFLICT,
                                "reference '" + request.reference() + "' names reservation " + r.id
                                        + " with other terms; cancel it first or use another reference");
                    }
                    return new Submitted(false, r.toJson(mapper, false), List.of());
                }
            }
        }
        long open =
                reservations.values().stream().filter(r -> !r.state.isFinal()).count();
        if (open >= MAX_OPEN) {
            throw new ReservationException(
                    ReservationException.Reason.TOO_MANY,
                    "at most " + MAX_OPEN + " reservations may be open; cancel one or wait for one to end");
        }
        List<CapacityCheck> checks = feasible(request, null);
        Reservation r = new Reservation(ids.get(), request, who, now);
        reservations.put(r.id, r);
        advance(r, now);
        changed(r);
        trim();
        publish();
        return new Submitted(true, r.toJson(mapper, false), checks);
    }

    /**
     * The planner's checks of {@code request}, beside what the other open reservations hold.
     *
     * @param except the reservation being edited, whose own promise does not count against it; null for a new one
     * @throws ReservationException {@code INFEASIBLE} with the arithmetic when a check fails
     */
    private List<CapacityCheck> feasible(ReservationRequest request, @Nullable String except) {
        List<CapacityCheck> checks =
                planner.check(request.scope(), request.kw(), scope -> promisedOverlapping(request, scope, except));
        for (CapacityCheck check : checks) {
            if (!check.feasible()) {
                ObjectNode arithmetic = mapper.createObjectNode();
                ArrayNode array = arithmetic.putArray("checks");
                checks.forEach(c -> array.add(c.toJson(mapper)));
                throw new ReservationException(
                        ReservationException.Reason.INFEASIBLE,
                        List.of("cannot free " + CapacityCheck.round(request.kw()) + " kW: " + check.explain()),
                        arithmetic);
            }
        }
        return checks;
    }

    /**
     * An operator's edit: {@code patch} (a JSON object of the fields to change) merged into the
     * reservation and validated as a request is, under the rules of {@link ReservationEdit}. New terms
     * are checked against the live power truth as a new request is, beside every other open
     * reservation but this one; the engine holds the new terms from its next {@link #holds}. The
     * listener (the journal) is told, so a restart keeps the edit. An edit that changes nothing
     * changes nothing.
     *
     * @return the reservation after the edit, with the checks made ({@code checks} empty when the terms did not change)
     * @throws ReservationException {@code UNKNOWN}, {@code INVALID} naming each field, {@code CONFLICT}
     *     for an ended reservation or a start or lead that can no longer change, {@code INFEASIBLE}
     *     with the arithmetic
     */
    public synchronized Submitted edit(String id, JsonNode patch, String who, Instant now) {
        Objects.requireNonNull(patch, "patch");
        Reservation r = reservations.get(id);
        if (r == null) {
            throw new ReservationException(ReservationException.Reason.UNKNOWN, "no reservation '" + id + "'");
        }
        ReservationEdit.checkShape(patch);
        ReservationEdit.checkOpen(r);
        ReservationRequest edited = ReservationEdit.merged(r.request, (ObjectNode) patch, now);
        ReservationEdit.checkLocks(r, edited);
        if (r.request.sameTerms(edited)) {
            return new Submitted(false, r.toJson(mapper, false), List.of());
        }
        List<CapacityCheck> checks = feasible(edited, r.id);
        r.request = edited;
        r.editedAt = now;
        r.editedBy = who;
        advance(r, now);
        changed(r);
        publish();
        return new Submitted(false, r.toJson(mapper, false), checks);
    }

    /**
     * What reservations overlapping {@code request} in time hold in scopes nested with {@code scope},
     * but {@code except}.
     */
    private double promisedOverlapping(ReservationRequest request, ReservationScope scope, @Nullable String except) {
        double sum = 0;
        for (Reservation r : reservations.values()) {
            if (r.state.isFinal() || r.state == ReservationState.RESTORING || r.id.equals(except)) {
                continue;
            }
            boolean overlapsInTime = r.request.freeFrom().isBefore(request.end())
                    && request.freeFrom().isBefore(r.request.end());
            if (overlapsInTime && r.request.scope().overlaps(scope, planner::contains)) {
                sum += r.request.kw();
            }
        }
        return sum;
    }

    /**
     * Cancels a reservation: its hold ends now and what it curtailed is restored.
     *
     * @throws ReservationException {@code UNKNOWN}, or {@code CONFLICT} when it is over already
     */
    public synchronized ObjectNode cancel(String id, String who, Instant now) {
        Reservation r = reservations.get(id);
        if (r == null) {
            throw new ReservationException(ReservationException.Reason.UNKNOWN, "no reservation '" + id + "'");
        }
        if (r.state.isFinal() || r.state == ReservationState.RESTORING) {
            throw new ReservationException(
                    ReservationException.Reason.CONFLICT,
                    "reservation " + id + " is " + r.state.wireName() + " already");
        }
        r.state = ReservationState.CANCELLED;
        r.cancelledBy = who;
        r.endedAt = now;
        changed(r);
        publish();
        return r.toJson(mapper, false);
    }

    public synchronized Optional<ObjectNode> get(String id) {
        Reservation r = reservations.get(id);
        return r == null ? Optional.empty() : Optional.of(r.toJson(mapper, true));
    }

    /** Every reservation kept, oldest first, without samples. */
    public synchronized ArrayNode list() {
        ArrayNode array = mapper.createArrayNode();
        reservations.values().forEach(r -> array.add(r.toJson(mapper, false)));
        return array;
    }

    /** The capacity promised now in each scope held, by "kind id": for the site view. */
    public synchronized Map<String, Double> promisedByScope(Instant now) {
        Map<String, Double> byScope = new LinkedHashMap<>();
        for (Reservation r : reservations.values()) {
            // By time alone: a read for the page moves nothing along (the engine's tick does that).
            boolean holds = !r.state.isFinal()
                    && r.state != ReservationState.RESTORING
                    && !now.isBefore(r.request.freeFrom())
                    && now.isBefore(r.request.end());
            if (holds) {
                byScope.merge(r.request.scope().toString(), r.request.kw(), Double::sum);
            }
        }
        return byScope;
    }

    /** The engine's holds now: moves reservations along by time first. */
    public synchronized List<ActiveReservation> holds(Instant now) {
        List<ActiveReservation> holds = new ArrayList<>();
        for (Reservation r : reservations.values()) {
            advance(r, now);
            if (r.state.holds()) {
                holds.add(new ActiveReservation(
                        r.id, r.request.scope(), r.request.kw(), r.baselineKw, r.request.priority()));
            }
        }
        return holds;
    }

    /** Until when an agent should hold a curtailment made for the reservation: its end. */
    public synchronized @Nullable Instant end(String id) {
        Reservation r = reservations.get(id);
        return r == null ? null : r.request.end();
    }

    /**
     * After a tick: each open reservation's scope as read, whether anything is still curtailed for
     * it, and the grid event that holds the site (null when none): while one does, a reservation
     * has only what both its scope and the event's target leave free, and the event wins.
     *
     * @param readings the scope's reading, or null when the model lacks it
     */
    public synchronized void observe(
            Instant now,
            Function<ReservationScope, @Nullable ScopeReading> readings,
            Predicate<String> curtailedFor,
            @Nullable GridHold grid) {
        boolean anyChange = false;
        for (Reservation r : reservations.values()) {
            ReservationState before = r.state;
            String noteBefore = r.note;
            advance(r, now);
            if (r.state == ReservationState.RESTORING) {
                if (!curtailedFor.test(r.id)) {
                    r.state = ReservationState.COMPLETED;
                }
            } else if (r.state.holds()) {
                ScopeReading reading = readings.apply(r.request.scope());
                if (reading == null || Double.isNaN(reading.limitKw())) {
                    r.note = "the site model has no " + r.request.scope() + " with a limit any more";
                } else {
                    sample(r, reading, now, grid);
                }
            }
            if (r.state != before || !r.note.equals(noteBefore)) {
                changed(r);
                anyChange = true;
            }
        }
        if (anyChange) {
            trim();
        }
        publish();
    }

    private void sample(Reservation r, ScopeReading reading, Instant now, @Nullable GridHold grid) {
        if (Double.isNaN(r.baselineKw)) {
            r.baselineKw = reading.reservedLoadKw();
        }
        double grown = Math.min(Math.max(0, reading.reservedLoadKw() - r.baselineKw), r.request.kw());
        double freedKw = reading.limitKw() - reading.loadKw() + grown;
        boolean gridBinds = false;
        if (grid != null) {
            double underTarget = grid.targetKw() - grid.siteLoadKw() + grown;
            if (underTarget < freedKw) {
                freedKw = underTarget;
                gridBinds = true;
            }
        }
        r.lastFreedKw = freedKw;
        r.lastMetered = reading.metered();
        boolean free = freedKw >= r.request.kw() * (1 - HOLD_TOLERANCE);
        boolean due = !now.isBefore(r.request.start());
        if (free) {
            if (r.state != ReservationState.HOLDING) {
                r.state = ReservationState.HOLDING;
                if (r.heldAt == null) {
                    r.heldAt = now;
                }
                r.shortSince = null;
                r.note = "";
            }
        } else if (due) {
            if (r.state != ReservationState.SHORT) {
                r.state = ReservationState.SHORT;
                r.shortSince = now;
            }
            r.note = String.format(
                            java.util.Locale.ROOT,
                            "%.1f kW free of %.1f kW promised in %s",
                            freedKw,
                            r.request.kw(),
                            r.request.scope())
                    + (gridBinds && grid != null
                            ? "; grid event " + grid.eventId() + " holds the site at " + Math.round(grid.targetKw())
                                    + " kW and wins over reservations"
                            : "");
        }
        if (due) {
            r.minFreedKw = Double.isNaN(r.minFreedKw) ? freedKw : Math.min(r.minFreedKw, freedKw);
        }
        if (r.lastSampleAt == null || !now.isBefore(r.lastSampleAt.plus(SAMPLE_INTERVAL))) {
            if (r.samples.size() >= MAX_SAMPLES) {
                thin(r.samples);
            }
            r.samples.add(new ReservationSample(now, r.request.kw(), freedKw, reading.loadKw(), reading.metered()));
            r.lastSampleAt = now;
        }
    }

    private static void thin(List<ReservationSample> samples) {
        List<ReservationSample> kept = new ArrayList<>(samples.size() / 2 + 1);
        for (int i = 0; i < samples.size(); i += 2) {
            kept.add(samples.get(i));
        }
        samples.clear();
        samples.addAll(kept);
    }

    /** Moves a reservation along by time: into its lead, and out at its end. */
    private void advance(Reservation r, Instant now) {
        ReservationState before = r.state;
        if (r.state == ReservationState.SCHEDULED && !now.isBefore(r.request.freeFrom())) {
            r.state = ReservationState.FREEING;
        }
        if (r.state.holds() && !now.isBefore(r.request.end())) {
            r.state = ReservationState.RESTORING;
            r.endedAt = r.request.end();
        }
        if (r.state != before) {
            changed(r);
        }
    }

    private void changed(Reservation r) {
        listener.changed(r.toJson(mapper, false));
    }

    private void trim() {
        while (reservations.size() > MAX_KEPT) {
            String oldest = null;
            for (Reservation r : reservations.values()) {
                if (r.state.isFinal()) {
                    oldest = r.id;
                    break;
                }
            }
            if (oldest == null) {
                return;
            }
            reservations.remove(oldest);
        }
    }

    private void publish() {
        List<MultiGauge.Row<?>> promisedRows = new ArrayList<>();
        List<MultiGauge.Row<?>> freedRows = new ArrayList<>();
        List<MultiGauge.Row<?>> riskRows = new ArrayList<>();
        for (Reservation r : reservations.values()) {
            if (r.state.isFinal() || r.state == ReservationState.RESTORING) {
                continue;
            }
            Tags tags = Tags.of("reservation", r.id, "scope", r.request.scope().toString());
            promisedRows.add(MultiGauge.Row.of(tags, r.request.kw()));
            if (r.state.holds() && !Double.isNaN(r.lastFreedKw)) {
                freedRows.add(MultiGauge.Row.of(tags, r.lastFreedKw));
            }
            riskRows.add(MultiGauge.Row.of(tags, r.atRisk() ? 1 : 0));
        }
        promised.register(promisedRows, true);
        freed.register(freedRows, true);
        atRisk.register(riskRows, true);
    }
}
