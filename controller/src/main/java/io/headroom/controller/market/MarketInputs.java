package io.headroom.controller.market;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The latest point of each input at one instant, as the evaluator takes them; an input without a
 * point is missing (and so stale).
 *
 * @param latest the latest point per input
 */
public record MarketInputs(Map<MarketInput, PricePoint> latest) {
    public MarketInputs {
        latest = Map.copyOf(latest);
    }

    public static MarketInputs none() {
        return new MarketInputs(Map.of());
    }

    /** These inputs with {@code input}'s latest point replaced. */
    public MarketInputs with(MarketInput input, PricePoint point) {
        Map<MarketInput, PricePoint> out = new EnumMap<>(MarketInput.class);
        out.putAll(latest);
        out.put(input, point);
        return new MarketInputs(out);
    }

    public Optional<PricePoint> get(MarketInput input) {
        return Optional.ofNullable(latest.get(input));
    }
}
