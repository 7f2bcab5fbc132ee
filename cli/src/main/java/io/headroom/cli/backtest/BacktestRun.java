package io.headroom.cli.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.controller.engine.Action;
import io.headroom.controller.engine.ControlEngine;
import io.headroom.controller.engine.DeviceControl;
import io.headroom.controller.engine.DeviceFacts;
import io.headroom.controller.engine.EngineCapacity;
import io.headroom.controller.engine.EngineLoop;
import io.headroom.controller.engine.EngineSettings;
import io.headroom.controller.engine.EngineState;
import io.headroom.controller.engine.MarketStrikes;
import io.headroom.controller.engine.MarketTargets;
import io.headroom.controller.engine.SiteTargets;
import io.headroom.controller.engine.TargetSource;
import io.headroom.controller.engine.TickResult;
import io.headroom.controller.market.BreakEven;
import io.headroom.controller.market.Market;
import io.headroom.controller.market.MarketConfig;
import io.headroom.controller.market.MarketInput;
import io.headroom.controller.market.MarketState;
import io.headroom.controller.market.PricePoint;
import io.headroom.controller.market.PriceSeries;
import io.headroom.controller.market.PriceSource;
import io.headroom.controller.reservation.ReservationBook;
import io.headroom.controller.reservation.ReservationException;
import io.headroom.controller.reservation.ReservationListener;
import io.headroom.controller.reservation.ReservationRequest;
import io.headroom.controller.site.DeviceLookup;
import io.headroom.controller.site.PowerTruth;
import io.headroom.controller.site.SiteDevice;
import io.headroom.controller.site.SiteModel;
import io.headroom.controller.site.SiteSnapshot;
import io.headroom.simulator.miner.MinerModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * One strategy over the simulated site, step by step on the simulated clock: the models advance,
 * commands whose latency has passed take effect and answer, the engine ticks on the power truth, and
 * the step's energy, hashing and curtailment are booked at that step's prices. Every step checks
 * every node's true load against its limit.
 */
final class BacktestRun {

    /** Command latency: a command takes effect this long after it is sent (at the next step when longer). */
    static final Duration LATENCY = Duration.ofSeconds(1);
    /** Relative noise on every simulated reading. */
    static final double NOISE = 0.01;
    /** Violations listed in the report; all are counted. */
    static final int LISTED_VIOLATIONS = 10;

    private record Pending(Instant due, Action action, String commandId) {}

    private final BacktestInputs inputs;
    private final Strategy strategy;
    private final EngineSettings settings;

    BacktestRun(BacktestInputs inputs, Strategy strategy, EngineSettings settings) {
        this.inputs = inputs;
        this.strategy = strategy;
        this.settings = settings;
    }

    /** The market config of the Headroom run: docs/market.md's defaults; margin 5 USD/MWh, N = M = 3. */
    static MarketConfig marketConfig() {
        MarketConfig.InputConfig energy = new MarketConfig.InputConfig(
                MarketConfig.SourceKind.FILE,
                Optional.of(new MarketConfig.FileSource(Path.of("prices.csv"), Optional.empty(), "time", "value")),
                Optional.empty(),
                BacktestInputs.PRICE_MAX_AGE);
        MarketConfig.InputConfig daily = new MarketConfig.InputConfig(
                MarketConfig.SourceKind.FILE,
                Optional.of(new MarketConfig.FileSource(Path.of("hashprice.csv"), Optional.empty(), "time", "value")),
                Optional.empty(),
                Duration.ofDays(400));
        return new MarketConfig(
                daily,
                energy,
                Optional.empty(),
                Optional.empty(),
                MarketInput.ENERGY_RT,
                MarketConfig.Fallback.curtail(),
                MARGIN_USD_PER_MWH,
                0,
                3,
                3,
                List.of(),
                48);
    }

    /** The Headroom run's strike margin above break-even, USD/MWh. */
    static final double MARGIN_USD_PER_MWH = 5;

