package io.headroom.simulator.ups;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * An online (double-conversion) UPS carrying a load the site model gives: on mains its output source is
 * normal and its battery charges; when the mains fail it carries the load from the battery, whose charge
 * falls with the energy drawn, until it is depleted. Time is the injected clock; the model integrates
 * from its last read. The load it carries is not cut when the battery is depleted (not modelled: the
 * UPS only reports it). Thread-safe.
 */
public final class UpsModel {
    /** UPS-MIB upsOutputSource. */
    public enum OutputSource {
        NONE(2),
        NORMAL(3),
        BATTERY(5);

        private final int code;

        OutputSource(int code) {
            this.code = code;
        }

        /** The MIB's value. */
        public int code() {
            return code;
        }
    }

    /** Battery charge below which upsBatteryStatus is batteryLow, %. */
    static final double LOW_PERCENT = 20;
    /** A full recharge from empty takes this long on mains. */
    private static final Duration RECHARGE = Duration.ofHours(4);
    /** Inverter efficiency on battery. */
    private static final double EFFICIENCY = 0.95;

    private final DoubleSupplier loadWatts;
    private final Clock clock;
    private final double ratedWatts;
    private final double batteryWh;
    private Instant at;
    private boolean mains = true;
    private double chargeWh;
    private Instant onBatterySince;

    /**
     * @param loadWatts  what the load draws now, W
     * @param ratedWatts the UPS's real-power rating, W
     * @param batteryWh  usable battery energy, Wh
     */
    public UpsModel(DoubleSupplier loadWatts, Clock clock, double ratedWatts, double batteryWh) {
        this.loadWatts = Objects.requireNonNull(loadWatts, "loadWatts");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (!(ratedWatts > 0) || !(batteryWh > 0)) {
            throw new IllegalArgumentException("ratedWatts and batteryWh must be positive");
        }
        this.ratedWatts = ratedWatts;
        this.batteryWh = batteryWh;
        this.at = clock.instant();
        this.chargeWh = batteryWh;
    }

    /** Mains present ({@code true}) or failed, from the clock's time on. */
    public synchronized void setMains(boolean present) {
        advance();
        if (mains == present) {
            return;
        }
        mains = present;
        onBatterySince = present ? null : at;
    }

    public synchronized boolean mains() {
        return mains;
    }

    public double ratedWatts() {
        return ratedWatts;
    }

    public double loadWatts() {
        return Math.max(0, loadWatts.getAsDouble());
    }

    /** Output load as a share of the rating, %. */
    public double percentLoad() {
        return 100 * loadWatts() / ratedWatts;
    }

    public synchronized OutputSource outputSource() {
        advance();
        if (mains) {
            return OutputSource.NORMAL;
        }
        return chargeWh > 0 ? OutputSource.BATTERY : OutputSource.NONE;
    }

    /** upsEstimatedChargeRemaining, %. */
    public synchronized double chargePercent() {
        advance();
        return 100 * chargeWh / batteryWh;
    }

    /** upsEstimatedMinutesRemaining at the present load, min. */
    public synchronized double minutesRemaining() {
        advance();
        double load = loadWatts();
        return load <= 0 ? 9999 : Math.min(9999, chargeWh * EFFICIENCY / load * 60);
    }

    /** upsSecondsOnBattery: 0 on mains. */
    public synchronized long secondsOnBattery() {
        advance();
        return onBatterySince == null ? 0 : Duration.between(onBatterySince, at).getSeconds();
    }

    private void advance() {
        Instant now = clock.instant();
        if (!now.isAfter(at)) {
            return;
        }
        double hours = Duration.between(at, now).toNanos() / 3.6e12;
        if (mains) {
            chargeWh = Math.min(batteryWh, chargeWh + batteryWh * hours / (RECHARGE.toSeconds() / 3600.0));
        } else {
            chargeWh = Math.max(0, chargeWh - loadWatts() / EFFICIENCY * hours);
        }
        at = now;
    }
}
