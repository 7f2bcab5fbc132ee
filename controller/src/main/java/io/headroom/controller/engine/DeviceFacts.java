package io.headroom.controller.engine;

import io.headroom.controller.site.DeviceLookup;
import io.headroom.controller.site.SiteDevice;
import io.headroom.controller.site.SiteModel;
import io.headroom.controller.site.SiteSamples;
import io.headroom.controller.store.DeviceCapability;
import io.headroom.controller.store.DeviceSample;
import io.headroom.controller.store.DeviceState;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.wire.Verb;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * What the engine needs to know of each device besides its power: what it can be told to do, how
 * efficient and how hot it is, and whether it answers. Typed arrays by node index, gathered once per
 * tick from the device state (no string maps in the tick itself).
 */
public final class DeviceFacts {

    /** A sleeping miner still runs its controller board and fans: about 5 % of its nameplate. */
    static final double SLEEP_SHARE = 0.05;

    final double[] efficiencyJth;
    /** The hashrate it reports, TH/s (NaN for what does not hash). */
    final double[] hashrateThs;
    /** The model it reports (null before its first birth). */
    final @Nullable String[] model;

    final double[] hottestC;
    final double[] inletC;
    final double[] nameplateKw;
    final double[] minTargetW;
    final double[] maxTargetW;
    final double[] stepW;
    /** The verb that sets the device's power: set-power-target for miners, set-power-cap for GPU servers. */
    final @Nullable Verb[] targetVerb;
    /** The device's power target as it reports it, in W. */
    final double[] powerTargetW;

    final boolean[] canSleep;
    final boolean[] canWake;
    final boolean[] responsive;
    final boolean[] asleep;
    /** The PDU device that switches the device's outlet, when its capabilities allow it; else null. */
    final @Nullable String[] outletPdu;

    final boolean[] canOutletOn;

    DeviceFacts(int n) {
        efficiencyJth = nan(n);
        hashrateThs = nan(n);
        model = new String[n];
        hottestC = nan(n);
        inletC = nan(n);
        nameplateKw = nan(n);
        minTargetW = nan(n);
        maxTargetW = nan(n);
        stepW = new double[n];
        powerTargetW = nan(n);
        targetVerb = new Verb[n];
        canSleep = new boolean[n];
        canWake = new boolean[n];
        responsive = new boolean[n];
        asleep = new boolean[n];
        outletPdu = new String[n];
        canOutletOn = new boolean[n];
    }

    /** A copy whose arrays can be changed without touching these (a dry run's "after"). */
    DeviceFacts copy() {
        return new DeviceFacts(this);
    }

    private DeviceFacts(DeviceFacts o) {
        efficiencyJth = o.efficiencyJth.clone();
        hashrateThs = o.hashrateThs.clone();
        model = o.model.clone();
        hottestC = o.hottestC.clone();
        inletC = o.inletC.clone();
        nameplateKw = o.nameplateKw.clone();
        minTargetW = o.minTargetW.clone();
        maxTargetW = o.maxTargetW.clone();
        stepW = o.stepW.clone();
        powerTargetW = o.powerTargetW.clone();
        targetVerb = o.targetVerb.clone();
        canSleep = o.canSleep.clone();
        canWake = o.canWake.clone();
        responsive = o.responsive.clone();
        asleep = o.asleep.clone();
        outletPdu = o.outletPdu.clone();
        canOutletOn = o.canOutletOn.clone();
    }

    private static double[] nan(int n) {
        double[] a = new double[n];
        Arrays.fill(a, Double.NaN);
        return a;
    }

    /** Reads every device of the site once. */
    public static DeviceFacts gather(SiteModel model, DeviceLookup devices) {
        return gather(SiteSamples.take(model, devices));
    }

