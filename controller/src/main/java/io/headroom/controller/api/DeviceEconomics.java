package io.headroom.controller.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.controller.market.BreakEven;
import io.headroom.controller.market.EfficiencySource;
import io.headroom.controller.market.Market;
import io.headroom.controller.market.MarketInput;
import io.headroom.controller.market.ModelEconomics;
import io.headroom.controller.market.PricePoint;
import io.headroom.controller.store.DeviceView;
import io.headroom.controller.store.MetricReading;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.wire.Quality;
import java.time.Instant;
import java.util.Optional;

/**
 * A miner's economics for {@code GET /api/v1/devices/{id}}: its measured efficiency (power over
 * hashrate, both good readings) at the market's hashprice gives what a kWh of its hashing earns and
 * the energy price where it stops paying, beside the energy price now and whether the market struck
 * its model. Absent where there is no market, no hashprice, or no good power and hashrate.
 */
final class DeviceEconomics {

    private DeviceEconomics() {}

    static void put(ObjectNode device, DeviceView view, Optional<Market> market, Instant now) {
        if (market.isEmpty()) {
            return;
        }
        MetricReading power = view.metrics().get(MetricDictionary.POWER);
        MetricReading hashrate = view.metrics().get(MetricDictionary.HASHRATE);
        if (!good(power) || !good(hashrate) || !(hashrate.value() > 0) || !(power.value() > 0)) {
            return;
        }
        Optional<PricePoint> hashprice = market.get().inputs(now).get(MarketInput.HASHPRICE);
        if (hashprice.isEmpty()) {
            return;
        }
        double jPerTh = power.value() / hashrate.value();
        BreakEven figures = BreakEven.of(
                view.model(),
                new ModelEconomics.Efficiency(jPerTh, EfficiencySource.MEASURED),
                hashprice.get().value());
        ObjectNode node = device.putObject("economics");
        node.put("j_per_th", round(jPerTh));
        node.put("efficiency_source", "measured");
        node.put("hashprice_usd_per_ph_day", hashprice.get().value());
        node.put("revenue_usd_per_kwh", Math.round(figures.revenueUsdPerKwh() * 1e5) / 1e5);
        node.put("break_even_usd_per_mwh", round(figures.breakEvenUsdPerMwh()));
        market.get()
                .inputs(now)
                .get(market.get().config().strikeOn())
                .ifPresent(energy -> node.put("energy_usd_per_mwh", energy.value()));
        market.get()
                .lastDecision()
                .ifPresent(decision -> node.put(
                        "struck",
                        decision.strikes().stream()
                                .anyMatch(s -> s.kind() == io.headroom.controller.market.Strike.Kind.MODEL
                                        && s.name().equals(view.model()))));
    }

    private static boolean good(MetricReading reading) {
        return reading != null && reading.quality() == Quality.QUALITY_GOOD && Double.isFinite(reading.value());
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
