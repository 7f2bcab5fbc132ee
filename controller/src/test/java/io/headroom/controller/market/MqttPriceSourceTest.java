package io.headroom.controller.market;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.config.DataSize;
import io.headroom.testkit.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Prices over MQTT as the market sees them, on a stepped clock: what is taken and held, what is a
 * counted drop (and why), and that a feed gone quiet is stale exactly as a file or HTTP input is.
 */
class MqttPriceSourceTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final String TOPIC = "headroom/v1/demo/market/energy-rt";

    private final ManualClock clock = new ManualClock(NOW, 0);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private static MarketConfig.MqttSource config(Duration maxAhead, Double min, Double max, int perMinute) {
        return new MarketConfig.MqttSource(
                maxAhead, Optional.ofNullable(min), Optional.ofNullable(max), DataSize.ofBytes(256), perMinute);
    }

    private static ByteBuffer price(Instant at, double value) {
        return ByteBuffer.wrap(
                ("{\"time\": \"" + at + "\", \"value\": " + value + "}").getBytes(StandardCharsets.UTF_8));
    }

    private MarketPriceFeed feed(MqttPriceSource source) {
        return new MarketPriceFeed(Map.of(source.input(), source), registry, clock, clock::nanoTime);
    }

    private double dropped(String reason) {
        return registry.get("headroom.market.mqtt.dropped")
                .tag("input", "energy-rt")
                .tag("reason", reason)
                .counter()
                .count();
    }

    private Optional<PriceDropReason> offer(MarketPriceFeed feed, ByteBuffer payload) {
        return feed.receive("energy-rt", payload, "ems").map(MqttPriceSource.Drop::reason);
    }

    @Test
    void aPriceIsTaken_aRevisionReplacesIt_andEachBadOneIsACountedDropThatKeepsTheLastGoodPoint() {
        MqttPriceSource source = new MqttPriceSource(
                MarketInput.ENERGY_RT, config(Duration.ofMinutes(1), -500.0, 5000.0, 60), "USD/MWh", TOPIC);
        MarketPriceFeed feed = feed(source);

        assertThat(offer(feed, price(NOW.minusSeconds(60), 40))).isEmpty();
        assertThat(offer(feed, price(NOW.minusSeconds(60), 41)))
                .as("the same time: a revision")
                .isEmpty();
        assertThat(source.latest(NOW)).contains(new PricePoint(NOW.minusSeconds(60), 41));

        assertThat(offer(feed, price(NOW.minusSeconds(120), 99))).contains(PriceDropReason.OUT_OF_ORDER);
        assertThat(offer(feed, price(NOW.plusSeconds(61), 99))).contains(PriceDropReason.FUTURE);
        assertThat(offer(feed, price(NOW, 5000.5))).contains(PriceDropReason.OUT_OF_RANGE);
        assertThat(offer(feed, price(NOW, -501))).contains(PriceDropReason.OUT_OF_RANGE);
        assertThat(offer(feed, ByteBuffer.wrap(new byte[300]))).contains(PriceDropReason.TOO_LARGE);
        assertThat(offer(feed, ByteBuffer.wrap(new byte[] {(byte) 0xff, 0x00}))).contains(PriceDropReason.MALFORMED);

        assertThat(source.latest(NOW)).contains(new PricePoint(NOW.minusSeconds(60), 41));
        assertThat(source.failures()).isEqualTo(6);
        assertThat(source.lastFailure())
                .hasValueSatisfying(why -> assertThat(why).startsWith("malformed: "));
        assertThat(dropped("out-of-order")).isEqualTo(1);
        assertThat(dropped("future")).isEqualTo(1);
        assertThat(dropped("out-of-range")).isEqualTo(2);
        assertThat(dropped("too-large")).isEqualTo(1);
        assertThat(registry.get("headroom.market.mqtt.accepted")
                        .tag("input", "energy-rt")
                        .counter()
                        .count())
                .isEqualTo(2);
        assertThat(source.describe()).isEqualTo("mqtt " + TOPIC);
    }

    @Test
    void aDayAheadPrice_withinMaxAhead_isHeldUntilItsTime() {
        MqttPriceSource source = new MqttPriceSource(
                MarketInput.ENERGY_DA, config(Duration.ofHours(36), null, null, 60), "USD/MWh", TOPIC);
        Instant tomorrow = NOW.plus(Duration.ofDays(1));
        assertThat(source.offer(price(NOW, 30), NOW, 0)).isEmpty();
        assertThat(source.offer(price(tomorrow, 55), NOW, 1)).isEmpty();

        assertThat(source.latest(NOW.plusSeconds(3600))).contains(new PricePoint(NOW, 30));
        assertThat(source.latest(tomorrow)).contains(new PricePoint(tomorrow, 55));
        assertThat(source.series(NOW, tomorrow.plusSeconds(1)).size()).isEqualTo(2);
    }

    @Test
    void aFlood_pastMaxPerMinute_isDropped_untilTheMinuteHasPassed() {
        MqttPriceSource source = new MqttPriceSource(
                MarketInput.ENERGY_RT, config(Duration.ofMinutes(1), null, null, 5), "USD/MWh", TOPIC);
        MarketPriceFeed feed = feed(source);
        for (int i = 0; i < 5; i++) {
            assertThat(offer(feed, price(NOW.plusSeconds(i), i))).isEmpty();
        }
        for (int i = 5; i < 50; i++) {
            assertThat(offer(feed, price(NOW.plusSeconds(i), i))).contains(PriceDropReason.FLOOD);
        }
        assertThat(dropped("flood")).isEqualTo(45);
        assertThat(source.latest(NOW.plusSeconds(59))).contains(new PricePoint(NOW.plusSeconds(4), 4));

        clock.advance(Duration.ofSeconds(59));
        assertThat(offer(feed, price(NOW.plusSeconds(50), 50))).contains(PriceDropReason.FLOOD);
        clock.advance(Duration.ofSeconds(1));
        assertThat(offer(feed, price(NOW.plusSeconds(60), 60))).isEmpty();
    }

    @Test
    void anInputNotFedOverMqtt_isNotTaken() {
        MarketPriceFeed feed =
                feed(new MqttPriceSource(MarketInput.ENERGY_RT, MarketConfig.MqttSource.defaults(), "USD/MWh", TOPIC));
        assertThat(feed.takes("energy-rt")).isTrue();
        assertThat(feed.takes("hashprice")).isFalse();
        assertThat(feed.takes("../energy-rt")).isFalse();
    }

    @Test
    void aFeedGoneQuiet_isStalePastMaxAge_andTheFallbackCurtails_asForAnyInput() {
        MqttPriceSource energy =
                new MqttPriceSource(MarketInput.ENERGY_RT, MarketConfig.MqttSource.defaults(), "USD/MWh", TOPIC);
        MqttPriceSource hash =
                new MqttPriceSource(MarketInput.HASHPRICE, MarketConfig.MqttSource.defaults(), "USD/PH/day", TOPIC);
        Market market = Market.of(
                MarketRoutesFixture.config(),
                "demo",
                Map.of(
                        MarketInput.HASHPRICE, hash,
                        MarketInput.ENERGY_RT, energy,
                        MarketInput.AI_CAPACITY, MarketRoutesFixture.fixed(PriceSeries.empty())),
                MarketState.initial());
        assertThat(hash.offer(price(NOW, 50), NOW, 0)).isEmpty();
        assertThat(energy.offer(price(NOW, 40), NOW, 0)).isEmpty();
        List<ModelEconomics> fleet = List.of(MarketRoutesFixture.S19);

        assertThat(market.decide(NOW.plus(Duration.ofMinutes(15)), fleet).policy())
                .isEqualTo(MarketEvaluator.PRICES);
        MarketDecision stale = market.decide(NOW.plus(Duration.ofMinutes(15)).plusSeconds(1), fleet);
        assertThat(stale.policy()).startsWith("fallback curtail: energy-rt stale");
        assertThat(stale.strikes()).extracting(Strike::name).containsExactly("Antminer S19");
    }
}
