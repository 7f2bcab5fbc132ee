package io.headroom.controller.api;

import static io.headroom.controller.api.Responses.error;
import static io.headroom.controller.api.Responses.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.controller.market.BreakEven;
import io.headroom.controller.market.InputStatus;
import io.headroom.controller.market.LedgerHour;
import io.headroom.controller.market.Market;
import io.headroom.controller.market.MarketConfig;
import io.headroom.controller.market.MarketDecision;
import io.headroom.controller.market.MarketLedger;
import io.headroom.controller.market.PriceSource;
import io.headroom.controller.market.Strike;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/v1/market} (each input's latest price, age and staleness, the policy in force,
 * the strikes with their reasons, break-even per model) and {@code GET /api/v1/market/summary?hours=N}
 * (the hourly ledger). Read-only: nothing here changes the market's state. Both answer what the
 * {@link Market} last decided; the router has checked the viewer role. Thread-safe.
 */
final class MarketRoutes {
    static final String PATH = "/api/v1/market";
    static final String SUMMARY = PATH + "/summary";
    static final int DEFAULT_HOURS = 24;
    /** The 404 without a market, here and in the stream's {@code market} event. */
    static final String NO_MARKET = "no market: add a 'market' section to controller.yaml (docs/market.md)";

    private final ObjectMapper mapper = new ObjectMapper();
    private final Optional<Market> market;
    private final Clock clock;

    MarketRoutes(Optional<Market> market, Clock clock) {
        this.market = market;
        this.clock = clock;
    }

    /** Whether {@code path} is one of these routes. */
    static boolean handles(String path) {
        return path.equals(PATH) || path.startsWith(PATH + '/');
    }

