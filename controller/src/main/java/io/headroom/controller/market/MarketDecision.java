package io.headroom.controller.market;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the market says at one instant: which models and classes are struck and why, the
 * break-even of each, the inputs as seen and the policy in force.
 *
 * @param at when it was decided
 * @param strikes what should not hash now, with the prices that caused it
 * @param models break-even per model of the fleet given (empty figures when unknown)
 * @param classes break-even per class struck as a whole, on its hashrate-weighted efficiency
 * @param inputs each configured input, fresh or stale
 * @param policy what drove the decision: {@code prices}, or the fallback and why
 * @param strikePrice the energy price compared with break-even (the assumed one under assume-price)
 * @param state the evaluator's state after this decision
 */
public record MarketDecision(
        Instant at,
        List<Strike> strikes,
        List<BreakEven> models,
        List<BreakEven> classes,
        List<InputStatus> inputs,
        String policy,
        Optional<Double> strikePrice,
        MarketState state) {

    public MarketDecision {
        Objects.requireNonNull(at, "at");
        strikes = List.copyOf(strikes);
        models = List.copyOf(models);
        classes = List.copyOf(classes);
        inputs = List.copyOf(inputs);
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(strikePrice, "strikePrice");
        Objects.requireNonNull(state, "state");
    }

    /** Whether {@code model} should not hash now: struck itself, or its class is. */
    public boolean isStruck(ModelEconomics model) {
        return strike(model).isPresent();
    }

    /** The strike that keeps {@code model} from hashing, if any: its own, else its class's. */
    public Optional<Strike> strike(ModelEconomics model) {
        Optional<Strike> own = strikes.stream()
                .filter(s -> s.kind() == Strike.Kind.MODEL && s.name().equals(model.model()))
                .findFirst();
        return own.or(() -> strikes.stream()
                .filter(s -> s.kind() == Strike.Kind.CLASS && s.name().equals(model.priorityClass()))
                .findFirst());
    }

    /** Whether a fallback policy, not fresh prices, drove this decision. */
    public boolean fallback() {
        return !policy.equals(MarketEvaluator.PRICES);
    }
}
