package io.headroom.controller.market;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The strike rules as a state machine. It never reads a clock: {@code now} is passed in, so the
 * dwell is tested by stepping simulated time. Not thread-safe; one owner calls it.
 *
 * <h2>Dwell</h2>
 * Counting is per price interval, not per call: a point of the strike price is counted once, when
 * it is first seen, however often {@link #evaluate} runs while it holds. A target not struck is
 * struck after {@code curtailAfter} consecutive intervals with the price above its break-even +
 * margin; a struck target is freed after {@code resumeAfter} consecutive intervals below break-even
 * + margin − hysteresis. Any interval that breaks the run resets the count, so a price oscillating
 * faster than the dwell never changes anything.
 *
 * <h2>Fail-safe</h2>
 * While the strike price is stale or missing, the configured fallback applies at once (there are
 * no new intervals to count): {@code curtail} strikes every target; {@code assume-price} strikes
 * exactly the targets whose break-even + margin is below the assumed price and frees the others.
 * A stale hashprice with no {@code assume-hashprice-usd-per-ph-day} strikes every target whatever
 * the policy: without a hashprice there is no break-even. When fresh prices return, counting
 * starts again from the state the fallback left. A target with no usable J/TH is always struck.
 */
public final class MarketEvaluator {
    /** {@link MarketDecision#policy()} when fresh prices drove the decision. */
    public static final String PRICES = "prices";

    private final StrikeRules rules;
    private @Nullable Instant lastInterval;
    private Map<String, MarketState.Dwell> targets;
    /**
     * Targets resumed from a restart that no fleet given since has held, with the new strike-price
     * intervals each has been absent for. Right after a restart the fleet is what has been read back
     * so far (often nothing): a struck model must not be forgotten, and so restored, for that.
     */
    private final Map<String, Integer> pending = new HashMap<>();

    public MarketEvaluator(StrikeRules rules) {
        this(rules, MarketState.initial());
    }

    /** Resumes from a state written down before a restart. */
    public MarketEvaluator(StrikeRules rules, MarketState state) {
        this.rules = Objects.requireNonNull(rules, "rules");
        this.lastInterval = state.lastInterval().orElse(null);
        this.targets = new HashMap<>(state.targets());
        state.targets().keySet().forEach(key -> pending.put(key, 0));
    }

    public StrikeRules rules() {
        return rules;
    }

    /** The state to write down for a restart. */
    public MarketState snapshot() {
        return new MarketState(Optional.ofNullable(lastInterval), targets);
    }

    /**
     * Decides at {@code now} from the inputs' latest points for {@code fleet}. Targets that are not
     * in the fleet any more are forgotten, except those resumed from a restart: each is kept as it
     * was (struck or mid-dwell) until a fleet holds it again, or until it has been absent for
     * {@code resumeAfter} new strike-price intervals (a model removed while the controller was down).
     */
    public MarketDecision evaluate(Instant now, MarketInputs inputs, List<ModelEconomics> fleet) {
        Objects.requireNonNull(now, "now");
        List<InputStatus> statuses = statuses(now, inputs);
        InputStatus energyStatus = status(statuses, rules.strikeOn());
        InputStatus hashStatus = status(statuses, MarketInput.HASHPRICE);
        MarketConfig.Fallback fallback = rules.fallback();

        Double hashprice = hashStatus.freshValue().orElse(null);
        String hashNote = "";
        if (hashprice == null && fallback.assumeHashpriceUsdPerPhDay().isPresent()) {
            hashprice = fallback.assumeHashpriceUsdPerPhDay().get();
            hashNote = "; " + hashStatus.staleness() + ", assumed hashprice " + fmt(hashprice) + " USD/PH/day";
        }
        Optional<PricePoint> freshEnergy = energyStatus.stale() ? Optional.empty() : energyStatus.latest();
        // Only a point later than the last one counted is a new interval: an earlier one (a source
        // that went back in time) counts nothing.
        boolean newInterval = freshEnergy.isPresent()
                && (lastInterval == null || freshEnergy.get().at().isAfter(lastInterval));
        Double energy = freshEnergy.map(PricePoint::value).orElse(null);
        String policy = PRICES;
        if (energy == null) {
            if (fallback.policy() == FallbackPolicy.ASSUME_PRICE) {
                energy = fallback.assumeUsdPerMwh().orElseThrow();
                policy = "fallback assume-price " + fmt(energy) + " USD/MWh: " + energyStatus.staleness();
            } else {
                policy = "fallback curtail: " + energyStatus.staleness();
            }
        } else if (hashprice == null) {
            policy = "fallback curtail: " + hashStatus.staleness() + " and no assume-hashprice-usd-per-ph-day";
        } else if (!hashNote.isEmpty()) {
            policy = "fallback assume-hashprice " + fmt(hashprice) + " USD/PH/day: " + hashStatus.staleness();
        }

        List<BreakEven> models = new ArrayList<>();
        Map<String, Target> groups = groups(fleet, hashprice, models);
        List<BreakEven> classes = new ArrayList<>();
        Map<String, MarketState.Dwell> next = new HashMap<>();
        List<Strike> strikes = new ArrayList<>();
        for (Target target : groups.values()) {
            if (target.kind == Strike.Kind.CLASS && target.breakEven != null) {
                classes.add(target.breakEven);
            }
            MarketState.Dwell before = targets.getOrDefault(target.key(), MarketState.Dwell.FREE);
            MarketState.Dwell after = step(
                    now,
                    target,
                    before,
                    hashprice,
                    hashStatus,
                    energyStatus,
                    energy,
                    freshEnergy.isPresent(),
                    newInterval,
                    hashNote);
            next.put(target.key(), after);
            if (after.struck()) {
                strikes.add(new Strike(target.kind, target.name, after.since().orElse(now), after.reason()));
            }
        }
        for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Integer> entry = it.next();
            String key = entry.getKey();
            MarketState.Dwell kept = targets.get(key);
            int absent = entry.getValue() + (newInterval ? 1 : 0);
            if (groups.containsKey(key) || kept == null || absent >= rules.resumeAfter()) {
                it.remove();
                continue;
            }
            entry.setValue(absent);
            next.put(key, kept);
            if (kept.struck()) {
                int colon = key.indexOf(':');
                Strike.Kind kind =
                        key.startsWith(Strike.Kind.CLASS.spelling() + ":") ? Strike.Kind.CLASS : Strike.Kind.MODEL;
                strikes.add(
                        new Strike(kind, key.substring(colon + 1), kept.since().orElse(now), kept.reason()));
            }
        }
        targets = next;
        if (newInterval) {
            lastInterval = freshEnergy.get().at();
        }
        return new MarketDecision(
                now, strikes, models, classes, statuses, policy, Optional.ofNullable(energy), snapshot());
    }

    private MarketState.Dwell step(
            Instant now,
            Target target,
            MarketState.Dwell before,
            @Nullable Double hashprice,
            InputStatus hashStatus,
            InputStatus energyStatus,
            @Nullable Double energy,
            boolean fresh,
            boolean newInterval,
            String hashNote) {
        if (target.breakEven == null) {
            String why = hashprice == null
                    ? hashStatus.staleness() + " and no assume-hashprice-usd-per-ph-day: fallback curtail"
                    : "no J/TH known for " + target.name + " (neither measured nor profile)";
            return keepOrStrike(before, now, why);
        }
        BreakEven be = target.breakEven;
        double threshold = be.breakEvenUsdPerMwh() + rules.marginUsdPerMwh();
        if (energy == null) {
            return keepOrStrike(before, now, "fallback curtail: " + energyStatus.staleness());
        }
        if (!fresh) {
            boolean above = energy > threshold;
            if (!above) {
                return MarketState.Dwell.FREE;
            }
            return keepOrStrike(
                    before,
                    now,
                    "fallback assume-price: assumed energy " + fmt(energy) + " USD/MWh above " + target.label()
                            + " break-even " + fmt(be.breakEvenUsdPerMwh()) + " + margin "
                            + fmt(rules.marginUsdPerMwh()) + " (" + energyStatus.staleness() + ")" + hashNote);
        }
        if (!newInterval) {
            return before;
        }
        if (!before.struck()) {
            int above = energy > threshold ? before.above() + 1 : 0;
            if (above >= rules.curtailAfter()) {
                return MarketState.Dwell.struck(
                        now,
                        "energy " + fmt(energy) + " USD/MWh above " + target.label() + " break-even "
                                + fmt(be.breakEvenUsdPerMwh()) + " + margin " + fmt(rules.marginUsdPerMwh())
                                + " for " + above + " intervals (" + be.source().spelling() + " " + fmt(be.jPerTh())
                                + " J/TH, hashprice " + fmt(be.hashpriceUsdPerPhDay()) + " USD/PH/day)" + hashNote);
            }
            return new MarketState.Dwell(false, above, 0, Optional.empty(), "");
        }
        int below = energy < threshold - rules.hysteresisUsdPerMwh() ? before.below() + 1 : 0;
        if (below >= rules.resumeAfter()) {
            return MarketState.Dwell.FREE;
        }
        return new MarketState.Dwell(true, 0, below, before.since(), before.reason());
    }

    /** Struck now with {@code why}, unless already struck (then its start and first cause stay). */
    private static MarketState.Dwell keepOrStrike(MarketState.Dwell before, Instant now, String why) {
        if (before.struck()) {
            return new MarketState.Dwell(true, 0, 0, before.since(), before.reason());
        }
        return MarketState.Dwell.struck(now, why);
    }

    private List<InputStatus> statuses(Instant now, MarketInputs inputs) {
        return statuses(now, inputs, rules.maxAges());
    }

    /** Each input that has a max age, as seen at {@code now}: stale when missing or older than its max age. */
    static List<InputStatus> statuses(Instant now, MarketInputs inputs, Map<MarketInput, Duration> maxAges) {
        List<InputStatus> out = new ArrayList<>();
        for (MarketInput input : MarketInput.values()) {
            Duration maxAge = maxAges.get(input);
            if (maxAge == null) {
                continue;
            }
            Optional<PricePoint> latest = inputs.get(input);
            Optional<Duration> age = latest.map(p -> {
                Duration d = Duration.between(p.at(), now);
                return d.isNegative() ? Duration.ZERO : d;
            });
            boolean stale = age.map(a -> a.compareTo(maxAge) > 0).orElse(true);
            out.add(new InputStatus(input, latest, age, maxAge, stale));
        }
        return out;
    }

    private static InputStatus status(List<InputStatus> statuses, MarketInput input) {
        return statuses.stream().filter(s -> s.input() == input).findFirst().orElseThrow();
    }

    /** The fleet as strike targets: one per model, except members of a class struck as a whole. */
    private Map<String, Target> groups(List<ModelEconomics> fleet, @Nullable Double hashprice, List<BreakEven> models) {
        Set<String> classStrikes = Set.copyOf(rules.classStrikes());
        Map<String, List<ModelEconomics>> members = new LinkedHashMap<>();
        Set<String> seenModels = new java.util.HashSet<>();
        for (ModelEconomics model : fleet) {
            if (hashprice != null && seenModels.add(model.model())) {
                model.efficiency().ifPresent(e -> models.add(BreakEven.of(model.model(), e, hashprice)));
            }
            String key = classStrikes.contains(model.priorityClass())
                    ? Strike.Kind.CLASS.spelling() + ":" + model.priorityClass()
                    : Strike.Kind.MODEL.spelling() + ":" + model.model();
            members.computeIfAbsent(key, k -> new ArrayList<>()).add(model);
        }
        Map<String, Target> out = new LinkedHashMap<>();
        members.forEach((key, list) -> {
            ModelEconomics first = list.get(0);
            boolean asClass = classStrikes.contains(first.priorityClass());
            Strike.Kind kind = asClass ? Strike.Kind.CLASS : Strike.Kind.MODEL;
            String name = asClass ? first.priorityClass() : first.model();
            Optional<ModelEconomics.Efficiency> efficiency = aggregate(list);
            BreakEven be =
                    hashprice == null || efficiency.isEmpty() ? null : BreakEven.of(name, efficiency.get(), hashprice);
            out.put(key, new Target(kind, name, be));
        });
        return out;
    }

    /**
     * One efficiency for several models: weighted by hashrate (power over hashrate) when any has
     * hashrate, else their plain mean; profile-sourced when any member's figure is.
     */
    static Optional<ModelEconomics.Efficiency> aggregate(List<ModelEconomics> members) {
        double weighted = 0;
        double hashrate = 0;
        double sum = 0;
        int count = 0;
        boolean profile = false;
        for (ModelEconomics member : members) {
            Optional<ModelEconomics.Efficiency> e = member.efficiency();
            if (e.isEmpty()) {
                continue;
            }
            weighted += e.get().jPerTh() * member.hashrateThs();
            hashrate += member.hashrateThs();
            sum += e.get().jPerTh();
            count++;
            profile |= e.get().source() == EfficiencySource.PROFILE;
        }
        if (count == 0) {
            return Optional.empty();
        }
        double jPerTh = hashrate > 0 ? weighted / hashrate : sum / count;
        return Optional.of(
                new ModelEconomics.Efficiency(jPerTh, profile ? EfficiencySource.PROFILE : EfficiencySource.MEASURED));
    }

    static String fmt(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static final class Target {
        final Strike.Kind kind;
        final String name;
        final @Nullable BreakEven breakEven;

        Target(Strike.Kind kind, String name, @Nullable BreakEven breakEven) {
            this.kind = kind;
            this.name = name;
            this.breakEven = breakEven;
        }

        String key() {
            return kind.spelling() + ":" + name;
        }

        String label() {
            return kind == Strike.Kind.CLASS ? "class " + name : name;
        }
    }
}
