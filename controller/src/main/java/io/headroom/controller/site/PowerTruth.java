package io.headroom.controller.site;

import io.headroom.controller.store.DeviceSample;
import io.headroom.controller.store.DeviceState;
import io.headroom.protocol.MetricDescriptor;
import io.headroom.protocol.MetricDictionary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Power truth: what each device and each node of the site draws now, and from which source, as a pure
 * function of the site, the device state and the time (so the control loop can run it every tick and a
 * simulation faster than real time).
 *
 * <p>A device's load is, in order: its PDU outlet's live reading ({@link PowerSource#METERED}); its own
 * live {@code power} reading ({@link PowerSource#DEVICE}); otherwise the higher of its last plausible
 * reading ({@link PowerSource#LAST_KNOWN}) and its nameplate ({@code site.yaml}'s
 * {@link PowerSource#OVERRIDE}, else the profile's {@link PowerSource#NAMEPLATE}), erring on the safe
 * side. An implausible reading (quality bad or uncertain, outside the dictionary's range, or above
 * {@link #NAMEPLATE_FACTOR} times the device's nameplate) is never used, not even as the last known
 * one. A node's load is its
 * meter's live reading, else the sum of its children.
 *
 * <p>One pass over the model's arrays, children before parents; each meter device is looked up once.
 * Allocations per call: the result arrays and one sample per device looked up.
 */
public final class PowerTruth {

    private static final String POWER = MetricDictionary.POWER;
    private static final MetricDescriptor POWER_METRIC = MetricDictionary.require(POWER);
    /**
     * How far above its nameplate one device's reading may be before it is implausible: the dictionary's
     * range of {@code power} is site-wide (a feed meter reads megawatts), so a miner's own 25 kW reading
     * is caught here; twice the nameplate leaves room for overclocked firmware and inrush.
     */
    static final double NAMEPLATE_FACTOR = 2.0;

    private PowerTruth() {}

    /**
     * The site's power truth at {@code now}.
     *
     * @param devices current device state
     * @param now the controller's clock, to judge the age of readings
     */
    public static SiteSnapshot compute(SiteModel site, DeviceLookup devices, Instant now) {
        return compute(SiteSamples.take(site, devices), now);
    }

    /**
     * The site's power truth at {@code now}, from devices sampled already (the control loop samples
     * once per tick for power truth and its own facts).
     *
     * @param now the controller's clock, to judge the age of readings
     */
    public static SiteSnapshot compute(SiteSamples samples, Instant now) {
        Objects.requireNonNull(samples, "samples");
        Objects.requireNonNull(now, "now");
        SiteModel site = samples.site();
        long nowMillis = now.toEpochMilli();
        long staleAfterMillis = site.staleAfter().toMillis();
        int n = site.size();
        double[] load = new double[n];
        PowerSource[] sources = new PowerSource[n];
        ReadingState[] readings = new ReadingState[n];
        List<SiteProblem> problems = new ArrayList<>(0);

        for (int node = n - 1; node >= 0; node--) {
            SiteDevice device = site.device(node);
            if (device != null) {
                deviceLoad(
                        site,
                        node,
                        device,
                        samples.device(node),
                        samples,
                        nowMillis,
                        staleAfterMillis,
                        load,
                        sources,
                        readings,
                        problems);
            } else {
                double sum = 0;
                for (int child : site.childrenOf(node)) {
                    sum += load[child];
                }
                int meter = site.nodeMeter(node);
                ReadingState state = ReadingState.NONE;
                if (meter >= 0) {
                    DeviceSample view = samples.meter(meter);
                    int slot = view == null ? -1 : view.slot(POWER);
                    state = judge(view, slot, Double.POSITIVE_INFINITY, nowMillis, staleAfterMillis);
                    if (state == ReadingState.LIVE && view != null) {
                        load[node] = view.value(slot) / 1000;
                        sources[node] = PowerSource.METERED;
                        readings[node] = state;
                        continue;
                    }
                }
                load[node] = sum;
                sources[node] = PowerSource.SUM;
                readings[node] = state;
            }
        }
        double[] zoneLoad = new double[site.zones().size()];
        for (int z = 0; z < zoneLoad.length; z++) {
            for (int rack : site.zoneRacks(z)) {
                zoneLoad[z] += load[rack];
            }
        }
        return new SiteSnapshot(site, now, load, sources, readings, zoneLoad, problems);
    }

    private static void deviceLoad(
            SiteModel site,
            int node,
            SiteDevice device,
            @Nullable DeviceSample view,
            SiteSamples samples,
            long nowMillis,
            long staleAfterMillis,
            double[] load,
            PowerSource[] sources,
            ReadingState[] readings,
            List<SiteProblem> problems) {
        double lastKnownW = Double.NaN;
        ReadingState best = ReadingState.NONE;
        double nameplateW = Double.NaN;
        PowerSource nameplateSource = PowerSource.NAMEPLATE;
        if (device.nameplateW().isPresent()) {
            nameplateW = device.nameplateW().get();
            nameplateSource = PowerSource.OVERRIDE;
        } else if (view != null && view.nameplatePowerW() > 0) {
            nameplateW = view.nameplatePowerW();
        }
        // One device drawing more than NAMEPLATE_FACTOR times its nameplate is a wrong reading, not a load.
        double ceilingW = Double.isNaN(nameplateW) ? Double.POSITIVE_INFINITY : nameplateW * NAMEPLATE_FACTOR;

        int meter = site.outletMeter(node);
        String outletKey = site.outletKey(node);
        if (meter >= 0 && outletKey != null) {
            DeviceSample pdu = samples.meter(meter);
            int slot = pdu == null ? -1 : pdu.slot(outletKey);
            ReadingState state = judge(pdu, slot, ceilingW, nowMillis, staleAfterMillis);
            if (state == ReadingState.LIVE && pdu != null) {
                set(node, pdu.value(slot) / 1000, PowerSource.METERED, state, load, sources, readings);
                return;
            }
            if (state == ReadingState.STALE && pdu != null) {
                lastKnownW = pdu.value(slot);
            }
            best = better(best, state);
        }

        int own = view == null ? -1 : view.slot(POWER);
        ReadingState state = judge(view, own, ceilingW, nowMillis, staleAfterMillis);
        if (view != null && !view.agent().equals(device.agent())) {
            problems.add(new SiteProblem(
                    SiteProblem.AGENT_MISMATCH,
                    device.id(),
                    "device " + device.id() + " is reported by agent " + view.agent() + ", but site.yaml places it"
                            + " with agent " + device.agent()));
        }
        if (state == ReadingState.LIVE && view != null) {
            set(node, view.value(own) / 1000, PowerSource.DEVICE, state, load, sources, readings);
            return;
        }
        if (state == ReadingState.STALE && view != null) {
            double ownW = view.value(own);
            lastKnownW = Double.isNaN(lastKnownW) ? ownW : Math.max(lastKnownW, ownW);
        }
        best = better(best, state);

        if (Double.isNaN(lastKnownW) && Double.isNaN(nameplateW)) {
            set(node, 0, PowerSource.UNKNOWN, best, load, sources, readings);
            problems.add(new SiteProblem(
                    SiteProblem.NO_POWER_FIGURE,
                    device.id(),
                    "device " + device.id() + " has no live power reading and no nameplate; counted as 0 kW."
                            + " Set nameplate-w for it in site.yaml"));
        } else if (Double.isNaN(nameplateW) || lastKnownW > nameplateW) {
            set(node, lastKnownW / 1000, PowerSource.LAST_KNOWN, best, load, sources, readings);
        } else {
            set(node, nameplateW / 1000, nameplateSource, best, load, sources, readings);
        }
    }

    private static void set(
            int node,
            double kw,
            PowerSource source,
            ReadingState state,
            double[] load,
            PowerSource[] sources,
            ReadingState[] readings) {
        load[node] = kw;
        sources[node] = source;
        readings[node] = state;
    }

    /** The more informative of two states: a stale reading says more than an implausible one. */
    private static ReadingState better(ReadingState a, ReadingState b) {
        return a.ordinal() <= b.ordinal() ? a : b;
    }

    /**
     * How far a reading can be trusted: quality first (bad or uncertain, or outside the plausible range,
     * is never used), then age (either way, against the controller's clock) and the device's status.
     *
     * @param ceilingW the highest plausible value besides the dictionary's range of {@code power}: for one
     *     device (an outlet, the device itself) {@value #NAMEPLATE_FACTOR} times its nameplate, for a feed
     *     or PDU meter, which measures many, none
     */
    static ReadingState judge(
            @Nullable DeviceSample view, int slot, double ceilingW, long nowMillis, long staleAfterMillis) {
        if (view == null || !view.has(slot)) {
            return ReadingState.NONE;
        }
        double value = view.value(slot);
        boolean plausible = POWER_METRIC.isPlausible(value) && value <= ceilingW;
        if (!view.good(slot) || !plausible) {
            return ReadingState.IMPLAUSIBLE;
        }
        if (view.status() == DeviceState.STALE
                || view.status() == DeviceState.OFFLINE
                || Math.abs(nowMillis - view.atMillis(slot)) > staleAfterMillis) {
            return ReadingState.STALE;
        }
        return ReadingState.LIVE;
    }
}
