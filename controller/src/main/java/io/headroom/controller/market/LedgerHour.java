package io.headroom.controller.market;

import java.time.Instant;
import java.util.Objects;

/**
 * One hour of the ledger (UTC hours). Money in USD, energy in kWh. The counterfactual is the same
 * hour without Headroom's decisions: the curtailed load drawing its pre-curtailment power and
 * hashing at its pre-curtailment hashrate at the same prices.
 *
 * @param hour the hour's start
 * @param recordedSeconds how much of the hour samples covered
 * @param unpricedSeconds of that, how much had no energy price or hashprice (left out of the money)
 * @param energyKwh site energy
 * @param hashingKwh miners' energy
 * @param energyCostUsd site energy × energy price
 * @param hashRevenueUsd hashrate × hashprice
 * @param aiKwh energy delivered to AI load
 * @param aiRevenueUsd that × the AI capacity price, where one was given
 * @param curtailedKwh energy not drawn because of curtailment
 * @param counterfactualCostUsd what the energy would have cost without the curtailment
 * @param counterfactualHashRevenueUsd what hashing would have earned without it
 */
public record LedgerHour(
        Instant hour,
        double recordedSeconds,
        double unpricedSeconds,
        double energyKwh,
        double hashingKwh,
        double energyCostUsd,
        double hashRevenueUsd,
        double aiKwh,
        double aiRevenueUsd,
        double curtailedKwh,
        double counterfactualCostUsd,
        double counterfactualHashRevenueUsd) {

    public LedgerHour {
        Objects.requireNonNull(hour, "hour");
    }

    static LedgerHour empty(Instant hour) {
        return new LedgerHour(hour, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** Revenue (hashing and AI) less energy cost. */
    public double marginUsd() {
        return hashRevenueUsd + aiRevenueUsd - energyCostUsd;
    }

    /** The same without Headroom's decisions. */
    public double counterfactualMarginUsd() {
        return counterfactualHashRevenueUsd + aiRevenueUsd - counterfactualCostUsd;
    }

    /** What the decisions gained this hour (negative when they cost). */
    public double gainUsd() {
        return marginUsd() - counterfactualMarginUsd();
    }

    /** This hour with {@code seconds} of {@code sample} added. */
    LedgerHour plus(double seconds, LedgerSample sample) {
        double hours = seconds / 3600;
        double site = sample.siteKw() * hours;
        double curtailed = sample.curtailedKw() * hours;
        boolean priced = sample.energyUsdPerMwh().isPresent()
                && sample.hashpriceUsdPerPhDay().isPresent();
        double cost = 0;
        double revenue = 0;
        double cfCost = 0;
        double cfRevenue = 0;
        if (priced) {
            double perKwh = sample.energyUsdPerMwh().getAsDouble() / 1000;
            double perThHour = sample.hashpriceUsdPerPhDay().getAsDouble() / 1000 / 24;
            cost = site * perKwh;
            revenue = sample.hashrateThs() * hours * perThHour;
            cfCost = (site + curtailed) * perKwh;
            cfRevenue = (sample.hashrateThs() + sample.curtailedThs()) * hours * perThHour;
        }
        double ai = sample.aiKw() * hours;
        double aiRevenue =
                sample.aiUsdPerKwh().isPresent() ? ai * sample.aiUsdPerKwh().getAsDouble() : 0;
        return new LedgerHour(
                hour,
                recordedSeconds + seconds,
                unpricedSeconds + (priced ? 0 : seconds),
                energyKwh + site,
                hashingKwh + sample.hashingKw() * hours,
                energyCostUsd + cost,
                hashRevenueUsd + revenue,
                aiKwh + ai,
                aiRevenueUsd + aiRevenue,
                curtailedKwh + curtailed,
                counterfactualCostUsd + cfCost,
                counterfactualHashRevenueUsd + cfRevenue);
    }
}