    FullHttpResponse route(HttpMethod method, String path, Map<String, List<String>> parameters) {
        if (!path.equals(PATH) && !path.equals(SUMMARY)) {
            return error(HttpResponseStatus.NOT_FOUND, "no such resource: " + path);
        }
        if (!method.equals(HttpMethod.GET)) {
            FullHttpResponse response = error(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed; use GET");
            response.headers().set(HttpHeaderNames.ALLOW, "GET");
            return response;
        }
        if (market.isEmpty()) {
            return error(HttpResponseStatus.NOT_FOUND, NO_MARKET);
        }
        return path.equals(PATH) ? status(market.get()) : summary(market.get(), parameters);
    }

    private FullHttpResponse status(Market market) {
        return json(HttpResponseStatus.OK, statusBody(market));
    }

    /** What {@code GET /api/v1/market} answers: inputs, fallback, rules and the last decision. */
    ObjectNode statusBody(Market market) {
        Instant now = clock.instant();
        MarketConfig config = market.config();
        ObjectNode node = mapper.createObjectNode();
        node.put("site", market.ledger().site());
        node.put("at", now.toString());
        node.put("strike_on", config.strikeOn().spelling());
        ArrayNode inputs = node.putArray("inputs");
        for (InputStatus status : market.inputStatuses(now)) {
            ObjectNode input = inputs.addObject();
            input.put("input", status.input().spelling());
            input.put("unit", status.input().unit());
            PriceSource source = market.sources().get(status.input());
            if (source != null) {
                input.put("source", source.describe());
                input.put("failures", source.failures());
                source.lastFailure().ifPresent(why -> input.put("last_failure", why));
            }
            status.latest()
                    .ifPresentOrElse(
                            point -> {
                                input.put("value", point.value());
                                input.put("time", point.at().toString());
                            },
                            () -> {
                                input.putNull("value");
                                input.putNull("time");
                            });
            io.headroom.controller.market.AiPriceUnit.Conversion ai = config.aiConversion();
            if (status.input() == io.headroom.controller.market.MarketInput.AI_CAPACITY
                    && ai.stated() != io.headroom.controller.market.AiPriceUnit.USD_PER_KWH) {
                // Both units: the price as the contract states it, and the USD/kWh the ledger uses.
                input.put("stated_unit", ai.stated().unit());
                input.put("kw_per_gpu", ai.kwPerGpu().orElseThrow());
                status.latest()
                        .ifPresentOrElse(
                                point -> input.put("stated_value", ai.toStated(point.value())),
                                () -> input.putNull("stated_value"));
            }
            status.age().ifPresent(age -> input.put("age_seconds", age.toSeconds()));
            input.put("max_age_seconds", status.maxAge().toSeconds());
            input.put("stale", status.stale());
        }
        ObjectNode fallback = node.putObject("fallback");
        fallback.put(
                "policy",
                config.fallback()
                        .policy()
                        .name()
                        .toLowerCase(java.util.Locale.ROOT)
                        .replace('_', '-'));
        config.fallback().assumeUsdPerMwh().ifPresent(price -> fallback.put("assume_usd_per_mwh", price));
        config.fallback()
                .assumeHashpriceUsdPerPhDay()
                .ifPresent(price -> fallback.put("assume_hashprice_usd_per_ph_day", price));
        ObjectNode rules = node.putObject("rules");
        rules.put("margin_usd_per_mwh", config.marginUsdPerMwh());
        rules.put("hysteresis_usd_per_mwh", config.hysteresisUsdPerMwh());
        rules.put("curtail_after_intervals", config.curtailAfter());
        rules.put("resume_after_intervals", config.resumeAfter());
        ArrayNode classes = rules.putArray("class_strikes");
        config.classStrikes().forEach(classes::add);
        Optional<MarketDecision> last = market.lastDecision();
        if (last.isEmpty()) {
            node.put("policy", "no decision yet");
            node.putNull("decided_at");
            node.putArray("strikes");
            node.putArray("models");
            node.putArray("classes");
        } else {
            MarketDecision decision = last.get();
            node.put("policy", decision.policy());
            node.put("decided_at", decision.at().toString());
            decision.strikePrice()
                    .ifPresentOrElse(
                            price -> node.put("strike_price_usd_per_mwh", price),
                            () -> node.putNull("strike_price_usd_per_mwh"));
            ArrayNode strikes = node.putArray("strikes");
            for (Strike strike : decision.strikes()) {
                strikes.addObject()
                        .put("kind", strike.kind().spelling())
                        .put("name", strike.name())
                        .put("since", strike.since().toString())
                        .put("reason", strike.reason());
            }
            breakEvens(node.putArray("models"), decision.models(), "model");
            breakEvens(node.putArray("classes"), decision.classes(), "class");
        }
        return node;
    }

    private static void breakEvens(ArrayNode array, List<BreakEven> list, String key) {
        for (BreakEven be : list) {
            array.addObject()
                    .put(key, be.model())
                    .put("j_per_th", be.jPerTh())
                    .put("efficiency_source", be.source().spelling())
                    .put("hashprice_usd_per_ph_day", be.hashpriceUsdPerPhDay())
                    .put("revenue_usd_per_kwh", be.revenueUsdPerKwh())
                    .put("break_even_usd_per_mwh", be.breakEvenUsdPerMwh());
        }
    }

    private FullHttpResponse summary(Market market, Map<String, List<String>> parameters) {
        MarketLedger ledger = market.ledger();
        int hours = DEFAULT_HOURS;
        List<String> given = parameters.getOrDefault("hours", List.of());
        if (given.size() > 1) {
            return error(HttpResponseStatus.BAD_REQUEST, "hours: give it once");
        }
        if (given.size() == 1) {
            String text = given.get(0);
            try {
                hours = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                return error(HttpResponseStatus.BAD_REQUEST, "hours: '" + clip(text) + "' is not a whole number");
            }
            if (hours < 1 || hours > ledger.keepHours()) {
                return error(
                        HttpResponseStatus.BAD_REQUEST,
                        "hours: " + hours + " is not within 1.." + ledger.keepHours() + " (market.ledger-hours)");
            }
        }
        return json(HttpResponseStatus.OK, summaryBody(market, hours));
    }

    /** What {@code GET /api/v1/market/summary?hours=N} answers, for an {@code hours} already checked. */
    ObjectNode summaryBody(Market market, int hours) {
        MarketLedger ledger = market.ledger();
        List<LedgerHour> list = ledger.lastHours(hours);
        ObjectNode node = mapper.createObjectNode();
        node.put("site", ledger.site());
        node.put("hours_asked", hours);
        ArrayNode array = node.putArray("hours");
        list.forEach(
                hour -> hour(array.addObject(), hour).put("hour", hour.hour().toString()));
        hour(node.putObject("total"), MarketLedger.total(list));
        return node;
    }

    private static ObjectNode hour(ObjectNode node, LedgerHour hour) {
        return node.put("recorded_seconds", hour.recordedSeconds())
                .put("unpriced_seconds", hour.unpricedSeconds())
                .put("energy_kwh", hour.energyKwh())
                .put("hashing_kwh", hour.hashingKwh())
                .put("energy_cost_usd", hour.energyCostUsd())
                .put("hash_revenue_usd", hour.hashRevenueUsd())
                .put("ai_kwh", hour.aiKwh())
                .put("ai_revenue_usd", hour.aiRevenueUsd())
                .put("curtailed_mwh", hour.curtailedKwh() / 1000)
                .put("margin_usd", hour.marginUsd())
                .put("counterfactual_cost_usd", hour.counterfactualCostUsd())
                .put("counterfactual_hash_revenue_usd", hour.counterfactualHashRevenueUsd())
                .put("counterfactual_margin_usd", hour.counterfactualMarginUsd())
                .put("gain_usd", hour.gainUsd());
    }

    private static String clip(String text) {
        return text.length() <= 32 ? text : text.substring(0, 32) + "…";
    }
}
