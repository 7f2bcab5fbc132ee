package io.headroom.controller.grid;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One event inside the {@link GridEventBook}: mutable, guarded by the book's lock. The book
 * snapshots it as a {@link GridEventRecord} for the journal and as a {@link GridEventView} for the
 * API.
 */
final class GridEvent {
    final String id;
    final String source;
    final @Nullable String reference;
    final String createdBy;
    final Instant createdAt;
    GridEventPriority priority;
    GridEventState state;
    int revision;
    RequestedTarget target;
    Instant start;
    Instant end;
    int rampSeconds;

    @Nullable
    Double baselineKw;

    @Nullable
    Double siteLoadKw;

    @Nullable
    Boolean siteLoadMetered;

    @Nullable
    Instant reachedTargetAt;

    @Nullable
    Double timeToTargetSeconds;

    @Nullable
    Double minLoadKw;

    @Nullable
    Double maxLoadKw;

    int devicesActedOn;
    Instant updatedAt;

    @Nullable
    Instant cancelledAt;

    @Nullable
    String cancelledBy;

    @Nullable
    Instant finishedAt;

    @Nullable
    Instant lastSampleAt;

    final List<ComplianceSample> samples = new ArrayList<>();
    final Map<String, DeviceAction> devices = new LinkedHashMap<>();

    GridEvent(String id, GridEventRequest request, String createdBy, Instant now) {
        this.id = id;
        this.source = request.source();
        this.reference = request.reference();
        this.createdBy = createdBy;
        this.createdAt = now;
        this.updatedAt = now;
        this.revision = 1;
        this.state = GridEventState.PENDING;
        this.priority = request.priority();
        this.target = request.target();
        this.start = request.start();
        this.end = request.end();
        this.rampSeconds = request.rampSeconds();
    }

    GridEvent(GridEventRecord r) {
        this.id = r.id();
        this.source = r.source();
        this.reference = r.reference();
        this.createdBy = r.createdBy();
        this.createdAt = r.createdAt();
        this.priority = r.priority();
        this.state = r.state();
        this.revision = r.revision();
        this.target = r.target();
        this.start = r.start();
        this.end = r.end();
        this.rampSeconds = r.rampSeconds();
        this.baselineKw = r.baselineKw();
        this.siteLoadKw = r.siteLoadKw();
        this.siteLoadMetered = r.siteLoadMetered();
        this.reachedTargetAt = r.reachedTargetAt();
        this.timeToTargetSeconds = r.timeToTargetSeconds();
        this.minLoadKw = r.minLoadKw();
        this.maxLoadKw = r.maxLoadKw();
        this.devicesActedOn = r.devicesActedOn();
        this.updatedAt = r.updatedAt();
        this.cancelledAt = r.cancelledAt();
        this.cancelledBy = r.cancelledBy();
        this.finishedAt = r.finishedAt();
    }

    GridEventRecord record() {
        return new GridEventRecord(
                id,
                source,
                reference,
                priority,
                state,
                revision,
                target,
                start,
                end,
                rampSeconds,
                baselineKw,
                siteLoadKw,
                siteLoadMetered,
                reachedTargetAt,
                timeToTargetSeconds,
                minLoadKw,
                maxLoadKw,
                devicesActedOn,
                createdBy,
                createdAt,
                updatedAt,
                cancelledAt,
                cancelledBy,
                finishedAt);
    }

    boolean isFinal() {
        return finishedAt != null;
    }

    /** Within [start, end) and not cancelled: the event asks for a target. */
    boolean inWindow(Instant now) {
        return state != GridEventState.CANCELLED && !now.isBefore(start) && now.isBefore(end);
    }

    Instant deadline() {
        return start.plusSeconds(rampSeconds);
    }

    /** Reached the final target no later than the deadline. */
    boolean reachedInTime() {
        Instant reached = reachedTargetAt;
        return reached != null && !reached.isAfter(deadline());
    }

    @Nullable
    Double finalTargetKw() {
        if (!target.needsBaseline()) {
            return target.value();
        }
        Double baseline = baselineKw;
        return baseline == null ? null : target.finalTargetKw(baseline);
    }

    /**
     * The site's limit at {@code now}: the final target for an emergency or a zero ramp; for a normal
     * event a straight line from the baseline at the start to the final target at start + {@link
     * GridEventBook#RAMP_FRACTION} × ramp_seconds. Null while the baseline is unknown.
     */
    @Nullable
    Double targetAt(Instant now) {
        Double finalKw = finalTargetKw();
        if (finalKw == null) {
            return null;
        }
        if (priority == GridEventPriority.EMERGENCY || rampSeconds == 0) {
            return finalKw;
        }
        Double baseline = baselineKw;
        if (baseline == null) {
            return null;
        }
        if (baseline <= finalKw) {
            return finalKw;
        }
        double rampMillis = rampSeconds * 1000.0 * GridEventBook.RAMP_FRACTION;
        double elapsed = Math.max(0, Duration.between(start, now).toMillis());
        if (elapsed >= rampMillis) {
            return finalKw;
        }
        return baseline + (finalKw - baseline) * (elapsed / rampMillis);
    }
}
