package io.headroom.controller.engine;

import io.headroom.controller.site.DeviceLookup;
import io.headroom.controller.site.PowerTruth;
import io.headroom.controller.site.SiteLoader;
import io.headroom.controller.site.SiteModel;
import io.headroom.controller.site.SiteSnapshot;
import io.headroom.controller.store.DeviceCapability;
import io.headroom.controller.store.DeviceState;
import io.headroom.controller.store.DeviceView;
import io.headroom.controller.store.MetricReading;
import io.headroom.protocol.Mode;
import io.headroom.protocol.wire.Quality;
import io.headroom.protocol.wire.Verb;
import io.headroom.simulator.miner.MinerModel;
import io.headroom.simulator.miner.MinerSnapshot;
import io.headroom.simulator.miner.MinerSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A site in simulated time, closed around the engine: miners are the simulator's physical
 * {@link MinerModel}s (power ramps, sleep, boot after wake or power-up), GPU servers draw a steady
 * load, rack PDUs meter every outlet and switch it, a site meter sums everything, and each reading
 * carries seeded measurement noise. The engine's actions reach the models after a command latency
 * and their results come back as an agent's would; an unresponsive device never answers and its
 * commands expire. Everything steps on one clock, one second per tick, with no thread and no sleep.
 */
final class SimulatedSiteRig {

    static final Instant START = Instant.parse("2026-12-01T12:00:00Z");
    static final Duration LATENCY = Duration.ofSeconds(1);
    static final double GPU_KW = 8.0;

    SiteModel model;
    final ControlEngine engine;
    EngineState state;
    Instant now = START;
    private final double noise;
    private final SplittableRandom random;

    final Map<String, MinerModel> miners = new LinkedHashMap<>();
    final Map<String, Double> gpus = new LinkedHashMap<>();
    /** Device id → its PDU and outlet. */
    final Map<String, String[]> outlets = new HashMap<>();

    final Set<String> unresponsive = new HashSet<>();
    /** Device id → the times the engine commanded it. */
    final Map<String, List<Instant>> commandTimes = new HashMap<>();

    final List<Action> actions = new ArrayList<>();
    final List<Instant> actionTimes = new ArrayList<>();
    private final List<Pending> pending = new ArrayList<>();
    private final Map<String, Boolean> outletOn = new HashMap<>();
    private @Nullable SiteSnapshot last;
    private @Nullable DeviceFacts lastFacts;
    /** Device id → the model it reports: miners by efficiency (sim-efficient under 25 J/TH, else sim-old). */
    final Map<String, String> models = new HashMap<>();

    private record Pending(Instant due, Action action, String commandId, boolean answer) {}

    SimulatedSiteRig(String yaml, EngineSettings settings, long seed, double noise) throws Exception {
        this.model = SiteLoader.parse("site.yaml", yaml);
        this.engine = new ControlEngine(settings);
        this.state = new EngineState(model);
        this.noise = noise;
        this.random = new SplittableRandom(seed);
        for (int node = 0; node < model.size(); node++) {
            var device = model.device(node);
            if (device == null) {
                continue;
            }
            // AI servers and auxiliary load (cooling) draw a steady load the engine may cap.
            if (device.priorityClass().startsWith("ai-")
                    || device.priorityClass().equals("auxiliary")) {
                gpus.put(device.id(), GPU_KW);
            } else {
                // J/TH from about 17 to 34: the least efficient draw the same power for half the work.
                double watts = 3010 * (0.9 + 0.2 * random.nextDouble());
                double jth = 17 + 17 * random.nextDouble();
                models.put(device.id(), jth < 25 ? "sim-efficient" : "sim-old");
                miners.put(
                        device.id(),
                        new MinerModel(MinerSpec.S19_XP.withNameplate(watts, watts / jth), seed + node, 25, START));
            }
            String pdu = model.outletDevice(node);
            if (pdu != null && device.outlet().isPresent()) {
                outlets.put(device.id(), new String[] {pdu, device.outlet().get()});
                outletOn.put(device.id(), true);
            }
        }
    }

