package io.headroom.controller.engine;

import io.headroom.controller.site.DeviceLookup;
import io.headroom.controller.site.PowerTruth;
import io.headroom.controller.site.SiteLoader;
import io.headroom.controller.site.SiteModel;
import io.headroom.controller.store.DeviceCapability;
import io.headroom.controller.store.DeviceState;
import io.headroom.controller.store.DeviceView;
import io.headroom.controller.store.MetricReading;
import io.headroom.protocol.wire.Quality;
import io.headroom.protocol.wire.Verb;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A small site with hand-set readings for the engine's unit tests: one feed, one PDU with two
 * circuits of one rack each. Readings are set per device and stay until changed; time is stepped.
 */
final class EngineFixture {

    static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");

    /**
     * Circuit c1 (rack r1): miners m1 (20 J/TH), m2 (30 J/TH), m3 (40 J/TH), GPU server g1 (ai-contract);
     * circuit c2 (rack r2): miners m4 (25 J/TH), m5 (35 J/TH, never-touch), m6 (45 J/TH, maintenance).
     * Every device draws 3 kW (the GPU 6 kW); c1's breaker allows {@code c1Kw}, the zone z1 (rack r1) rejects {@code zoneKw}.
     */
    static String yaml(double c1Kw, double zoneKw) {
        // A single-phase 240 V circuit at 100 % derate: amps = kW / 0.24.
        return """
                site: s
                limit-kw: 100
                feeds:
                  - id: f1
                    pdus:
                      - id: p1
                        breaker: {amps: 400, volts: 240, derate-percent: 100}
                        circuits:
                          - id: c1
                            breaker: {amps: %s, volts: 240, derate-percent: 100}
                            racks:
                              - id: r1
                                devices:
                                  - {id: m1, agent: a1, class: hashing}
                                  - {id: m2, agent: a1, class: hashing}
                                  - {id: m3, agent: a1, class: hashing}
                                  - {id: g1, agent: a1, class: ai-contract}
                          - id: c2
                            breaker: {amps: 400, volts: 240, derate-percent: 100}
                            racks:
                              - id: r2
                                devices:
                                  - {id: m4, agent: a1, class: hashing}
                                  - {id: m5, agent: a1, class: hashing, never-touch: true}
                                  - {id: m6, agent: a1, class: hashing, maintenance: true}
                zones:
                  - id: z1
                    heat-rejection-kw: %s
                    inlet-limit-c: 35
                    derate:
                      - {inlet-c: 25, percent: 100}
                      - {inlet-c: 35, percent: 50}
                    racks: [r1]
                """.formatted(c1Kw / 0.24, zoneKw);
    }

    final SiteModel model;
    final ControlEngine engine;
    EngineState state;
    Instant now = T0;
    final Map<String, Double> watts = new LinkedHashMap<>();
    final Map<String, Double> jth = new HashMap<>();
    final Map<String, Double> chipC = new HashMap<>();
    final Map<String, Double> inletC = new HashMap<>();
    final Map<String, DeviceState> status = new HashMap<>();
    final List<Action> sent = new ArrayList<>();
    final List<Instant> sentTimes = new ArrayList<>();

    EngineFixture(String yaml, EngineSettings settings) throws Exception {
        this.model = SiteLoader.parse("site.yaml", yaml);
        this.engine = new ControlEngine(settings);
        this.state = new EngineState(model);
        double[] efficiency = {20, 30, 40, 0, 25, 35, 45};
        String[] ids = {"m1", "m2", "m3", "g1", "m4", "m5", "m6"};
        for (int i = 0; i < ids.length; i++) {
            watts.put(ids[i], ids[i].equals("g1") ? 6000.0 : 3000.0);
            if (efficiency[i] > 0) {
                jth.put(ids[i], efficiency[i]);
            }
            chipC.put(ids[i], 70.0);
        }
    }

    /** Steps time and runs one tick; returns its actions (also kept in {@link #sent}). */
    TickResult tick(@Nullable SiteTarget target) {
        now = now.plusSeconds(1);
        DeviceLookup lookup = DeviceLookup.ofViews(this::view);
        TickResult result = engine.tick(
                PowerTruth.compute(model, lookup, now), DeviceFacts.gather(model, lookup), target, state, now);
        int n = 0;
        for (Action action : result.actions()) {
            state.dispatched(action, "cmd-" + now.toEpochMilli() + "-" + n++, now.toEpochMilli());
            sent.add(action);
            sentTimes.add(now);
        }
        return result;
    }

    /** Runs ticks for {@code seconds}. */
    void run(int seconds, @Nullable SiteTarget target) {
        for (int i = 0; i < seconds; i++) {
            tick(target);
        }
    }

    /** The agent applied the action: the device now draws what the engine expected. */
    void apply(Action action) {
        state.commandResult(commandOf(action), EngineState.CommandOutcome.APPLIED, "");
        watts.put(action.deviceId(), action.expectedKw() * 1000);
    }

    String commandOf(Action action) {
        DeviceControl control = state.control(action.deviceId());
        return control.commandId();
    }

    @Nullable
    DeviceView view(String id) {
        Double w = watts.get(id);
        if (w == null) {
            return null;
        }
        Map<String, MetricReading> metrics = new LinkedHashMap<>();
        metrics.put("power", reading(w));
        Double efficiency = jth.get(id);
        if (efficiency != null && w > 500) {
            metrics.put("hashrate", reading(w / efficiency));
        }
        metrics.put("temperature.chip", reading(chipC.get(id)));
        if (inletC.containsKey(id)) {
            metrics.put("temperature.inlet", reading(inletC.get(id)));
        }
        List<DeviceCapability> capabilities = id.startsWith("g")
                ? List.of(new DeviceCapability(
                        Verb.VERB_SET_POWER_CAP,
                        "W",
                        2000,
                        7000,
                        100,
                        List.of(),
                        Duration.ZERO,
                        Duration.ZERO,
                        "",
                        0,
                        false))
                : List.of(
                        new DeviceCapability(
                                Verb.VERB_SET_POWER_TARGET,
                                "W",
                                2000,
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
        return new DeviceView(
                id,
                "a1",
                id.startsWith("g") ? "gpu-server" : "miner",
                "m",
                "p",
                "",
                id.startsWith("g") ? 6000 : 3000,
                status.getOrDefault(id, DeviceState.ONLINE),
                "",
                "",
                T0,
                metrics,
                capabilities,
                List.of(),
                0L);
    }

    private MetricReading reading(double value) {
        return new MetricReading(value, "", now, Quality.QUALITY_GOOD);
    }

    /** When the device's actions were sent. */
    List<Instant> sentAt(String id) {
        List<Instant> times = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            if (sent.get(i).deviceId().equals(id)) {
                times.add(sentTimes.get(i));
            }
        }
        return times;
    }

    /** Actions in {@link #sent} for one device. */
    List<Action> actionsFor(String id) {
        return sent.stream().filter(a -> a.deviceId().equals(id)).toList();
    }
}
