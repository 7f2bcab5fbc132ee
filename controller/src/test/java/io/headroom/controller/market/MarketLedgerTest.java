package io.headroom.controller.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The hourly ledger against figures worked out by hand. */
class MarketLedgerTest {
    static final Instant T = Instant.parse("2026-12-01T10:30:00Z");

    /**
     * 1000 kW site (800 kW hashing at 40 PH/s, 200 kW AI), 300 kW and 15 PH/s curtailed; energy
     * 50 USD/MWh, hashprice 48 USD/PH/day (2 USD per PH/s-hour), AI 0.20 USD/kWh.
     */
    static final LedgerSample SAMPLE = new LedgerSample(
            1000, 800, 40_000, 200, 300, 15_000, OptionalDouble.of(50), OptionalDouble.of(48), OptionalDouble.of(0.2));

    @Test
    void aStretchAcrossAnHour_isSplitBetweenBothHours_withTheHandWorkedFigures() {
        MarketLedger ledger = new MarketLedger("demo", 48);
        ledger.record(T, T.plusSeconds(3600), SAMPLE);

        List<LedgerHour> hours = ledger.lastHours(24);
        assertThat(hours)
                .extracting(LedgerHour::hour)
                .containsExactly(Instant.parse("2026-12-01T10:00:00Z"), Instant.parse("2026-12-01T11:00:00Z"));
        LedgerHour ten = hours.get(0);
        // Half an hour each.
        assertThat(ten.recordedSeconds()).isEqualTo(1800);
        assertThat(ten.energyKwh()).isEqualTo(500);
        assertThat(ten.hashingKwh()).isEqualTo(400);
        assertThat(ten.energyCostUsd()).isCloseTo(25, within(1e-9)); // 500 kWh × 0.05
        assertThat(ten.hashRevenueUsd()).isCloseTo(40, within(1e-9)); // 40 PH/s × 2 USD/h × 0.5 h
        assertThat(ten.aiKwh()).isEqualTo(100);
        assertThat(ten.aiRevenueUsd()).isCloseTo(20, within(1e-9));
        assertThat(ten.curtailedKwh()).isEqualTo(150);
        assertThat(ten.counterfactualCostUsd()).isCloseTo(32.5, within(1e-9)); // 650 kWh × 0.05
        assertThat(ten.counterfactualHashRevenueUsd()).isCloseTo(55, within(1e-9)); // 55 PH/s × 2 × 0.5
        assertThat(ten.marginUsd()).isCloseTo(35, within(1e-9));
        assertThat(ten.counterfactualMarginUsd()).isCloseTo(42.5, within(1e-9));
        assertThat(ten.gainUsd()).isCloseTo(-7.5, within(1e-9));
        assertThat(hours.get(1))
                .isEqualTo(new LedgerHour(
                        hours.get(1).hour(),
                        1800,
                        0,
                        500,
                        400,
                        ten.energyCostUsd(),
                        ten.hashRevenueUsd(),
                        100,
                        ten.aiRevenueUsd(),
                        150,
                        ten.counterfactualCostUsd(),
                        ten.counterfactualHashRevenueUsd()));

        LedgerHour total = MarketLedger.total(hours);
        assertThat(total.energyKwh()).isEqualTo(1000);
        assertThat(total.gainUsd()).isCloseTo(-15, within(1e-9));
    }

    @Test
    void anHourAtANegativePrice_curtailmentThatCostMoney_showsAsANegativeGain() {
        MarketLedger ledger = new MarketLedger("demo", 48);
        Instant hour = Instant.parse("2026-12-01T03:00:00Z");
        ledger.record(
                hour,
                hour.plusSeconds(3600),
                new LedgerSample(
                        100,
                        100,
                        5000,
                        0,
                        50,
                        2500,
                        OptionalDouble.of(-20),
                        OptionalDouble.of(48),
                        OptionalDouble.empty()));

        LedgerHour h = ledger.lastHours(1).get(0);
        assertThat(h.energyCostUsd()).isCloseTo(-2, within(1e-9)); // 100 kWh × -0.02
        assertThat(h.counterfactualCostUsd()).isCloseTo(-3, within(1e-9));
        assertThat(h.hashRevenueUsd()).isCloseTo(10, within(1e-9));
        assertThat(h.counterfactualHashRevenueUsd()).isCloseTo(15, within(1e-9));
        assertThat(h.gainUsd()).isCloseTo(12 - 18, within(1e-9));
        assertThat(h.aiRevenueUsd()).isZero();
    }

    @Test
    void unpricedTime_isCountedButAddsNoMoney() {
        MarketLedger ledger = new MarketLedger("demo", 48);
        ledger.record(
                T,
                T.plusSeconds(600),
                new LedgerSample(
                        1000,
                        800,
                        40_000,
                        0,
                        0,
                        0,
                        OptionalDouble.empty(),
                        OptionalDouble.of(48),
                        OptionalDouble.empty()));

        LedgerHour h = ledger.lastHours(1).get(0);
        assertThat(h.unpricedSeconds()).isEqualTo(600);
        assertThat(h.energyKwh()).isCloseTo(1000.0 / 6, within(1e-9));
        assertThat(h.energyCostUsd()).isZero();
        assertThat(h.hashRevenueUsd()).isZero();
    }

    @Test
    void memoryIsBounded_toTheNewestHours_andOldOrBackwardStretchesAddNothing() {
        MarketLedger ledger = new MarketLedger("demo", 3);
        Instant start = Instant.parse("2026-12-01T00:00:00Z");
        for (int i = 0; i < 10 * 12; i++) {
            Instant from = start.plusSeconds(300L * i);
            ledger.record(from, from.plusSeconds(300), SAMPLE);
        }
        assertThat(ledger.hours()).hasSize(3);
        assertThat(ledger.lastHours(99))
                .extracting(LedgerHour::hour)
                .containsExactly(
                        Instant.parse("2026-12-01T07:00:00Z"),
                        Instant.parse("2026-12-01T08:00:00Z"),
                        Instant.parse("2026-12-01T09:00:00Z"));

        ledger.record(start, start.plusSeconds(600), SAMPLE);
        ledger.record(start.plusSeconds(36_000), start.plusSeconds(35_000), SAMPLE);
        assertThat(ledger.hours()).hasSize(3).doesNotContainKey(start);

        // A stretch of years is clipped to the hours kept, not walked hour by hour.
        MarketLedger big = new MarketLedger("demo", 2);
        big.record(Instant.EPOCH, start, SAMPLE);
        assertThat(big.lastHours(5)).extracting(LedgerHour::recordedSeconds).containsExactly(3600.0, 3600.0);
    }
}