    /** A generated site: feeds × PDUs × circuits, one rack of devices per circuit, every tenth device a GPU server. */
    static String siteYaml(int feeds, int pdusPerFeed, int circuitsPerPdu, int devicesPerRack, double circuitAmps) {
        StringBuilder y = new StringBuilder();
        y.append("site: sim\nlimit-kw: 5000\nstale-after: 10s\nmeter: {agent: meters, device: site-meter}\nfeeds:\n");
        int d = 0;
        for (int f = 1; f <= feeds; f++) {
            y.append("  - id: feed-").append(f).append("\n    limit-kw: 2000\n    pdus:\n");
            for (int p = 1; p <= pdusPerFeed; p++) {
                String pdu = "pdu-" + f + "-" + p;
                y.append("      - id: ").append(pdu).append('\n');
                y.append("        breaker: {amps: 400, volts: 415, phases: 3}\n");
                y.append("        meter: {agent: meters, device: ").append(pdu).append("}\n");
                y.append("        circuits:\n");
                for (int c = 1; c <= circuitsPerPdu; c++) {
                    String circuit = pdu + "-c" + c;
                    y.append("          - id: ").append(circuit).append('\n');
                    y.append("            breaker: {amps: ").append(circuitAmps).append(", volts: 415, phases: 3}\n");
                    y.append("            racks:\n              - id: rack-")
                            .append(circuit)
                            .append("\n                devices:\n");
                    for (int i = 1; i <= devicesPerRack; i++) {
                        d++;
                        String cls = d % 10 == 0 ? "ai-contract" : "hashing";
                        y.append("                  - {id: dev-")
                                .append(String.format("%03d", d))
                                .append(", agent: agent-")
                                .append(circuit)
                                .append(", class: ")
                                .append(cls)
                                .append(", outlet: \"")
                                .append(c * 100 + i)
                                .append("\"}\n");
                    }
                }
            }
        }
        return y.toString();
    }

    /** Where a simulated controller crash (kill -9) hits within a tick. */
    enum Crash {
        /** No crash. */
        NONE,
        /** After the engine decided, before anything was journaled or sent. */
        AFTER_DECISION,
        /** After the intents were journaled, before any command was sent. */
        AFTER_JOURNAL,
        /** After half of the tick's commands were sent (and journaled as dispatched). */
        AFTER_SOME_COMMANDS
    }

    private EngineJournal journal = EngineJournal.NONE;

    /** Journals the engine's decisions as the controller does (write-ahead, then each dispatch). */
    void journal(EngineJournal journal) {
        this.journal = journal;
    }

    /** The controller restarted with this state: commands it sent before keep arriving and answering. */
    void restarted(EngineState recovered) {
        state = recovered;
    }

    /** One tick: the models advance a second, the engine looks and acts, due commands take effect. */
    TickResult tick(@Nullable SiteTarget target) {
        return tick(target, Crash.NONE);
    }

    /**
     * One tick that may end in a crash at {@code crash}; the caller then {@link #restarted} the
     * controller from its journal. Returns the tick's decisions (also the ones never sent).
     */
    TickResult tick(@Nullable SiteTarget target, Crash crash) {
        return tick(target, List.of(), MarketStrikes.NONE, crash);
    }

    /** One tick with the targets and holds of {@code targets}, told afterwards what the tick saw and did. */
    TickResult tickWith(TargetSource targets) {
        Instant at = now.plusSeconds(1);
        TickResult result = tick(targets.target(at), targets.holds(at), targets.strikes(at), Crash.NONE);
        targets.observe(now, power(), java.util.Objects.requireNonNull(lastFacts), state, result);
        return result;
    }

    /** The site as the engine would plan with it now (the last tick's power truth). */
    EngineLoop.Planning planning() {
        Map<String, DeviceView> views = views();
        DeviceLookup lookup = DeviceLookup.ofViews(views::get);
        return new EngineLoop.Planning(
                PowerTruth.compute(model, lookup, now), DeviceFacts.gather(model, lookup), state.migrate(model));
    }

