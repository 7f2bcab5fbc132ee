package io.headroom.controller.market;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The evaluator's settings, from {@link MarketConfig#rules()}.
 *
 * @param strikeOn the energy price compared with break-even
 * @param maxAges each configured input's max age; an input without one is never read
 * @param fallback what a stale or missing price means
 * @param marginUsdPerMwh strike above break-even + this
 * @param hysteresisUsdPerMwh resume below break-even + margin − this
 * @param curtailAfter N consecutive intervals above
 * @param resumeAfter M consecutive intervals below
 * @param classStrikes priority classes evaluated as a whole
 */
public record StrikeRules(
        MarketInput strikeOn,
        Map<MarketInput, Duration> maxAges,
        MarketConfig.Fallback fallback,
        double marginUsdPerMwh,
        double hysteresisUsdPerMwh,
        int curtailAfter,
        int resumeAfter,
        List<String> classStrikes) {

    public StrikeRules {
        Objects.requireNonNull(strikeOn, "strikeOn");
        Objects.requireNonNull(fallback, "fallback");
        maxAges = Map.copyOf(new EnumMap<>(maxAges));
        if (!maxAges.containsKey(MarketInput.HASHPRICE) || !maxAges.containsKey(strikeOn)) {
            throw new IllegalArgumentException("maxAges: needs hashprice and " + strikeOn.spelling());
        }
        if (!(marginUsdPerMwh >= 0) || !(hysteresisUsdPerMwh >= 0)) {
            throw new IllegalArgumentException("margin and hysteresis must be >= 0");
        }
        if (curtailAfter < 1 || resumeAfter < 1) {
            throw new IllegalArgumentException("curtailAfter and resumeAfter must be >= 1");
        }
        classStrikes = List.copyOf(classStrikes);
    }
}
