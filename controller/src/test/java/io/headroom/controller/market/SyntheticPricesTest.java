package io.headroom.controller.market;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.DoubleSummaryStatistics;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The shipped sample under docs/examples/market is exactly what the documented generator makes.
 * Regenerate with {@code -Dheadroom.writeSamples=true}.
 */
class SyntheticPricesTest {
    static final Path DIR = Path.of("../docs/examples/market");

    @Test
    void theShippedSample_isTheGeneratorsOutput_andReadsBack() throws Exception {
        String energy = SyntheticPrices.csv(SyntheticPrices.sampleEnergy());
        String hashprice = SyntheticPrices.csv(SyntheticPrices.sampleHashprice());
        if (Boolean.getBoolean("headroom.writeSamples")) {
            Files.createDirectories(DIR);
            Files.writeString(DIR.resolve("energy-rt.csv"), energy, StandardCharsets.UTF_8);
            Files.writeString(DIR.resolve("hashprice.csv"), hashprice, StandardCharsets.UTF_8);
        }
        assertThat(Files.readString(DIR.resolve("energy-rt.csv"))).isEqualTo(energy);
        assertThat(Files.readString(DIR.resolve("hashprice.csv"))).isEqualTo(hashprice);

        PriceSeries read = FilePriceSource.open(
                        new MarketConfig.FileSource(DIR.resolve("energy-rt.csv"), Optional.empty(), "time", "value"))
                .series();
        assertThat(read).isEqualTo(SyntheticPrices.sampleEnergy());
        assertThat(read.size()).isEqualTo(30 * 24 * 12);
    }

    @Test
    void theModel_isDeterministic_andLooksLikeARealTimeMarket() {
        Instant from = SyntheticPrices.SAMPLE_START;
        PriceSeries a = SyntheticPrices.energy(7, from, Duration.ofDays(30), Duration.ofMinutes(5));
        assertThat(SyntheticPrices.energy(7, from, Duration.ofDays(30), Duration.ofMinutes(5)))
                .isEqualTo(a);
        assertThat(SyntheticPrices.energy(8, from, Duration.ofDays(30), Duration.ofMinutes(5)))
                .isNotEqualTo(a);

        DoubleSummaryStatistics stats = SyntheticPrices.sampleEnergy().points().stream()
                .mapToDouble(PricePoint::value)
                .summaryStatistics();
        assertThat(stats.getAverage()).isBetween(25.0, 80.0);
        assertThat(stats.getMax()).as("spikes").isGreaterThan(200);
        assertThat(stats.getMin()).isGreaterThanOrEqualTo(-50);
        long spikeIntervals = SyntheticPrices.sampleEnergy().points().stream()
                .filter(p -> p.value() > 150)
                .count();
        assertThat(spikeIntervals).as("spikes are rare").isBetween(10L, 30L * 24 * 12 / 10);

        PriceSeries hash = SyntheticPrices.sampleHashprice();
        assertThat(hash.size()).isEqualTo(30);
        assertThat(hash.points()).allSatisfy(p -> assertThat(p.value()).isBetween(30.0, 90.0));
    }
}