    private TickResult tick(@Nullable SiteTarget target, List<CapacityHold> holds, MarketStrikes strikes, Crash crash) {
        now = now.plusSeconds(1);
        for (MinerModel miner : miners.values()) {
            miner.advanceTo(now);
        }
        deliver();
        Map<String, DeviceView> views = views();
        DeviceLookup lookup = DeviceLookup.ofViews(views::get);
        SiteSnapshot power = PowerTruth.compute(model, lookup, now);
        last = power;
        DeviceFacts facts = DeviceFacts.gather(model, lookup);
        lastFacts = facts;
        TickResult result = engine.tick(power, facts, target, holds, strikes, state, now);
        if (crash == Crash.AFTER_DECISION && !result.actions().isEmpty()) {
            return result;
        }
        try {
            if (!result.actions().isEmpty()) {
                journal.intents(result.actions(), state, now);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (crash == Crash.AFTER_JOURNAL && !result.actions().isEmpty()) {
            return result;
        }
        int sentCount = 0;
        for (Action action : result.actions()) {
            if (crash == Crash.AFTER_SOME_COMMANDS
                    && sentCount >= (result.actions().size() + 1) / 2) {
                return result;
            }
            sentCount++;
            String id = UUID.nameUUIDFromBytes(
                            (action.deviceId() + now + action.kind()).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .toString();
            state.dispatched(action, id, now.toEpochMilli());
            try {
                journal.dispatched(action, id, action.targetDeviceId() + "-agent", now.toEpochMilli(), now);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            actions.add(action);
            actionTimes.add(now);
            commandTimes
                    .computeIfAbsent(action.targetDeviceId() + "/" + action.instance(), k -> new ArrayList<>())
                    .add(now);
            boolean answers = action.instance().isEmpty() ? !unresponsive.contains(action.deviceId()) : true;
            pending.add(new Pending(now.plus(LATENCY), action, id, answers));
        }
        return result;
    }

    /** Commands whose latency has passed take effect and answer; unanswered ones expire after ttl + 5 s. */
    private void deliver() {
        for (var it = pending.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (!p.answer) {
                if (!now.isBefore(p.due.plus(engine.settings().commandTtl()).plusSeconds(5))) {
                    state.commandResult(p.commandId, EngineState.CommandOutcome.FAILED, "expired");
                    it.remove();
                }
                continue;
            }
            if (now.isBefore(p.due)) {
                continue;
            }
            it.remove();
            apply(p.action);
            state.commandResult(p.commandId, EngineState.CommandOutcome.ACCEPTED, "");
            state.commandResult(p.commandId, EngineState.CommandOutcome.APPLIED, "");
        }
    }

    private void apply(Action action) {
        MinerModel miner = miners.get(action.deviceId());
        switch (action.kind()) {
            case SET_POWER_TARGET -> {
                if (miner != null) {
                    miner.setPowerTargetWatts(action.valueW());
                } else {
                    gpus.put(action.deviceId(), action.valueW() / 1000);
                }
            }
            case SLEEP -> miner.sleep();
            case WAKE -> miner.wakeUp();
            case OUTLET_OFF -> {
                outletOn.put(action.deviceId(), false);
                if (miner != null) {
                    miner.cutPower();
                }
            }
            case OUTLET_ON -> {
                outletOn.put(action.deviceId(), true);
                if (miner != null) {
                    miner.restorePower(Duration.ofSeconds(30));
                }
            }
        }
    }

    /** Every device's, PDU's and meter's view now, as ingest would hold them. */
    private Map<String, DeviceView> views() {
        Map<String, DeviceView> views = new HashMap<>();
        Map<String, Map<String, MetricReading>> pduMetrics = new LinkedHashMap<>();
        Map<String, Double> pduSum = new HashMap<>();
        double site = 0;
        for (int node = 0; node < model.size(); node++) {
            var device = model.device(node);
            if (device == null) {
                continue;
            }
            double watts;
            Map<String, MetricReading> metrics = new LinkedHashMap<>();
            List<DeviceCapability> capabilities;
            MinerModel miner = miners.get(device.id());
            if (miner != null) {
                MinerSnapshot s = miner.snapshot();
                watts = s.powerWatts();
                metrics.put("power", reading(noisy(watts), "W"));
                metrics.put("hashrate", reading(s.hashrateThs(), "TH/s"));
                metrics.put("power.target", reading(s.powerTargetWatts(), "W"));
                metrics.put("mode", reading(s.mode() == Mode.SLEEP ? 0 : 1, ""));
                if (miner.powered()) {
                    metrics.put("temperature.chip", reading(s.maxChipTempC(), "°C"));
                }
                capabilities = List.of(
                        new DeviceCapability(
                                Verb.VERB_SET_POWER_TARGET,
                                "W",
                                1500,
                                3500,
                                10,
                                List.of(),
                                Duration.ZERO,
                                Duration.ZERO,
                                "power.target",
                                10,
                                false),
                        DeviceCapability.of(Verb.VERB_SLEEP),
                        DeviceCapability.of(Verb.VERB_WAKE));
            } else {
                watts = Boolean.FALSE.equals(outletOn.get(device.id())) ? 0 : gpus.get(device.id()) * 1000;
                metrics.put("power", reading(noisy(watts), "W"));
                capabilities = List.of(new DeviceCapability(
                        Verb.VERB_SET_POWER_CAP,
                        "W",
                        4000,
                        10000,
                        100,
                        List.of(),
                        Duration.ZERO,
                        Duration.ZERO,
                        "",
                        0,
                        false));
            }
            boolean answers = !unresponsive.contains(device.id()) && (miner == null || miner.powered());
            views.put(
                    device.id(),
                    view(
                            device.id(),
                            device.agent(),
                            miner != null ? "miner" : "gpu-server",
                            miner != null ? miner.spec().nameplateWatts() : GPU_KW * 1000,
                            answers ? DeviceState.ONLINE : DeviceState.STALE,
                            metrics,
                            capabilities));
            String[] outlet = outlets.get(device.id());
            if (outlet != null) {
                pduMetrics
                        .computeIfAbsent(outlet[0], k -> new LinkedHashMap<>())
                        .put("power[" + outlet[1] + "]", reading(noisy(watts), "W"));
                pduSum.merge(outlet[0], watts, Double::sum);
            }
            site += watts;
        }
        for (var entry : pduMetrics.entrySet()) {
            Map<String, MetricReading> metrics = new LinkedHashMap<>(entry.getValue());
            metrics.put("power", reading(noisy(pduSum.get(entry.getKey())), "W"));
            List<String> instances = entry.getValue().keySet().stream()
                    .map(k -> k.substring(6, k.length() - 1))
                    .toList();
            List<DeviceCapability> caps = List.of(
                    new DeviceCapability(
                            Verb.VERB_OUTLET_OFF, "", 0, 0, 0, instances, Duration.ZERO, Duration.ZERO, "", 0, true),
                    new DeviceCapability(
                            Verb.VERB_OUTLET_ON, "", 0, 0, 0, instances, Duration.ZERO, Duration.ZERO, "", 0, false));
            views.put(entry.getKey(), view(entry.getKey(), "meters", "pdu", 0, DeviceState.ONLINE, metrics, caps));
        }
        views.put(
                "site-meter",
                view(
                        "site-meter",
                        "meters",
                        "meter",
                        0,
                        DeviceState.ONLINE,
                        Map.of("power", reading(noisy(site), "W")),
                        List.of()));
        return views;
    }

    private double noisy(double watts) {
        return Math.max(0, watts * (1 + noise * (2 * random.nextDouble() - 1)));
    }

    private MetricReading reading(double value, String unit) {
        return new MetricReading(value, unit, now, Quality.QUALITY_GOOD);
    }

    private DeviceView view(
            String id,
            String agent,
            String kind,
            double nameplateW,
            DeviceState status,
            Map<String, MetricReading> metrics,
            List<DeviceCapability> capabilities) {
        return new DeviceView(
                id,
                agent,
                kind,
                models.getOrDefault(id, "sim"),
                "sim/" + kind,
                "",
                nameplateW,
                status,
                "",
                "",
                START,
                metrics,
                capabilities,
                List.of(),
                0L);
    }

    /** The site file changed (a limit lowered): the engine carries its state over to the new model. */
    void reload(String yaml) throws Exception {
        model = SiteLoader.parse("site.yaml", yaml);
        state = state.migrate(model);
    }

    /**
     * The target of a grid event at {@code now}, as the grid-event book ramps it: from the baseline at
     * {@code start} linearly down to {@code finalKw}, reached at start + 0.8 × ramp; the deadline is start + ramp.
     */
    static SiteTarget ramp(String id, Instant start, double baselineKw, double finalKw, Duration ramp, Instant now) {
        double span = ramp.toMillis() * 0.8;
        double t = span <= 0 ? 1 : Math.min(1, Math.max(0, (now.toEpochMilli() - start.toEpochMilli()) / span));
        return new SiteTarget(id, baselineKw + t * (finalKw - baselineKw), finalKw, start.plus(ramp));
    }

    /** The last tick's power truth. */
    SiteSnapshot power() {
        if (last == null) {
            throw new IllegalStateException("no tick yet");
        }
        return last;
    }

    /** The site's metered load at the last tick, kW. */
    double siteKw() {
        return power().loadKw(0);
    }

    double loadKw(String nodeKind, String id) {
        return power().loadKw(model.indexOf(
                io.headroom.controller.site.SiteNodeKind.valueOf(nodeKind.toUpperCase(java.util.Locale.ROOT)), id));
    }

    /** The site model with one breaker's amps replaced (a limit lowered at run time). */
    static String withCircuitAmps(String yaml, String circuit, double oldAmps, double newAmps) {
        String needle = "- id: " + circuit + "\n            breaker: {amps: " + oldAmps;
        if (!yaml.contains(needle)) {
            throw new IllegalArgumentException("no circuit " + circuit + " at " + oldAmps + " A");
        }
        return yaml.replace(needle, "- id: " + circuit + "\n            breaker: {amps: " + newAmps);
    }

    /** Efficiency of a miner at nameplate, J/TH. */
    double jth(String deviceId) {
        return miners.get(deviceId).spec().efficiencyJoulesPerTh();
    }
}