    RunReport run() {
        SiteModel model = inputs.site();
        SiteSimulation sim = new SiteSimulation(model, inputs.seed(), NOISE, inputs.from());
        ControlEngine engine = new ControlEngine(settings);
        EngineState state = new EngineState(model);
        Object[] planning = new Object[1];
        ReservationBook book = new ReservationBook(
                new EngineCapacity(() -> (EngineLoop.Planning) Objects.requireNonNull(planning[0]), settings),
                ReservationListener.NONE,
                new SimpleMeterRegistry());
        TargetSource base =
                inputs.reservations().isEmpty() ? TargetSource.NONE : new SiteTargets(TargetSource.NONE, book);
        TargetSource targets = strategy == Strategy.HEADROOM
                ? new MarketTargets(
                        base,
                        Market.of(
                                marketConfig(),
                                model.id(0),
                                Map.of(
                                        MarketInput.HASHPRICE, fixed(inputs.hashprice(), "hashprice"),
                                        MarketInput.ENERGY_RT, fixed(inputs.energy(), "energy-rt")),
                                MarketState.initial()))
                : base;

        Map<String, String> reservationIds = new LinkedHashMap<>();
        Map<String, String> refused = new LinkedHashMap<>();
        List<Pending> pending = new ArrayList<>();
        List<String> violations = new ArrayList<>();
        long violationCount = 0;
        long commands = 0;
        Map<String, Long> commandsByKind = new TreeMap<>();
        double energyKwh = 0;
        double costUsd = 0;
        double revenueUsd = 0;
        double curtailedKwh = 0;
        double unpricedSeconds = 0;
        HourlySeries hourly = new HourlySeries();
        long ticks = 0;
        double stepSeconds = inputs.step().toMillis() / 1000.0;
        boolean first = true;
        for (Instant now = inputs.from(); now.isBefore(inputs.to()); now = now.plus(inputs.step())) {
            sim.advanceTo(now);
            for (var it = pending.iterator(); it.hasNext(); ) {
                Pending p = it.next();
                if (now.isBefore(p.due())) {
                    continue;
                }
                it.remove();
                sim.apply(p.action());
                state.commandResult(p.commandId(), EngineState.CommandOutcome.ACCEPTED, "");
                state.commandResult(p.commandId(), EngineState.CommandOutcome.APPLIED, "");
            }
            DeviceLookup lookup = sim.lookup();
            SiteSnapshot power = PowerTruth.compute(model, lookup, now);
            DeviceFacts facts = DeviceFacts.gather(model, lookup);
            planning[0] = new EngineLoop.Planning(power, facts, state);
            if (first) {
                first = false;
                for (ReservationRequest request : inputs.reservations()) {
                    String name = describe(request);
                    try {
                        var submitted = book.submit(request, "backtest", now);
                        reservationIds.put(
                                name, submitted.reservation().path("id").asText());
                    } catch (ReservationException e) {
                        refused.put(name, String.join("; ", e.problems()));
                    }
                }
            }
            for (int node = 0; node < model.size(); node++) {
                double limit = model.limitKw(node);
                if (!Double.isNaN(limit) && sim.trueKw(node) > limit) {
                    violationCount++;
                    if (violations.size() < LISTED_VIOLATIONS) {
                        violations.add(now + " " + model.kind(node).wireName() + " " + model.id(node) + ": "
                                + round(sim.trueKw(node)) + " kW over its limit " + round(limit) + " kW");
                    }
                }
            }
            MarketStrikes strikes = strategy == Strategy.FIXED_STRIKE ? fixedStrikes(sim, now) : targets.strikes(now);
            TickResult result = engine.tick(power, facts, targets.target(now), targets.holds(now), strikes, state, now);
            targets.observe(now, power, facts, state, result);
            for (Action action : result.actions()) {
                String id = UUID.nameUUIDFromBytes((action.deviceId() + now + action.kind() + action.instance())
                                .getBytes(StandardCharsets.UTF_8))
                        .toString();
                state.dispatched(action, id, now.toEpochMilli());
                pending.add(new Pending(now.plus(LATENCY), action, id));
                commands++;
                commandsByKind.merge(action.kind().name().toLowerCase(java.util.Locale.ROOT), 1L, Long::sum);
            }
            // The step's books, at the step's prices.
            double siteKw = sim.trueKw(0);
            double hashrate = 0;
            double curtailedKw = 0;
            for (Map.Entry<String, MinerModel> entry : sim.miners().entrySet()) {
                hashrate += sim.hashrateThs(entry.getKey());
                DeviceControl control = state.control(entry.getKey());
                if (control != null && control.curtailed()) {
                    curtailedKw += Math.max(
                                    0,
                                    entry.getValue().spec().nameplateWatts()
                                            - entry.getValue().powerWatts())
                            / 1000;
                }
            }
            double hours = stepSeconds / 3600;
            energyKwh += siteKw * hours;
            curtailedKwh += curtailedKw * hours;
            Optional<PricePoint> price = inputs.energy().at(now);
            double hashprice = inputs.hashpriceAt(now);
            double stepCost = 0;
            double stepRevenue = 0;
            if (price.isEmpty() || Double.isNaN(hashprice)) {
                unpricedSeconds += stepSeconds;
            } else {
                stepCost = siteKw / 1000 * hours * price.get().value();
                // USD per PH/s per day → per TH/s per second.
                stepRevenue = hashrate * hashprice / 1000 * stepSeconds / 86_400;
                costUsd += stepCost;
                revenueUsd += stepRevenue;
            }
            hourly.add(
                    now,
                    siteKw * hours,
                    stepCost,
                    stepRevenue,
                    curtailedKw * hours,
                    price.isEmpty() || Double.isNaN(hashprice)
                            ? Double.NaN
                            : price.get().value(),
                    stepSeconds);
            ticks++;
        }
        List<ReservationOutcome> outcomes = new ArrayList<>();
        for (ReservationRequest request : inputs.reservations()) {
            String name = describe(request);
            String id = reservationIds.get(name);
            if (id == null) {
                outcomes.add(ReservationOutcome.refused(name, request.kw(), refused.getOrDefault(name, "")));
                continue;
            }
            JsonNode json = book.get(id).orElseThrow();
            outcomes.add(ReservationOutcome.of(name, request, json));
        }
        return new RunReport(
                strategy.wireName(),
                round(energyKwh / 1000),
                round(costUsd),
                round(revenueUsd),
                round(revenueUsd - costUsd),
                round(curtailedKwh / 1000),
                commands,
                commandsByKind,
                violationCount,
                violations,
                outcomes,
                ticks,
                round(unpricedSeconds / 3600),
                hourly.points());
    }

