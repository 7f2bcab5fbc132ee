package io.headroom.controller.market;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A market on fixed in-memory prices for route tests: hashprice 50, real-time energy at 100 from
 * 09:00 every 5 minutes, so an S19 (34.5 J/TH, break-even 60.4) is struck after three intervals and
 * an S21 (17.5 J/TH, break-even 119.0) is not.
 */
public final class MarketRoutesFixture {
    public static final ModelEconomics S19 = ModelEconomics.ofProfile("Antminer S19", "hashing", 34.5);
    public static final ModelEconomics S21 = ModelEconomics.ofProfile("Antminer S21", "hashing", 17.5);

    private MarketRoutesFixture() {}

    /** A fixed series as a source. */
    public static PriceSource fixed(PriceSeries series) {
        return new PriceSource() {
            @Override
            public Optional<PricePoint> latest(Instant now) {
                return series.at(now);
            }

            @Override
            public PriceSeries series(Instant from, Instant to) {
                return series.between(from, to);
            }

            @Override
            public String describe() {
                return "fixed";
            }
        };
    }

    public static MarketConfig config() {
        MarketConfig.InputConfig file = new MarketConfig.InputConfig(
                MarketConfig.SourceKind.FILE,
                Optional.of(new MarketConfig.FileSource(Path.of("prices.csv"), Optional.empty(), "time", "value")),
                Optional.empty(),
                Duration.ofMinutes(15));
        MarketConfig.InputConfig daily = new MarketConfig.InputConfig(
                MarketConfig.SourceKind.FILE,
                Optional.of(new MarketConfig.FileSource(Path.of("hash.csv"), Optional.empty(), "time", "value")),
                Optional.empty(),
                Duration.ofDays(2));
        return new MarketConfig(
                daily,
                file,
                Optional.empty(),
                Optional.of(file),
                MarketInput.ENERGY_RT,
                MarketConfig.Fallback.curtail(),
                5,
                0,
                3,
                3,
                List.of(),
                48);
    }

    public static Market market() {
        Instant nine = Instant.parse("2026-12-01T09:00:00Z");
        List<PricePoint> energy = new java.util.ArrayList<>();
        for (int i = 0; i < 24; i++) {
            energy.add(new PricePoint(nine.plus(Duration.ofMinutes(5L * i)), 100));
        }
        return Market.of(
                config(),
                "demo",
                Map.of(
                        MarketInput.HASHPRICE, fixed(PriceSeries.of(List.of(new PricePoint(nine, 50)))),
                        MarketInput.ENERGY_RT, fixed(PriceSeries.of(energy)),
                        MarketInput.AI_CAPACITY, fixed(PriceSeries.of(List.of(new PricePoint(nine, 0.25))))),
                MarketState.initial());
    }

    /** Three intervals of decisions up to {@code now} (which must be 09:10 or later), and one ledger stretch. */
    public static MarketDecision decideAndRecord(Market market, Instant now) {
        List<ModelEconomics> fleet = List.of(S19, S21);
        market.decide(now.minus(Duration.ofMinutes(10)), fleet);
        market.decide(now.minus(Duration.ofMinutes(5)), fleet);
        MarketDecision decision = market.decide(now, fleet);
        market.record(
                now.minus(Duration.ofMinutes(30)),
                now,
                new LedgerSample(
                        1000,
                        800,
                        40_000,
                        200,
                        300,
                        15_000,
                        OptionalDouble.of(100),
                        OptionalDouble.of(48),
                        OptionalDouble.of(0.25)));
        return decision;
    }
}
