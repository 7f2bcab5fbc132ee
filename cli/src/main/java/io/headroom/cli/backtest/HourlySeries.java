package io.headroom.cli.backtest;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Sums a run's steps per UTC hour into {@link HourlyPoint}s; steps come in time order. Not thread-safe. */
final class HourlySeries {
    private final List<HourlyPoint> points = new ArrayList<>();
    private @Nullable Instant hour;
    private double energyKwh;
    private double costUsd;
    private double revenueUsd;
    private double curtailedKwh;
    private double pricedSeconds;
    private double priceSeconds;

    /** Books one step at {@code at}; {@code price} is NaN when the step was not priced. */
    void add(
            Instant at,
            double stepEnergyKwh,
            double stepCostUsd,
            double stepRevenueUsd,
            double stepCurtailedKwh,
            double price,
            double stepSeconds) {
        Instant stepHour = at.truncatedTo(ChronoUnit.HOURS);
        if (!stepHour.equals(hour)) {
            flush();
            hour = stepHour;
        }
        energyKwh += stepEnergyKwh;
        costUsd += stepCostUsd;
        revenueUsd += stepRevenueUsd;
        curtailedKwh += stepCurtailedKwh;
        if (!Double.isNaN(price)) {
            pricedSeconds += stepSeconds;
            priceSeconds += price * stepSeconds;
        }
    }

    /** The hours booked so far, the last one included. */
    List<HourlyPoint> points() {
        flush();
        return List.copyOf(points);
    }

    private void flush() {
        if (hour == null) {
            return;
        }
        points.add(new HourlyPoint(
                hour.toString(),
                BacktestRun.round(energyKwh / 1000),
                BacktestRun.round(costUsd),
                BacktestRun.round(revenueUsd),
                BacktestRun.round(revenueUsd - costUsd),
                BacktestRun.round(curtailedKwh / 1000),
                pricedSeconds > 0 ? BacktestRun.round(priceSeconds / pricedSeconds) : null));
        hour = null;
        energyKwh = 0;
        costUsd = 0;
        revenueUsd = 0;
        curtailedKwh = 0;
        pricedSeconds = 0;
        priceSeconds = 0;
    }
}
