package io.headroom.controller.engine;

import io.headroom.controller.market.LedgerSample;
import io.headroom.controller.market.Market;
import io.headroom.controller.market.MarketDecision;
import io.headroom.controller.market.MarketState;
import io.headroom.controller.market.ModelEconomics;
import io.headroom.controller.market.Strike;
import io.headroom.controller.site.SiteDevice;
import io.headroom.controller.site.SiteModel;
import io.headroom.controller.site.SiteSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import org.jspecify.annotations.Nullable;

/**
 * The market's strikes as the engine's: after each tick it gives the market the fleet's economics
 * (per model and class, the mean of each miner's running J/TH, which a sleeping miner keeps, and the
 * hashrate reported) and records what the site drew and hashed in the market's ledger; the next tick
 * takes the market's decision as {@link MarketStrikes}. Wraps the site's other targets unchanged.
 * Only miners with a known efficiency are judged, so a controller that just started (nothing measured
 * yet) strikes nothing for want of data; a model never measured is left to the limits.
 */
public final class MarketTargets implements TargetSource {
    private static final org.slf4j.Logger LOGGER = org.slf4j.LoggerFactory.getLogger(MarketTargets.class);

    private final TargetSource inner;
    private final Market market;
    private final EngineJournal journal;
    private volatile MarketStrikes strikes;
    private @Nullable Instant last;
    private MarketState journaled;

    public MarketTargets(TargetSource inner, Market market) {
        this(inner, market, EngineJournal.NONE);
    }

    /**
     * Writes the market's state to {@code journal} whenever a decision changed it; the first tick
     * acts on the strikes of the state the market resumed from (a restart keeps struck models struck
     * from its first tick, before the market has decided anything).
     */
    public MarketTargets(TargetSource inner, Market market, EngineJournal journal) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.market = Objects.requireNonNull(market, "market");
        this.journal = Objects.requireNonNull(journal, "journal");
        this.journaled = market.snapshot();
        this.strikes = strikesOf(journaled);
    }

    /** The strikes a state holds, as the engine takes them. */
    static MarketStrikes strikesOf(MarketState state) {
        Map<String, String> models = new HashMap<>();
        Map<String, String> classes = new HashMap<>();
        state.targets().forEach((key, dwell) -> {
            if (!dwell.struck()) {
                return;
            }
            String classPrefix = Strike.Kind.CLASS.spelling() + ":";
            if (key.startsWith(classPrefix)) {
                classes.put(key.substring(classPrefix.length()), dwell.reason());
            } else {
                models.put(key.substring(key.indexOf(':') + 1), dwell.reason());
            }
        });
        return new MarketStrikes(models, classes);
    }

    @Override
    public @Nullable SiteTarget target(Instant now) {
        return inner.target(now);
    }

    @Override
    public List<CapacityHold> holds(Instant now) {
        return inner.holds(now);
    }

    @Override
    public MarketStrikes strikes(Instant now) {
        return strikes;
    }

    @Override
    public @Nullable Instant holdUntil(String eventId) {
        return inner.holdUntil(eventId);
    }

    @Override
    public void observe(Instant now, SiteSnapshot power, EngineState state, TickResult result) {
        inner.observe(now, power, state, result);
    }

    @Override
    public void observe(Instant now, SiteSnapshot power, DeviceFacts facts, EngineState state, TickResult result) {
        inner.observe(now, power, facts, state, result);
        SiteModel model = power.model();
        Map<String, double[]> byModel = new LinkedHashMap<>();
        Map<String, String[]> names = new HashMap<>();
        double hashingKw = 0;
        double hashrate = 0;
        double aiKw = 0;
        double curtailedKw = 0;
        double curtailedThs = 0;
        for (int node = 0; node < model.size(); node++) {
            SiteDevice device = model.device(node);
            if (device == null) {
                continue;
            }
            double load = power.loadKw(node);
            int rank = Candidates.rank(model, device);
            if (Candidates.reserved(model, device)) {
                aiKw += Double.isNaN(load) ? 0 : load;
                continue;
            }
            if (rank != Candidates.ANY) {
                continue;
            }
            hashingKw += Double.isNaN(load) ? 0 : load;
            double ths = facts.hashrateThs[node];
            hashrate += Double.isNaN(ths) ? 0 : ths;
            DeviceControl control = state.controls[node];
            double jth = control == null ? Double.NaN : control.knownEfficiencyJth;
            if (control != null && control.curtailed() && !Double.isNaN(control.beforeKw)) {
                double given = Math.max(0, control.beforeKw - (Double.isNaN(load) ? 0 : load));
                curtailedKw += given;
                if (!Double.isNaN(jth) && jth > 0) {
                    curtailedThs += given * 1000 / jth;
                }
            }
            String deviceModel = facts.model[node];
            if (deviceModel == null || deviceModel.isEmpty() || Double.isNaN(jth)) {
                continue;
            }
            String key = deviceModel + '\u0000' + device.priorityClass();
            double[] sums = byModel.computeIfAbsent(key, k -> new double[3]);
            names.putIfAbsent(key, new String[] {deviceModel, device.priorityClass()});
            sums[0] += jth;
            sums[1]++;
            sums[2] += Double.isNaN(ths) ? 0 : ths;
        }
        List<ModelEconomics> fleet = new ArrayList<>(byModel.size());
        for (Map.Entry<String, double[]> entry : byModel.entrySet()) {
            double[] sums = entry.getValue();
            String[] name = Objects.requireNonNull(names.get(entry.getKey()), "named with its sums");
            fleet.add(new ModelEconomics(
                    name[0], name[1], OptionalDouble.of(sums[0] / sums[1]), OptionalDouble.empty(), sums[2]));
        }
        MarketDecision decision = market.decide(now, fleet);
        Map<String, String> models = new HashMap<>();
        Map<String, String> classes = new HashMap<>();
        for (Strike strike : decision.strikes()) {
            (strike.kind() == Strike.Kind.MODEL ? models : classes).put(strike.name(), strike.reason());
        }
        strikes = new MarketStrikes(models, classes);
        if (!decision.state().equals(journaled)) {
            try {
                journal.market(decision.state(), now);
                journaled = decision.state();
            } catch (java.io.IOException e) {
                // Tried again at the next tick; a restart before then resumes from the last state written.
                LOGGER.warn("journal: the market's strike state could not be recorded", e);
            }
        }
        Instant from = last;
        last = now;
        if (from != null && now.isAfter(from)) {
            LedgerSample sample =
                    market.sample(now, power.loadKw(0), hashingKw, hashrate, aiKw, curtailedKw, curtailedThs);
            market.record(from, now, sample);
        }
    }
}
