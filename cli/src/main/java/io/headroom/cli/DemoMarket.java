package io.headroom.cli;

import io.headroom.controller.market.PricePoint;
import io.headroom.controller.market.PriceSeries;
import io.headroom.controller.market.SyntheticPrices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The demo's market (docs/market.md, "In the demo"): price files that cover the demo's run, written
 * beside {@code controller.yaml}, and the {@code market} section that reads them. The real-time
 * energy price is {@link SyntheticPrices}' model at one-minute steps from an hour before the start
 * for two days (a demo runs minutes or hours; the controller reads the file at start-up), capped at {@link #CALM_CAP_USD_PER_MWH}: below every demo miner's break-even (an S19 XP
 * at 21.5 J/TH breaks even at 106.6 USD/MWh at the demo's hashprice), so by default nothing is struck
 * and the other demo tests see every miner mining. With a spike, the price is the spike's from
 * {@link #SPIKE_AFTER} after the start for {@link #SPIKE_LENGTH}: above break-even, the miners are
 * struck after three one-minute intervals and resumed three after it ends.
 *
 * @param spikeUsdPerMwh the spike's energy price, USD/MWh; empty for none
 */
record DemoMarket(OptionalDouble spikeUsdPerMwh) {
    /** The calm demo's highest energy price, USD/MWh. */
    static final double CALM_CAP_USD_PER_MWH = 50;
    /** The demo's constant hashprice, USD per PH/s per day. */
    static final double HASHPRICE_USD_PER_PH_DAY = 55;
    /** The demo's constant AI capacity price, USD per kW-hour (the ledger's AI revenue). */
    static final double AI_CAPACITY_USD_PER_KWH = 0.2;

    static final Duration STEP = Duration.ofMinutes(1);
    static final Duration SPIKE_AFTER = Duration.ofMinutes(2);
    static final Duration SPIKE_LENGTH = Duration.ofMinutes(10);
    /** How long the files cover; after that the inputs turn stale and the fallback (calm prices) applies. */
    static final Duration COVERS = Duration.ofDays(2);

    static final String ENERGY_FILE = "market/energy-rt.csv";
    static final String HASHPRICE_FILE = "market/hashprice.csv";
    static final String AI_CAPACITY_FILE = "market/ai-capacity.csv";

    DemoMarket {
        if (spikeUsdPerMwh.isPresent()) {
            double spike = spikeUsdPerMwh.getAsDouble();
            if (!(spike >= 0 && spike <= 10_000)) {
                throw new IllegalArgumentException("--price-spike: must be between 0 and 10000 USD/MWh, was " + spike);
            }
        }
    }

    /** Calm prices: nothing is struck. */
    static DemoMarket calm() {
        return new DemoMarket(OptionalDouble.empty());
    }

    /** Calm prices with a spike to {@code usdPerMwh}. */
    static DemoMarket withSpike(double usdPerMwh) {
        return new DemoMarket(OptionalDouble.of(usdPerMwh));
    }

    /** The energy prices from an hour before {@code start} for {@link #COVERS}, one a minute. */
    PriceSeries energy(long seed, Instant start) {
        Instant from = start.truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(1));
        Instant spikeFrom = start.plus(SPIKE_AFTER);
        Instant spikeTo = spikeFrom.plus(SPIKE_LENGTH);
        List<PricePoint> points = new ArrayList<>();
        for (PricePoint p : SyntheticPrices.energy(seed, from, COVERS, STEP).points()) {
            boolean spiking = spikeUsdPerMwh.isPresent() && !p.at().isBefore(spikeFrom) && p.at().isBefore(spikeTo);
            points.add(new PricePoint(
                    p.at(), spiking ? spikeUsdPerMwh.getAsDouble() : Math.min(CALM_CAP_USD_PER_MWH, p.value())));
        }
        return PriceSeries.of(points);
    }

    /**
     * Writes the price files under {@code dir} (the folder of {@code controller.yaml}) for a demo starting
     * at {@code start} and returns the {@code market} section of {@code controller.yaml} that reads them.
     */
    String write(Path dir, long seed, Instant start) throws IOException {
        Files.createDirectories(dir.resolve("market"));
        DemoConfigFiles.write(dir.resolve(ENERGY_FILE), SyntheticPrices.csv(energy(seed, start)));
        Instant day = start.truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(1));
        DemoConfigFiles.write(dir.resolve(HASHPRICE_FILE), constant(day, HASHPRICE_USD_PER_PH_DAY));
        DemoConfigFiles.write(dir.resolve(AI_CAPACITY_FILE), constant(day, AI_CAPACITY_USD_PER_KWH));
        return "# Prices: synthetic, written by headroom demo (docs/market.md, \"In the demo\").\n"
                + "market:\n"
                + input("hashprice", "2d", HASHPRICE_FILE)
                + input("energy-rt", "5m", ENERGY_FILE)
                + input("ai-capacity", "2d", AI_CAPACITY_FILE)
                + "  fallback:\n"
                + "    policy: assume-price\n"
                + "    assume-usd-per-mwh: " + number(CALM_CAP_USD_PER_MWH) + "\n"
                + "    assume-hashprice-usd-per-ph-day: " + number(HASHPRICE_USD_PER_PH_DAY) + "\n"
                + "  margin-usd-per-mwh: 5\n"
                + "  curtail-after: 3\n"
                + "  resume-after: 3\n";
    }

    private static String input(String name, String maxAge, String file) {
        return "  " + name + ":\n    source: file\n    max-age: " + maxAge + "\n    file: {path: " + file + "}\n";
    }

    /** One point a day from {@code from} for {@link #COVERS} and two days more. */
    private static String constant(Instant from, double value) {
        List<PricePoint> points = new ArrayList<>();
        for (int d = 0; d <= COVERS.toDays() + 2; d++) {
            points.add(new PricePoint(from.plus(Duration.ofDays(d)), value));
        }
        return SyntheticPrices.csv(PriceSeries.of(points));
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
