package io.headroom.cli.backtest;

import java.util.List;
import java.util.Map;

/**
 * One strategy's books over the whole range. Money in USD at the step's prices (energy cost: the
 * site meter's true load × the real-time price; hash revenue: the miners' hashrate × hashprice).
 *
 * @param energyMwh site energy
 * @param curtailedMwh energy the engine's curtailed miners did not draw (nameplate less their draw)
 * @param commands commands the engine sent, by kind in {@code commandsByKind}
 * @param limitViolations steps × nodes whose true load was above the node's limit (must be zero)
 * @param firstViolations the first few of them
 * @param ticks engine ticks run
 * @param unpricedHours hours without an energy price or hashprice, left out of the money
 * @param hourly the same books per UTC hour, oldest first (the web page's chart)
 */
public record RunReport(
        String strategy,
        double energyMwh,
        double energyCostUsd,
        double hashRevenueUsd,
        double marginUsd,
        double curtailedMwh,
        long commands,
        Map<String, Long> commandsByKind,
        long limitViolations,
        List<String> firstViolations,
        List<ReservationOutcome> reservations,
        long ticks,
        double unpricedHours,
        List<HourlyPoint> hourly) {

    public RunReport {
        commandsByKind = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(commandsByKind));
        firstViolations = List.copyOf(firstViolations);
        reservations = List.copyOf(reservations);
        hourly = List.copyOf(hourly);
    }

    /** Reservations met of those asked. */
    public long reservationsMet() {
        return reservations.stream().filter(ReservationOutcome::met).count();
    }
}
