package io.headroom.cli.backtest;

import io.headroom.controller.engine.Action;
import io.headroom.controller.site.DeviceLookup;
import io.headroom.controller.site.SiteDevice;
import io.headroom.controller.site.SiteModel;
import io.headroom.controller.store.DeviceCapability;
import io.headroom.controller.store.DeviceState;
import io.headroom.controller.store.DeviceView;
import io.headroom.controller.store.MetricReading;
import io.headroom.protocol.Mode;
import io.headroom.protocol.wire.Quality;
import io.headroom.protocol.wire.Verb;
import io.headroom.simulator.miner.MinerModel;
import io.headroom.simulator.miner.MinerSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A site file's devices as physical models on one simulated clock, the backtest's world: every
 * hashing (or other interruptible) device is the simulator's {@link MinerModel} (power ramps, sleep,
 * boot after wake or power-up), AI devices and auxiliary load draw a steady load (AI ones take a power
 * cap), every meter the site file names reads the sum of what it meters, and each reading carries
 * seeded noise. Adapted from the controller tests' simulated site rig; nothing here has a thread or
 * reads the wall clock.
 *
 * <p>Miners: nameplate watts from the device's {@code nameplate-w} when the site gives one, else
 * 3,010 W ± 10 %; efficiency 17 to 34 J/TH; both drawn from the seed in site order. A miner reports
 * model {@code sim-efficient} under 25 J/TH, else {@code sim-old}, so the market strikes per model.
 */
final class SiteSimulation {

    /** Steady draw of an AI device without a nameplate, kW. */
    static final double AI_KW = 8.0;
    /** Steady draw of an auxiliary device without a nameplate, kW. */
    static final double AUXILIARY_KW = 3.0;
    /**
     * The models' integration step: the simulator's exponential approach is exact for a constant
     * target, so seconds (not its default 250 ms) keep a month of simulated time fast; a ramp starts
     * and a boot ends within this.
     */
    static final Duration INTEGRATION_STEP = Duration.ofSeconds(10);

    private final SiteModel model;
    private final double noise;
    private final SplittableRandom random;
    private final Instant start;
    private Instant now;

    private final Map<String, MinerModel> miners = new LinkedHashMap<>();
    private final Map<String, String> models = new HashMap<>();
    /** Steady loads (AI, auxiliary) by device id, kW, as capped now. */
    private final Map<String, Double> steady = new LinkedHashMap<>();

    private final Map<String, Boolean> powered = new HashMap<>();
    private final Map<String, Double> hashrates = new HashMap<>();
    /** The true (noise-free) load of every node at the last {@link #lookup}, kW. */
    private final double[] trueKw;

    SiteSimulation(SiteModel model, long seed, double noise, Instant start) {
        this.model = model;
        this.noise = noise;
        this.random = new SplittableRandom(seed);
        this.start = start;
        this.now = start;
        this.trueKw = new double[model.size()];
        for (int node = 0; node < model.size(); node++) {
            SiteDevice device = model.device(node);
            if (device == null) {
                continue;
            }
            String cls = device.priorityClass();
            double watts = 3010 * (0.9 + 0.2 * random.nextDouble());
            double jth = 17 + 17 * random.nextDouble();
            if (cls.startsWith("ai-")) {
                steady.put(device.id(), device.nameplateW().map(w -> w / 1000).orElse(AI_KW));
            } else if (cls.equals("auxiliary") || !interruptible(model, cls)) {
                steady.put(device.id(), device.nameplateW().map(w -> w / 1000).orElse(AUXILIARY_KW));
            } else {
                double nameplate = device.nameplateW().orElse(watts);
                models.put(device.id(), jth < 25 ? "sim-efficient" : "sim-old");
                miners.put(
                        device.id(),
                        new MinerModel(
                                MinerSpec.S19_XP.withNameplate(nameplate, nameplate / jth), seed + node, 25, start));
            }
            powered.put(device.id(), true);
        }
    }

    private static boolean interruptible(SiteModel model, String cls) {
        var declared = model.classes().get(cls);
        return cls.equals("hashing") || (declared != null && declared.interruptible());
    }

    Instant now() {
        return now;
    }

    Map<String, MinerModel> miners() {
        return miners;
    }

    /** The model name a device reports. */
    String modelOf(String deviceId) {
        return models.getOrDefault(deviceId, "sim");
    }

    /** The models advance to {@code t}, integrating in steps of at most {@link #INTEGRATION_STEP}. */
    void advanceTo(Instant t) {
        now = t;
        for (MinerModel miner : miners.values()) {
            miner.advanceTo(t, INTEGRATION_STEP);
        }
    }

    /** Each miner's hashrate at the last {@link #lookup}, TH/s. */
    double hashrateThs(String deviceId) {
        return hashrates.getOrDefault(deviceId, 0.0);
    }

    /** A command reaches its device. */
    void apply(Action action) {
        MinerModel miner = miners.get(action.deviceId());
        switch (action.kind()) {
            case SET_POWER_TARGET -> {
                if (miner != null) {
                    miner.setPowerTargetWatts(action.valueW());
                } else if (steady.containsKey(action.deviceId())) {
                    steady.put(action.deviceId(), action.valueW() / 1000);
                }
            }
            case SLEEP -> {
                if (miner != null) {
                    miner.sleep();
                }
            }
            case WAKE -> {
                if (miner != null) {
                    miner.wakeUp();
                }
            }
            case OUTLET_OFF -> {
                powered.put(action.deviceId(), false);
                if (miner != null) {
                    miner.cutPower();
                }
            }
            case OUTLET_ON -> {
                powered.put(action.deviceId(), true);
                if (miner != null) {
                    miner.restorePower(Duration.ofSeconds(30));
                }
            }
        }
    }