    /** The facts of devices sampled already (the control loop samples once per tick). */
    public static DeviceFacts gather(SiteSamples samples) {
        SiteModel model = samples.site();
        DeviceFacts facts = new DeviceFacts(model.size());
        for (int node = 0; node < model.size(); node++) {
            SiteDevice device = model.device(node);
            if (device != null) {
                facts.read(model, node, device, samples);
            }
        }
        return facts;
    }

    private void read(SiteModel model, int node, SiteDevice device, SiteSamples samples) {
        DeviceSample view = samples.device(node);
        if (device.nameplateW().isPresent()) {
            nameplateKw[node] = device.nameplateW().get() / 1000;
        } else if (view != null && view.nameplatePowerW() > 0) {
            nameplateKw[node] = view.nameplatePowerW() / 1000;
        }
        String pdu = model.outletDevice(node);
        if (pdu != null && device.outlet().isPresent()) {
            DeviceSample pduView = samples.outletPdu(node);
            if (pduView != null && pduView.status() != DeviceState.STALE && !pduView.inConflict()) {
                for (DeviceCapability capability : pduView.capabilities()) {
                    if (capability.verb() == Verb.VERB_OUTLET_OFF
                            && (capability.instances().isEmpty()
                                    || capability
                                            .instances()
                                            .contains(device.outlet().get()))) {
                        outletPdu[node] = pdu;
                    } else if (capability.verb() == Verb.VERB_OUTLET_ON) {
                        canOutletOn[node] = true;
                    }
                }
            }
        }
        if (view == null) {
            return;
        }
        this.model[node] = view.model();
        responsive[node] =
                view.status() != DeviceState.STALE && view.status() != DeviceState.OFFLINE && !view.inConflict();
        for (DeviceCapability capability : view.capabilities()) {
            switch (capability.verb()) {
                case VERB_SET_POWER_TARGET, VERB_SET_POWER_CAP -> {
                    if (targetVerb[node] != Verb.VERB_SET_POWER_TARGET) {
                        targetVerb[node] = capability.verb();
                        minTargetW[node] = capability.min();
                        maxTargetW[node] = capability.max();
                        stepW[node] = capability.step();
                    }
                }
                case VERB_SLEEP -> canSleep[node] = true;
                case VERB_WAKE -> canWake[node] = true;
                default -> {}
            }
        }
        double power = Double.NaN;
        double hashrate = Double.NaN;
        double hottest = Double.NaN;
        for (int slot = 0; slot < view.slotCount(); slot++) {
            if (!view.good(slot)) {
                continue;
            }
            String key = view.key(slot);
            double value = view.value(slot);
            if (key.equals(MetricDictionary.POWER)) {
                power = value;
            } else if (key.equals(MetricDictionary.HASHRATE)) {
                hashrate = value;
            } else if (key.startsWith(MetricDictionary.TEMPERATURE_CHIP)) {
                hottest = Double.isNaN(hottest) ? value : Math.max(hottest, value);
            } else if (key.startsWith(MetricDictionary.TEMPERATURE_INLET)) {
                inletC[node] = Double.isNaN(inletC[node]) ? value : Math.max(inletC[node], value);
            } else if (key.equals(MetricDictionary.POWER_TARGET)) {
                powerTargetW[node] = value;
            } else if (key.equals(MetricDictionary.MODE)) {
                asleep[node] = value == io.headroom.protocol.Mode.SLEEP.code();
            }
        }
        hottestC[node] = hottest;
        hashrateThs[node] = hashrate;
        if (power > 0 && hashrate > 0) {
            efficiencyJth[node] = power / hashrate;
        }
    }

    /** The device's idle draw when asleep, in kW. */
    double sleepKw(int node) {
        double nameplate = nameplateKw[node];
        return Double.isNaN(nameplate) ? 0 : nameplate * SLEEP_SHARE;
    }

    /** True when the device takes a power target. */
    boolean canTarget(int node) {
        return !Double.isNaN(minTargetW[node]) && maxTargetW[node] > minTargetW[node];
    }
}
