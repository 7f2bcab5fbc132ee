package io.headroom.cli.backtest;

import org.jspecify.annotations.Nullable;

/**
 * One UTC hour of a run's books, for the web page's backtest chart (docs/backtest.md). The first and
 * last hour are partial when {@code --from} or {@code --to} is not on the hour; the series has at
 * most one point per hour of the range, which the input checks bound to 92 days (2,208 points).
 *
 * @param hour the hour's start, ISO-8601 UTC
 * @param energyMwh site energy in the hour
 * @param energyCostUsd its cost at the steps' prices
 * @param hashRevenueUsd the miners' hashrate × hashprice in the hour
 * @param marginUsd hash revenue − energy cost
 * @param curtailedMwh energy the curtailed miners did not draw
 * @param energyUsdPerMwh the time-weighted mean energy price of the hour's priced steps; null when none was priced
 */
public record HourlyPoint(
        String hour,
        double energyMwh,
        double energyCostUsd,
        double hashRevenueUsd,
        double marginUsd,
        double curtailedMwh,
        @Nullable Double energyUsdPerMwh) {}