    /** The true load of a node at the last lookup, kW. */
    double trueKw(int node) {
        return trueKw[node];
    }

    /** Every device's and meter's view now, as ingest would hold them; also sets the true loads. */
    DeviceLookup lookup() {
        Map<String, DeviceView> views = new HashMap<>();
        Map<String, Map<String, MetricReading>> meterMetrics = new LinkedHashMap<>();
        Map<String, List<String>> outletsOf = new LinkedHashMap<>();
        java.util.Arrays.fill(trueKw, 0);
        for (int node = 0; node < model.size(); node++) {
            SiteDevice device = model.device(node);
            if (device == null) {
                continue;
            }
            double watts;
            Map<String, MetricReading> metrics = new LinkedHashMap<>();
            List<DeviceCapability> capabilities;
            MinerModel miner = miners.get(device.id());
            double nameplateW;
            if (miner != null) {
                watts = miner.powerWatts();
                double hashrate = miner.hashrateThs();
                hashrates.put(device.id(), hashrate);
                nameplateW = miner.spec().nameplateWatts();
                metrics.put("power", reading(noisy(watts), "W"));
                metrics.put("hashrate", reading(hashrate, "TH/s"));
                metrics.put("power.target", reading(miner.powerTargetWatts(), "W"));
                metrics.put("mode", reading(miner.mode() == Mode.SLEEP ? 0 : 1, ""));
                capabilities = MINER_CAPABILITIES;
            } else {
                double kw = steady.getOrDefault(device.id(), 0.0);
                watts = Boolean.FALSE.equals(powered.get(device.id())) ? 0 : kw * 1000;
                nameplateW = device.nameplateW().orElse(AI_KW * 1000);
                metrics.put("power", reading(noisy(watts), "W"));
                capabilities = device.priorityClass().startsWith("ai-") ? GPU_CAPABILITIES : List.of();
            }
            trueKw[node] = watts / 1000;
            boolean answers = miner == null || miner.powered();
            views.put(
                    device.id(),
                    view(
                            device.id(),
                            device.agent(),
                            miner != null ? "miner" : "gpu-server",
                            nameplateW,
                            answers ? DeviceState.ONLINE : DeviceState.STALE,
                            metrics,
                            capabilities));
            String pdu = model.outletDevice(node);
            if (pdu != null && device.outlet().isPresent()) {
                meterMetrics
                        .computeIfAbsent(pdu, k -> new LinkedHashMap<>())
                        .put("power[" + device.outlet().get() + "]", reading(noisy(watts), "W"));
                outletsOf
                        .computeIfAbsent(pdu, k -> new java.util.ArrayList<>())
                        .add(device.outlet().get());
            }
        }
        // Pre-order: every node's subtree follows it, so summing backwards gives each node its subtree.
        for (int node = model.size() - 1; node > 0; node--) {
            int parent = model.parent(node);
            if (parent >= 0) {
                trueKw[parent] += trueKw[node];
            }
        }
        for (int node = 0; node < model.size(); node++) {
            String meter = model.meterOf(node);
            if (meter != null && model.device(node) == null) {
                meterMetrics
                        .computeIfAbsent(meter, k -> new LinkedHashMap<>())
                        .put("power", reading(noisy(trueKw[node] * 1000), "W"));
            }
        }
        for (var entry : meterMetrics.entrySet()) {
            List<String> instances = outletsOf.getOrDefault(entry.getKey(), List.of());
            List<DeviceCapability> caps = instances.isEmpty()
                    ? List.of()
                    : List.of(
                            new DeviceCapability(
                                    Verb.VERB_OUTLET_OFF,
                                    "",
                                    0,
                                    0,
                                    0,
                                    instances,
                                    Duration.ZERO,
                                    Duration.ZERO,
                                    "",
                                    0,
                                    true),
                            new DeviceCapability(
                                    Verb.VERB_OUTLET_ON,
                                    "",
                                    0,
                                    0,
                                    0,
                                    instances,
                                    Duration.ZERO,
                                    Duration.ZERO,
                                    "",
                                    0,
                                    false));
            views.put(
                    entry.getKey(),
                    view(
                            entry.getKey(),
                            "meters",
                            instances.isEmpty() ? "meter" : "pdu",
                            0,
                            DeviceState.ONLINE,
                            entry.getValue(),
                            caps));
        }
        // Sampled once per step: power truth and the device facts read the same samples.
        Map<String, io.headroom.controller.store.DeviceSample> samples = new HashMap<>(views.size() * 2);
        DeviceLookup sampler = DeviceLookup.ofViews(views::get);
        for (String id : views.keySet()) {
            samples.put(id, java.util.Objects.requireNonNull(sampler.device(id), "a view samples"));
        }
        return samples::get;
    }

    private static final List<DeviceCapability> MINER_CAPABILITIES = List.of(
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

    private static final List<DeviceCapability> GPU_CAPABILITIES = List.of(new DeviceCapability(
            Verb.VERB_SET_POWER_CAP, "W", 4000, 10000, 100, List.of(), Duration.ZERO, Duration.ZERO, "", 0, false));

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
                modelOf(id),
                "sim/" + kind,
                "",
                nameplateW,
                status,
                "",
                "",
                start,
                metrics,
                capabilities,
                List.of(),
                0L);
    }
}
