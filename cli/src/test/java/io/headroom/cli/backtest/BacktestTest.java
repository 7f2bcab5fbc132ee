package io.headroom.cli.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backtest on the shipped sample (docs/examples: the demo's site, the generated November 2026
 * prices): the same report twice, no limit violated; a price spike far above every miner's break-even
 * makes Headroom's margin at least the always-on baseline's; a reservation from the file is met.
 */
class BacktestTest {

    static final Path EXAMPLES = Path.of("..", "docs", "examples");
    static final Path SITE = EXAMPLES.resolve("site.yaml");
    static final Path PRICES = EXAMPLES.resolve("market/energy-rt.csv");
    static final Path HASHPRICE = EXAMPLES.resolve("market/hashprice.csv");
    static final Instant FROM = Instant.parse("2026-11-03T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void theShippedSampleGivesTheSameReportTwiceAndNeverViolatesALimit() throws Exception {
        BacktestInputs inputs = BacktestInputs.load(
                SITE, PRICES, HASHPRICE, null, FROM, FROM.plus(Duration.ofDays(2)), Duration.ofSeconds(60), 7);

        BacktestReport first = Backtest.run(inputs);
        BacktestReport second = Backtest.run(inputs);

        assertThat(second.toJson()).isEqualTo(first.toJson());
        assertThat(second.toText()).isEqualTo(first.toText());
        assertThat(first.runs()).hasSize(3).allSatisfy(run -> {
            assertThat(run.limitViolations()).as(run.strategy()).isZero();
            assertThat(run.firstViolations()).isEmpty();
            assertThat(run.ticks()).isEqualTo(2 * 24 * 60);
            assertThat(run.energyMwh()).isPositive();
            assertThat(run.hashRevenueUsd()).isPositive();
        });
        assertThat(first.run(Strategy.ALWAYS_ON).commands()).isZero();
        assertThat(first.hashprice()).isEqualTo("from file");
    }

    @Test
    void theHourlySeriesHasOnePointPerHour_andAddsUpToTheTotals() throws Exception {
        // From 00:30: the first hour is half an hour, then 5 whole hours, then the half hour to 06:00 (exclusive).
        Instant from = FROM.plus(Duration.ofMinutes(30));
        BacktestInputs inputs = BacktestInputs.load(
                SITE, PRICES, HASHPRICE, null, from, from.plus(Duration.ofHours(5)), Duration.ofSeconds(60), 7);

        BacktestReport report = Backtest.run(inputs);

        assertThat(report.runs()).allSatisfy(run -> {
            assertThat(run.hourly())
                    .extracting(HourlyPoint::hour)
                    .containsExactly(
                            "2026-11-03T00:00:00Z",
                            "2026-11-03T01:00:00Z",
                            "2026-11-03T02:00:00Z",
                            "2026-11-03T03:00:00Z",
                            "2026-11-03T04:00:00Z",
                            "2026-11-03T05:00:00Z");
            // Each hour is rounded to 0.001; six of them stay within 0.006 of the total.
            assertThat(run.hourly().stream()
                            .mapToDouble(HourlyPoint::energyCostUsd)
                            .sum())
                    .isCloseTo(run.energyCostUsd(), org.assertj.core.data.Offset.offset(0.01));
            assertThat(run.hourly().stream().mapToDouble(HourlyPoint::marginUsd).sum())
                    .isCloseTo(run.marginUsd(), org.assertj.core.data.Offset.offset(0.01));
            assertThat(run.hourly().stream()
                            .mapToDouble(HourlyPoint::curtailedMwh)
                            .sum())
                    .isCloseTo(run.curtailedMwh(), org.assertj.core.data.Offset.offset(0.01));
            assertThat(run.hourly())
                    .allSatisfy(
                            h -> assertThat(h.energyUsdPerMwh()).as(h.hour()).isNotNull());
        });
        // The price is the same in every run; the first hour's mean is that of the sample's 00:30..00:55 points.
        double expected = inputs.energy().between(from, from.plus(Duration.ofMinutes(30))).points().stream()
                .mapToDouble(io.headroom.controller.market.PricePoint::value)
                .average()
                .orElseThrow();
        assertThat(report.run(Strategy.HEADROOM).hourly().get(0).energyUsdPerMwh())
                .isCloseTo(expected, org.assertj.core.data.Offset.offset(0.001));
        assertThat(report.toJson()).contains("\"hourly\" : [", "\"energy_usd_per_mwh\" : ");
    }

