package io.headroom.controller.market;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the evaluator remembers between calls, as a plain value that can be written down and read
 * back after a restart ({@link MarketEvaluator#MarketEvaluator(StrikeRules, MarketState)}).
 *
 * @param lastInterval the time of the strike price's last point counted: a point is counted once,
 *     however often the evaluator is called while it holds
 * @param targets dwell state per target, keyed {@code model:<name>} or {@code class:<name>}
 */
public record MarketState(Optional<Instant> lastInterval, Map<String, Dwell> targets) {
    public MarketState {
        Objects.requireNonNull(lastInterval, "lastInterval");
        targets = Map.copyOf(targets);
    }

    public static MarketState initial() {
        return new MarketState(Optional.empty(), Map.of());
    }

    /**
     * One target's dwell.
     *
     * @param struck whether it is struck
     * @param above consecutive intervals above break-even + margin while not struck
     * @param below consecutive intervals below break-even + margin − hysteresis while struck
     * @param since when the strike began, while struck
     * @param reason what caused the strike, while struck
     */
    public record Dwell(boolean struck, int above, int below, Optional<Instant> since, String reason) {
        public Dwell {
            Objects.requireNonNull(since, "since");
            Objects.requireNonNull(reason, "reason");
            if (above < 0 || below < 0) {
                throw new IllegalArgumentException("above and below must be >= 0");
            }
            if (struck && since.isEmpty()) {
                throw new IllegalArgumentException("since: required while struck");
            }
        }

        static final Dwell FREE = new Dwell(false, 0, 0, Optional.empty(), "");

        static Dwell struck(Instant since, String reason) {
            return new Dwell(true, 0, 0, Optional.of(since), reason);
        }
    }
}
