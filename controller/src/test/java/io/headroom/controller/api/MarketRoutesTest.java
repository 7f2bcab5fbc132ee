package io.headroom.controller.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.controller.SteppableClock;
import io.headroom.controller.market.Market;
import io.headroom.controller.market.MarketRoutesFixture;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The market routes answer what the Market last decided and what its ledger holds. */
class MarketRoutesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final SteppableClock clock = new SteppableClock(Instant.parse("2026-12-01T10:00:00Z"));

    static JsonNode body(FullHttpResponse response) throws Exception {
        try {
            return JSON.readTree(response.content().toString(StandardCharsets.UTF_8));
        } finally {
            response.release();
        }
    }

    @Test
    void status_showsInputsPolicyStrikesAndBreakEvens() throws Exception {
        Market market = MarketRoutesFixture.market();
        MarketRoutes routes = new MarketRoutes(Optional.of(market), clock);
        JsonNode before = body(routes.route(HttpMethod.GET, "/api/v1/market", Map.of()));
        assertThat(before.get("policy").asText()).isEqualTo("no decision yet");
        assertThat(before.get("strikes")).isEmpty();

        MarketRoutesFixture.decideAndRecord(market, clock.instant());
        clock.advance(Duration.ofMinutes(2));
        FullHttpResponse response = routes.route(HttpMethod.GET, "/api/v1/market", Map.of());
        assertThat(response.status().code()).isEqualTo(200);
        JsonNode node = body(response);

        assertThat(node.get("policy").asText()).isEqualTo("prices");
        assertThat(node.get("strike_price_usd_per_mwh").asDouble()).isEqualTo(100.0);
        JsonNode energy = node.get("inputs").get(1);
        assertThat(energy.get("input").asText()).isEqualTo("energy-rt");
        assertThat(energy.get("value").asDouble()).isEqualTo(100.0);
        assertThat(energy.get("time").asText()).isEqualTo("2026-12-01T10:00:00Z");
        assertThat(energy.get("age_seconds").asLong()).isEqualTo(120);
        assertThat(energy.get("stale").asBoolean()).isFalse();
        assertThat(node.get("strikes")).hasSize(1);
        JsonNode strike = node.get("strikes").get(0);
        assertThat(strike.get("kind").asText()).isEqualTo("model");
        assertThat(strike.get("name").asText()).isEqualTo("Antminer S19");
        assertThat(strike.get("since").asText()).isEqualTo("2026-12-01T10:00:00Z");
        assertThat(strike.get("reason").asText())
                .startsWith("energy 100.0 USD/MWh above Antminer S19 break-even 60.4 + margin 5.0 for 3 intervals");
        assertThat(node.get("models")).hasSize(2);
        assertThat(node.get("models").get(1).get("model").asText()).isEqualTo("Antminer S21");
        assertThat(node.get("models").get(1).get("break_even_usd_per_mwh").asDouble())
                .isBetween(119.04, 119.05);
        assertThat(node.get("fallback").get("policy").asText()).isEqualTo("curtail");

        clock.advance(Duration.ofHours(3));
        JsonNode stale = body(routes.route(HttpMethod.GET, "/api/v1/market", Map.of()));
        assertThat(stale.get("inputs").get(1).get("stale").asBoolean())
                .as("age at the request")
                .isTrue();
    }

    @Test
    void anAiPricePerGpuHour_isShownInBothUnits() throws Exception {
        io.headroom.controller.market.MarketConfig base = MarketRoutesFixture.config();
        io.headroom.controller.market.MarketConfig perGpu = new io.headroom.controller.market.MarketConfig(
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
                io.headroom.controller.market.AiPriceUnit.USD_PER_GPU_HOUR,
                Optional.of(1.4));
        Market fixture = MarketRoutesFixture.market();
        Market market =
                Market.of(perGpu, "demo", fixture.sources(), io.headroom.controller.market.MarketState.initial());
        JsonNode node =
                body(new MarketRoutes(Optional.of(market), clock).route(HttpMethod.GET, "/api/v1/market", Map.of()));

        JsonNode ai = null;
        for (JsonNode input : node.get("inputs")) {
            if (input.get("input").asText().equals("ai-capacity")) {
                ai = input;
            }
        }
        assertThat(ai).isNotNull();
        // The fixture's source says 0.25: per GPU-hour now, so 0.25 / 1.4 USD/kWh for the ledger.
        assertThat(ai.get("unit").asText()).isEqualTo("USD/kWh");
        assertThat(ai.get("value").asDouble()).isCloseTo(0.25 / 1.4, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(ai.get("stated_unit").asText()).isEqualTo("USD/GPU-h");
        assertThat(ai.get("stated_value").asDouble()).isCloseTo(0.25, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(ai.get("kw_per_gpu").asDouble()).isEqualTo(1.4);
        JsonNode energy = node.get("inputs").get(1);
        assertThat(energy.has("stated_unit"))
                .as("only the AI price has a stated unit")
                .isFalse();
    }

    @Test
    void summary_isTheLedger_andBadHoursAre400() throws Exception {
        Market market = MarketRoutesFixture.market();
        MarketRoutesFixture.decideAndRecord(market, clock.instant());
        MarketRoutes routes = new MarketRoutes(Optional.of(market), clock);

        JsonNode node = body(routes.route(HttpMethod.GET, "/api/v1/market/summary", Map.of("hours", List.of("3"))));
        assertThat(node.get("hours")).hasSize(1);
        JsonNode hour = node.get("hours").get(0);
        assertThat(hour.get("hour").asText()).isEqualTo("2026-12-01T09:00:00Z");
        // Half an hour: 500 kWh at 0.10 = 50 USD; 20 PH/s-hours at 2 USD = 40; AI 100 kWh at 0.25 = 25.
        assertThat(hour.get("energy_cost_usd").asDouble()).isEqualTo(50.0);
        assertThat(hour.get("hash_revenue_usd").asDouble()).isEqualTo(40.0);
        assertThat(hour.get("ai_revenue_usd").asDouble()).isEqualTo(25.0);
        assertThat(hour.get("curtailed_mwh").asDouble()).isEqualTo(0.15);
        assertThat(hour.get("counterfactual_cost_usd").asDouble()).isEqualTo(65.0);
        assertThat(hour.get("gain_usd").asDouble()).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(node.get("total").get("energy_kwh").asDouble()).isEqualTo(500.0);

        for (String bad : List.of("0", "49", "x", "1e3", "99999999999")) {
            FullHttpResponse refused =
                    routes.route(HttpMethod.GET, "/api/v1/market/summary", Map.of("hours", List.of(bad)));
            assertThat(refused.status().code()).as(bad).isEqualTo(400);
            assertThat(body(refused).get("error").asText()).startsWith("hours: ");
        }
        assertThat(routes.route(HttpMethod.GET, "/api/v1/market/summary", Map.of("hours", List.of("1", "2")))
                        .status()
                        .code())
                .isEqualTo(400);
    }

    @Test
    void withoutAMarket_404_andOtherPathsAndMethods() throws Exception {
        MarketRoutes none = new MarketRoutes(Optional.empty(), clock);
        FullHttpResponse missing = none.route(HttpMethod.GET, "/api/v1/market", Map.of());
        assertThat(missing.status().code()).isEqualTo(404);
        assertThat(body(missing).get("error").asText()).contains("add a 'market' section");

        MarketRoutes routes = new MarketRoutes(Optional.of(MarketRoutesFixture.market()), clock);
        assertThat(routes.route(HttpMethod.GET, "/api/v1/market/other", Map.of())
                        .status()
                        .code())
                .isEqualTo(404);
        FullHttpResponse post = routes.route(HttpMethod.POST, "/api/v1/market", Map.of());
        assertThat(post.status().code()).isEqualTo(405);
        assertThat(post.headers().get("Allow")).isEqualTo("GET");
        assertThat(MarketRoutes.handles("/api/v1/marketing")).isFalse();
    }
}