    @Test
    void aSpikeAboveEveryBreakEvenCurtailsAndHeadroomEarnsAtLeastTheAlwaysOnMargin() throws Exception {
        // 30 USD/MWh, then 600 (above every miner's break-even of 61 to 123 at hashprice 50) for two hours.
        Instant start = Instant.parse("2026-12-01T00:00:00Z");
        StringBuilder csv = new StringBuilder("time,value\n");
        for (int i = 0; i < 12 * 6; i++) {
            csv.append(start.plus(Duration.ofMinutes(5L * i)))
                    .append(',')
                    .append(i >= 12 && i < 36 ? "600" : "30")
                    .append('\n');
        }
        Path prices = Files.writeString(dir.resolve("spike.csv"), csv);
        BacktestInputs inputs = BacktestInputs.load(
                SITE, prices, null, null, start, start.plus(Duration.ofHours(5)), Duration.ofSeconds(10), 3);

        BacktestReport report = Backtest.run(inputs);

        RunReport headroom = report.run(Strategy.HEADROOM);
        RunReport alwaysOn = report.run(Strategy.ALWAYS_ON);
        RunReport fixed = report.run(Strategy.FIXED_STRIKE);
        assertThat(report.hashprice()).contains("constant 50.0");
        assertThat(headroom.curtailedMwh()).isPositive();
        assertThat(headroom.commandsByKind()).containsKeys("sleep", "wake");
        assertThat(alwaysOn.curtailedMwh()).isZero();
        assertThat(headroom.marginUsd()).isGreaterThan(alwaysOn.marginUsd());
        assertThat(fixed.marginUsd()).isGreaterThan(alwaysOn.marginUsd());
        // The dwell costs Headroom the spike's first intervals that the fixed strike sheds at once.
        assertThat(headroom.energyCostUsd()).isGreaterThan(fixed.energyCostUsd());
        assertThat(report.runs())
                .allSatisfy(r -> assertThat(r.limitViolations()).isZero());
    }

    @Test
    void aReservationInTheFileIsFreedByItsStartAndHeld() throws Exception {
        Path reservations = write("reservations.yaml", """
                - kw: 30
                  scope: {kind: feed, id: feed-1}
                  start: 2026-11-03T01:00:00Z
                  end: 2026-11-03T02:00:00Z
                  lead_seconds: 600
                  reference: train-42
                """);
        BacktestInputs inputs = BacktestInputs.load(
                SITE, PRICES, HASHPRICE, reservations, FROM, FROM.plus(Duration.ofHours(3)), Duration.ofSeconds(10), 5);

        BacktestReport report = Backtest.run(inputs);

        assertThat(report.runs()).allSatisfy(run -> {
            assertThat(run.reservations()).singleElement().satisfies(r -> {
                assertThat(r.reservation()).isEqualTo("train-42");
                assertThat(r.met()).as(run.strategy() + ": " + r).isTrue();
                assertThat(Instant.parse(r.heldAt())).isBeforeOrEqualTo(Instant.parse("2026-11-03T01:00:00Z"));
                assertThat(r.minFreedKw()).isGreaterThanOrEqualTo(30 * 0.99);
            });
            assertThat(run.reservationsMet()).isEqualTo(1);
            assertThat(run.limitViolations()).isZero();
            assertThat(run.commandsByKind()).containsKey("sleep");
        });
    }

    @Test
    void aReservationTheSiteCannotFreeIsReportedRefusedWithTheArithmetic() throws Exception {
        Path reservations = write("reservations.yaml", """
                - kw: 500
                  scope: {kind: feed, id: feed-1}
                  start: 2026-11-03T01:00:00Z
                  end: 2026-11-03T02:00:00Z
                """);
        BacktestInputs inputs = BacktestInputs.load(
                SITE,
                PRICES,
                HASHPRICE,
                reservations,
                FROM,
                FROM.plus(Duration.ofMinutes(10)),
                Duration.ofSeconds(10),
                5);

        BacktestReport report = Backtest.run(inputs);
        RunReport run = report.run(Strategy.HEADROOM);
        assertThat(report.toJson()).doesNotContain("NaN").contains("\"min_freed_kw\" : null");

        assertThat(run.reservations()).singleElement().satisfies(r -> {
            assertThat(r.met()).isFalse();
            assertThat(r.state()).isEqualTo("refused");
            assertThat(r.note()).contains("short by");
            assertThat(r.minFreedKw()).isNull();
        });
        assertThat(run.reservationsMet()).isZero();
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
