package io.headroom.controller.ingest;

import io.headroom.controller.history.History;
import io.headroom.controller.ingest.IngestMetrics.SampleOutcome;
import io.headroom.controller.log.RateLimitedLog;
import io.headroom.controller.store.DeviceRecord;
import io.headroom.controller.store.DeviceRecord.Applied;
import io.headroom.controller.store.DeviceState;
import io.headroom.controller.store.SampleBatch;
import io.headroom.protocol.DataFrame;
import io.headroom.protocol.wire.DeviceStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the samples and statuses of a live Data to the agent's device records: resolves aliases,
 * drops non-finite values and samples of refused metrics, re-stamps samples from a clock too far
 * ahead with the receive time, measures the agent's clock offset, and counts (and rate-limits the
 * logging of) implausible values. Every sample ends in exactly one {@link SampleOutcome}. A
 * device's samples of one message are stored under one lock of its record ({@link SampleBatch}).
 *
 * <p>Kept apart from {@link Ingest}, which decides whether a Data is taken in at all (sequencing,
 * earlier boots, history): this is what taking it in does to device state. Called under the
 * session's lock. Logs under {@link Ingest}'s logger and rate-limited log, as before the split.
 */
final class SampleApplier {
    /** Every outcome once, for the counting at the end of a message (values() copies the array). */
    private static final SampleOutcome[] OUTCOMES = SampleOutcome.values();

    private final Logger logger = LoggerFactory.getLogger(Ingest.class);
    private final Clock clock;
    private final long clockToleranceMillis;
    private final IngestMetrics metrics;
    private final RateLimitedLog limitedLog;
    private final History history;

    SampleApplier(
            Clock clock, long clockToleranceMillis, IngestMetrics metrics, RateLimitedLog limitedLog, History history) {
        this.clock = clock;
        this.clockToleranceMillis = clockToleranceMillis;
        this.metrics = metrics;
        this.limitedLog = limitedLog;
        this.history = history;
    }

    /** Applies samples and statuses; returns true if some alias was unknown. */
    boolean apply(AgentSession session, DataFrame data) {
        AliasTable aliases = session.aliases;
        int count = data.sampleCount();
        boolean offsets = data.hasOffsets();
        boolean qualities = data.hasQualities();
        long base = data.timestampMs();
        long now = clock.millis();
        session.clock.measured(base, now);
        long latestAllowed = now + clockToleranceMillis;
        int[] tally = session.tally;
        Arrays.fill(tally, 0);
        int ahead = 0;
        // A Data lists a device's samples together: each run of them is applied to the record under
        // one lock (D53), and looks the history up once.
        SampleBatch batch = session.batch;
        DeviceRecord batchDevice = null;
        int batchEntry = -1;
        for (int i = 0; i < count; i++) {
            int entry = aliases.find(data.alias(i));
            if (entry < 0) {
                tally[SampleOutcome.UNKNOWN_ALIAS.ordinal()]++;
                continue;
            }
            int slot = aliases.slot(entry);
            if (slot == AliasTable.IGNORED) {
                tally[SampleOutcome.REJECTED.ordinal()]++;
                continue;
            }
            double value = data.value(i);
            if (!Double.isFinite(value)) {
                tally[SampleOutcome.NON_FINITE.ordinal()]++;
                continue;
            }
            long at = offsets ? base + data.offsetMs(i) : base;
            if (at > latestAllowed) {
                // An agent clock ahead of ours: trust our receive time (issue 8, problem 6).
                ahead++;
                at = now;
            }
            DeviceRecord device = aliases.device(entry);
            if (device != batchDevice) {
                if (batchDevice != null) {
                    applyRun(session, batchDevice, batchEntry, batch, now, tally);
                }
                batchDevice = device;
                batchEntry = entry;
                batch.clear();
            }
            batch.add(slot, value, at, qualities ? data.quality(i) : 0);
        }
        if (batchDevice != null) {
            applyRun(session, batchDevice, batchEntry, batch, now, tally);
        }
        if (ahead > 0) {
            metrics.samplesClockAhead.increment(ahead);
            limitedLog.warn(
                    "clock-ahead",
                    "agent {}: {} sample(s) stamped up to {} ms ahead of the controller's clock (tolerance {} ms);"
                            + " stored with the receive time",
                    session.agentId,
                    ahead,
                    base - now,
                    clockToleranceMillis);
        }
        for (SampleOutcome outcome : OUTCOMES) {
            int n = tally[outcome.ordinal()];
            if (n > 0) {
                metrics.samples(outcome).increment(n);
            }
        }
        if (!data.statuses().isEmpty()) {
            Instant received = Instant.ofEpochMilli(now);
            for (DeviceStatus status : data.statuses()) {
                applyStatus(session, status, received);
            }
        }
        return tally[SampleOutcome.UNKNOWN_ALIAS.ordinal()] > 0;
    }

    /**
     * One device's run of samples: stored under one acquisition of its record's lock, then (outside
     * it) the stored ones go to the history and the implausible ones to the rate-limited log.
     */
    private void applyRun(
            AgentSession session, DeviceRecord device, int entry, SampleBatch batch, long now, int[] tally) {
        device.apply(batch, now);
        int stored = batch.count(Applied.STORED);
        int implausible = batch.count(Applied.IMPLAUSIBLE);
        tally[SampleOutcome.APPLIED.ordinal()] += stored;
        tally[SampleOutcome.IMPLAUSIBLE.ordinal()] += implausible;
        tally[SampleOutcome.OUT_OF_ORDER.ordinal()] += batch.count(Applied.OUT_OF_ORDER);
        if (stored > 0) {
            session.aliases.writer(entry, history).recordStored(batch);
        }
        if (implausible == 0) {
            return; // nothing more to do per sample
        }
        int n = batch.size();
        for (int i = 0; i < n; i++) {
            if (batch.outcome(i) == Applied.IMPLAUSIBLE) {
                int slot = batch.slot(i);
                var range = device.descriptor(slot);
                limitedLog.warn(
                        "implausible",
                        "agent {}: device {} reported {} = {} {}, outside the plausible {}..{}; stored as BAD,"
                                + " not counted as power truth",
                        session.agentId,
                        device.id(),
                        device.slot(slot).displayKey(),
                        batch.value(i),
                        device.slot(slot).unit(),
                        range.plausibleMin(),
                        range.plausibleMax());
            }
        }
    }

    private void applyStatus(AgentSession session, DeviceStatus status, Instant now) {
        DeviceRecord device = session.devicesById.get(status.getDeviceId());
        if (device == null) {
            metrics.statusUnknownDevice.increment();
            return;
        }
        DeviceState state;
        switch (status.getHealth()) {
            case DEVICE_HEALTH_ONLINE:
                state = DeviceState.ONLINE;
                break;
            case DEVICE_HEALTH_DEGRADED:
                state = DeviceState.DEGRADED;
                break;
            default:
                state = DeviceState.OFFLINE;
                break;
        }
        DeviceState previous = device.setStatus(state, status.getReason(), status.getMessage(), now);
        if (previous != state && logger.isDebugEnabled()) {
            logger.debug(
                    "device {} ({}): {} -> {} {}", device.id(), session.agentId, previous, state, status.getReason());
        }
    }
}
