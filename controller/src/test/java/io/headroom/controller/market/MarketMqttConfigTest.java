package io.headroom.controller.market;

import static io.headroom.controller.market.MarketConfigTest.HEAD;
import static io.headroom.controller.market.MarketConfigTest.parse;
import static io.headroom.controller.market.MarketConfigTest.problemsOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * {@code source: mqtt} and the AI capacity unit through the shared binder, and the GPU-hour
 * conversion: stated once, applied where the market reads its inputs.
 */
class MarketMqttConfigTest {
    private static final String FALLBACK = "  fallback:\n    policy: curtail\n";
    private static final String HASH = "  hashprice:\n    source: mqtt\n    max-age: 2d\n    mqtt: {}\n";

    @Test
    void anMqttInput_bindsWithItsDefaults_orWhatItSays() throws Exception {
        MarketConfig market = parse(HEAD + "market:\n" + HASH
                        + "  energy-rt:\n    source: mqtt\n    max-age: 15m\n    mqtt:\n      max-ahead: 36h\n"
                        + "      min-value: -500\n      max-value: 5000\n      max-payload: 256B\n"
                        + "      max-per-minute: 12\n" + FALLBACK)
                .market()
                .orElseThrow();

        assertThat(market.hashprice().mqtt()).contains(MarketConfig.MqttSource.defaults());
        MarketConfig.MqttSource rt = market.energyRt().mqtt().orElseThrow();
        assertThat(rt.maxAhead()).isEqualTo(Duration.ofHours(36));
        assertThat(rt.minValue()).contains(-500.0);
        assertThat(rt.maxValue()).contains(5000.0);
        assertThat(rt.maxPayload().bytes()).isEqualTo(256);
        assertThat(rt.maxPerMinute()).isEqualTo(12);
        assertThat(market.aiCapacityUnit()).isEqualTo(AiPriceUnit.USD_PER_KWH);
    }

    @Test
    void mqttWithoutItsBlock_aBlockOnAnotherSource_andBadBounds_areRefusedByName() {
        assertThat(problemsOf(
                        HEAD + "market:\n" + HASH + "  energy-rt:\n    source: mqtt\n    max-age: 15m\n" + FALLBACK))
                .singleElement()
                .asString()
                .contains("mqtt: required with source: mqtt");
        assertThat(problemsOf(HEAD + "market:\n" + HASH
                        + "  energy-rt:\n    source: http\n    max-age: 15m\n    mqtt: {}\n    http:\n"
                        + "      url: https://p.example/rt\n      value-pointer: /v\n" + FALLBACK))
                .singleElement()
                .asString()
                .contains("mqtt: set, yet source is http");
        assertThat(problemsOf(HEAD + "market:\n" + HASH
                        + "  energy-rt:\n    source: mqtt\n    max-age: 15m\n    mqtt:\n      min-value: 10\n"
                        + "      max-value: 5\n" + FALLBACK))
                .singleElement()
                .asString()
                .contains("min-value: 10.0 is above max-value 5.0");
        assertThat(problemsOf(HEAD + "market:\n" + HASH
                        + "  energy-rt:\n    source: mqtt\n    max-age: 15m\n    mqtt:\n      max-payload: 1MiB\n"
                        + FALLBACK))
                .singleElement()
                .asString()
                .contains("max-payload");
    }

    @Test
    void perGpuHour_needsItsKwPerGpu_andKwPerGpuNeedsPerGpuHour() {
        String inputs =
                "market:\n" + HASH + "  energy-rt:\n    source: mqtt\n    max-age: 15m\n    mqtt: {}\n" + FALLBACK;
        assertThat(problemsOf(HEAD + inputs + "  ai-capacity-unit: usd-per-gpu-hour\n"))
                .singleElement()
                .asString()
                .contains("ai-kw-per-gpu: required with ai-capacity-unit: usd-per-gpu-hour");
        assertThat(problemsOf(HEAD + inputs + "  ai-kw-per-gpu: 1.4\n"))
                .singleElement()
                .asString()
                .contains("ai-kw-per-gpu: set, yet ai-capacity-unit is usd-per-kwh");
        assertThat(problemsOf(HEAD + inputs + "  ai-capacity-unit: usd-per-gpu-hour\n  ai-kw-per-gpu: 0\n"))
                .singleElement()
                .asString()
                .contains("ai-kw-per-gpu");
    }

    @Test
    void aGpuHourPrice_isDividedByKwPerGpu_forTheLedger_andBackForTheApi() {
        AiPriceUnit.Conversion conversion =
                new AiPriceUnit.Conversion(AiPriceUnit.USD_PER_GPU_HOUR, java.util.Optional.of(1.4));
        assertThat(conversion.toUsdPerKwh(2.80)).isCloseTo(2.00, Offset.offset(1e-12));
        assertThat(conversion.toStated(2.00)).isCloseTo(2.80, Offset.offset(1e-12));
        assertThat(AiPriceUnit.Conversion.NONE.toUsdPerKwh(0.25)).isEqualTo(0.25);

        MarketConfig base = MarketRoutesFixture.config();
        MarketConfig perGpu = new MarketConfig(
                base.hashprice(),
                base.energyRt(),
                base.energyDa(),
                base.aiCapacity(),
                base.strikeOn(),
                base.fallback(),
                base.marginUsdPerMwh(),
                base.hysteresisUsdPerMwh(),
                base.curtailAfter(),
                base.resumeAfter(),
                base.classStrikes(),
                base.ledgerHours(),
                AiPriceUnit.USD_PER_GPU_HOUR,
                java.util.Optional.of(1.4));
        Instant nine = Instant.parse("2026-12-01T09:00:00Z");
        Market market = Market.of(
                perGpu,
                "demo",
                Map.of(
                        MarketInput.HASHPRICE,
                                MarketRoutesFixture.fixed(PriceSeries.of(List.of(new PricePoint(nine, 50)))),
                        MarketInput.ENERGY_RT,
                                MarketRoutesFixture.fixed(PriceSeries.of(List.of(new PricePoint(nine, 40)))),
                        MarketInput.AI_CAPACITY,
                                MarketRoutesFixture.fixed(PriceSeries.of(List.of(new PricePoint(nine, 2.80))))),
                MarketState.initial());

        assertThat(market.inputs(nine)
                        .get(MarketInput.AI_CAPACITY)
                        .orElseThrow()
                        .value())
                .isCloseTo(2.00, Offset.offset(1e-12));
        assertThat(market.sample(nine, 100, 0, 0, 50, 0, 0).aiUsdPerKwh().getAsDouble())
                .as("the ledger's AI price, per kWh")
                .isCloseTo(2.00, Offset.offset(1e-12));
        assertThat(Market.statedUnit(perGpu, MarketInput.AI_CAPACITY)).isEqualTo("USD/GPU-h");
        assertThat(Market.statedUnit(perGpu, MarketInput.ENERGY_RT)).isEqualTo("USD/MWh");
    }
}
