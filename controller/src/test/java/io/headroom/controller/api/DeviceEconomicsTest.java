package io.headroom.controller.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.controller.market.Market;
import io.headroom.controller.market.MarketRoutesFixture;
import io.headroom.controller.store.DeviceState;
import io.headroom.controller.store.DeviceView;
import io.headroom.controller.store.MetricReading;
import io.headroom.protocol.wire.Quality;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A miner's revenue per kWh and break-even price from its measured efficiency and the market's hashprice. */
class DeviceEconomicsTest {

    static final Instant NOW = Instant.parse("2026-12-01T09:20:00Z");

    static DeviceView miner(double watts, double ths, Quality quality) {
        return new DeviceView(
                "m1",
                "rack-1",
                "miner",
                "Antminer S19",
                "luxos/antminer-s19",
                "",
                3250,
                DeviceState.ONLINE,
                "",
                "",
                NOW,
                Map.of(
                        "power", new MetricReading(watts, "W", NOW, Quality.QUALITY_GOOD),
                        "hashrate", new MetricReading(ths, "TH/s", NOW, quality)),
                List.of(),
                List.of(),
                0L);
    }

    @Test
    void measuredEfficiencyAtTheHashpriceGivesRevenueAndBreakEven() {
        Market market = MarketRoutesFixture.market();
        MarketRoutesFixture.decideAndRecord(market, NOW);
        ObjectNode node = new ObjectMapper().createObjectNode();
        DeviceEconomics.put(node, miner(3250, 100, Quality.QUALITY_GOOD), Optional.of(market), NOW);
        ObjectNode e = (ObjectNode) node.get("economics");
        // 32.5 J/TH at 50 USD/PH/day: 50 / (24 × 32.5) = 0.06410 USD/kWh, break-even 64.10 USD/MWh.
        assertThat(e.get("j_per_th").asDouble()).isEqualTo(32.5);
        assertThat(e.get("revenue_usd_per_kwh").asDouble()).isEqualTo(0.0641);
        assertThat(e.get("break_even_usd_per_mwh").asDouble()).isEqualTo(64.1);
        assertThat(e.get("energy_usd_per_mwh").asDouble()).isEqualTo(100);
        assertThat(e.get("struck").asBoolean())
                .as("the S19 is struck at 100 USD/MWh")
                .isTrue();
    }

    @Test
    void noMarketOrNoGoodHashrate_noEconomics() {
        ObjectNode node = new ObjectMapper().createObjectNode();
        DeviceEconomics.put(node, miner(3250, 100, Quality.QUALITY_GOOD), Optional.empty(), NOW);
        assertThat(node.has("economics")).isFalse();
        DeviceEconomics.put(
                node, miner(3250, 100, Quality.QUALITY_BAD), Optional.of(MarketRoutesFixture.market()), NOW);
        assertThat(node.has("economics")).isFalse();
        DeviceEconomics.put(node, miner(3250, 0, Quality.QUALITY_GOOD), Optional.of(MarketRoutesFixture.market()), NOW);
        assertThat(node.has("economics")).isFalse();
    }
}