    /** Every model whose break-even at its miners' nameplate J/TH is below the energy price now. */
    private MarketStrikes fixedStrikes(SiteSimulation sim, Instant now) {
        Optional<PricePoint> price = inputs.energy().at(now);
        double hashprice = inputs.hashpriceAt(now);
        if (price.isEmpty() || Double.isNaN(hashprice)) {
            return MarketStrikes.NONE;
        }
        Map<String, double[]> jthByModel = new TreeMap<>();
        SiteModel model = inputs.site();
        for (int node = 0; node < model.size(); node++) {
            SiteDevice device = model.device(node);
            if (device == null) {
                continue;
            }
            MinerModel miner = sim.miners().get(device.id());
            if (miner == null) {
                continue;
            }
            double[] sums = jthByModel.computeIfAbsent(sim.modelOf(device.id()), k -> new double[2]);
            sums[0] += miner.spec().efficiencyJoulesPerTh();
            sums[1]++;
        }
        Map<String, String> struck = new TreeMap<>();
        for (Map.Entry<String, double[]> entry : jthByModel.entrySet()) {
            double jth = entry.getValue()[0] / entry.getValue()[1];
            double breakEven = BreakEven.revenuePerKwh(hashprice, jth) * 1000;
            if (price.get().value() > breakEven) {
                struck.put(
                        entry.getKey(),
                        "fixed strike: energy " + price.get().value() + " USD/MWh above break-even "
                                + round(breakEven));
            }
        }
        return struck.isEmpty() ? MarketStrikes.NONE : new MarketStrikes(struck, Map.of());
    }

    private static String describe(ReservationRequest request) {
        return request.reference() != null
                ? request.reference()
                : request.kw() + " kW on " + request.scope() + " from " + request.start();
    }

    private static PriceSource fixed(PriceSeries series, String name) {
        return new PriceSource() {
            @Override
            public Optional<PricePoint> latest(Instant now) {
                return series.at(now);
            }

            @Override
            public PriceSeries series(Instant from, Instant to) {
                return series.between(from, to);
            }

            @Override
            public String describe() {
                return "backtest " + name;
            }
        };
    }

    static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
