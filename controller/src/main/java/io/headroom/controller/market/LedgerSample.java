package io.headroom.controller.market;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What the site did over one stretch of time, and the prices in force, for {@link MarketLedger}.
 * Powers are averages over the stretch.
 *
 * @param siteKw the whole site's metered power
 * @param hashingKw the part of it drawn by miners
 * @param hashrateThs the miners' hashrate, TH/s
 * @param aiKw the power delivered to AI load
 * @param curtailedKw what Headroom's decisions took off: the curtailed load's pre-curtailment power
 * @param curtailedThs the pre-curtailment hashrate of that load, TH/s
 * @param energyUsdPerMwh the energy price in force; empty when none was known
 * @param hashpriceUsdPerPhDay the hashprice in force; empty when none was known
 * @param aiUsdPerKwh the AI capacity price in force; empty when not configured
 */
public record LedgerSample(
        double siteKw,
        double hashingKw,
        double hashrateThs,
        double aiKw,
        double curtailedKw,
        double curtailedThs,
        OptionalDouble energyUsdPerMwh,
        OptionalDouble hashpriceUsdPerPhDay,
        OptionalDouble aiUsdPerKwh) {

    public LedgerSample {
        check("siteKw", siteKw);
        check("hashingKw", hashingKw);
        check("hashrateThs", hashrateThs);
        check("aiKw", aiKw);
        check("curtailedKw", curtailedKw);
        check("curtailedThs", curtailedThs);
        Objects.requireNonNull(energyUsdPerMwh, "energyUsdPerMwh");
        Objects.requireNonNull(hashpriceUsdPerPhDay, "hashpriceUsdPerPhDay");
        Objects.requireNonNull(aiUsdPerKwh, "aiUsdPerKwh");
        finite("energyUsdPerMwh", energyUsdPerMwh);
        finite("hashpriceUsdPerPhDay", hashpriceUsdPerPhDay);
        finite("aiUsdPerKwh", aiUsdPerKwh);
    }

    private static void check(String name, double value) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(name + ": " + value + " is not a finite number >= 0");
        }
    }

    private static void finite(String name, OptionalDouble value) {
        if (value.isPresent() && !Double.isFinite(value.getAsDouble())) {
            throw new IllegalArgumentException(name + ": " + value.getAsDouble() + " is not a finite number");
        }
    }
}
