package io.headroom.controller.ingest;

import io.headroom.controller.history.History;
import io.headroom.controller.history.HistoryWriter;
import io.headroom.controller.ingest.IngestMetrics.SampleOutcome;
import io.headroom.controller.log.RateLimitedLog;
import io.headroom.controller.store.DeviceRecord;
import io.headroom.controller.store.DeviceState;
import io.headroom.protocol.wire.Data;
import io.headroom.protocol.wire.DeviceStatus;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the samples and statuses of a live Data to the agent's device records: resolves aliases,
 * drops non-finite values and samples of refused metrics, re-stamps samples from a clock too far
 * ahead with the receive time, measures the agent's clock offset, and counts (and rate-limits the
 * logging of) implausible values. Every sample ends in exactly one {@link SampleOutcome}.
 *
 * <p>Kept apart from {@link Ingest}, which decides whether a Data is taken in at all (sequencing,
 * earlier boots, history): this is what taking it in does to device state. Called under the
 * session's lock. Logs under {@link Ingest}'s logger and rate-limited log, as before the split.
 */
final class SampleApplier {
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
    boolean apply(AgentSession session, Data data) {
        AliasTable aliases = session.aliases;
        int count = data.getAliasCount();
        boolean offsets = data.getOffsetMsCount() != 0;
        boolean qualities = data.getQualityCount() != 0;
        long base = data.getTimestampMs();
        long now = clock.millis();
        session.clock.measured(base, now);
        long latestAllowed = now + clockToleranceMillis;
        int applied = 0;
        int implausible = 0;
        int ahead = 0;
        int unknown = 0;
        int ignored = 0;
        int nonFinite = 0;
        int outOfOrder = 0;
        // A Data lists a device's samples together: one history lookup per run of them, not per sample.
        DeviceRecord historyDevice = null;
        HistoryWriter historyWriter = HistoryWriter.NONE;
        for (int i = 0; i < count; i++) {
            int entry = aliases.find(data.getAlias(i));
            if (entry < 0) {
                unknown++;
                continue;
            }
            int slot = aliases.slot(entry);
            if (slot == AliasTable.IGNORED) {
                ignored++;
                continue;
            }
            double value = data.getValue(i);
            if (!Double.isFinite(value)) {
                nonFinite++;
                continue;
            }
            long at = offsets ? base + data.getOffsetMs(i) : base;
            if (at > latestAllowed) {
                // An agent clock ahead of ours: trust our receive time (issue 8, problem 6).
                ahead++;
                at = now;
            }
            int quality = qualities ? data.getQualityValue(i) : 0;
            DeviceRecord device = aliases.device(entry);
            switch (device.apply(slot, value, at, quality, now)) {
                case STORED -> {
                    applied++;
                    if (device != historyDevice) {
                        historyDevice = device;
                        historyWriter = history.writer(device);
                    }
                    historyWriter.record(slot, value, at);
                }
                case IMPLAUSIBLE -> {
                    implausible++;
                    var range = device.descriptor(slot);
                    limitedLog.warn(
                            "implausible",
                            "agent {}: device {} reported {} = {} {}, outside the plausible {}..{}; stored as BAD,"
                                    + " not counted as power truth",
                            session.agentId,
                            device.id(),
                            device.slot(slot).displayKey(),
                            value,
                            device.slot(slot).unit(),
                            range.plausibleMin(),
                            range.plausibleMax());
                }
                case OUT_OF_ORDER -> outOfOrder++;
            }
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
        count(SampleOutcome.IMPLAUSIBLE, implausible);
        count(SampleOutcome.APPLIED, applied);
        count(SampleOutcome.UNKNOWN_ALIAS, unknown);
        count(SampleOutcome.REJECTED, ignored);
        count(SampleOutcome.NON_FINITE, nonFinite);
        count(SampleOutcome.OUT_OF_ORDER, outOfOrder);
        if (data.getStatusCount() > 0) {
            Instant received = Instant.ofEpochMilli(now);
            for (DeviceStatus status : data.getStatusList()) {
                applyStatus(session, status, received);
            }
        }
        return unknown > 0;
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

    private void count(SampleOutcome outcome, int n) {
        if (n > 0) {
            metrics.samples(outcome).increment(n);
        }
    }
}
