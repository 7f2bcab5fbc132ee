package io.headroom.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.controller.command.CommandService;
import io.headroom.controller.engine.CommandDryRun;
import io.headroom.controller.engine.ControlEngine;
import io.headroom.controller.engine.DecisionLog;
import io.headroom.controller.engine.EngineJournal;
import io.headroom.controller.engine.EngineLoop;
import io.headroom.controller.engine.EngineSettings;
import io.headroom.controller.engine.EngineState;
import io.headroom.controller.engine.SiteTarget;
import io.headroom.controller.engine.TargetSource;
import io.headroom.controller.engine.TickResult;
import io.headroom.controller.site.DeviceLookup;
import io.headroom.controller.site.SiteLoader;
import io.headroom.controller.site.SiteModel;
import io.headroom.controller.site.SiteSnapshot;
import io.headroom.controller.store.DeviceCapability;
import io.headroom.controller.store.DeviceRecord;
import io.headroom.controller.store.DeviceState;
import io.headroom.controller.store.MetricSlot;
import io.headroom.controller.store.StateStore;
import io.headroom.protocol.wire.Verb;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * Measures the control engine on one core against the controller's real state store and command
 * service (the publisher only counts): a steady tick (power truth, device facts, the engine's pure
 * tick, nothing to do) at 10,000 and 100,000 devices, and the tick in which a grid event to 60 % of
 * the site's load is decided and every command dispatched, at 10,000 devices. Prints one line each:
 *
 * <pre>
 * BENCH engine-tick devices=… ticks=… median_ms=… p99_ms=… max_ms=… goal_ms=100
 * BENCH engine-event devices=… actions=… runs=5 median_ms=… cold_ms=… goal_ms=250
 * BENCH engine-dry-run devices=… ids=5000 verb=sleep runs=… median_ms=… max_ms=… goal_ms=1000
 * </pre>
 *
 * The dry-run is {@code POST /api/v1/commands/dry-run}'s work without the HTTP around it: the device
 * table's whole page (5,000 ids) asked to sleep, checked per device by the command service, and the
 * engine's next tick run twice on copies of its state; nothing is published (checked).
 *
 * Arguments: device counts for the steady tick (default {@code 10000,100000}), for the event
 * (default {@code 10000}) and for the dry-run (default {@code 100000}).
 */
public final class EngineBench {

    private static final int DEVICES_PER_CIRCUIT = 50;
    private static final int CIRCUITS_PER_PDU = 4;
    private static final int PDUS_PER_FEED = 10;
    private static final int TICKS = 40;
    private static final int EVENT_RUNS = 5;
    private static final int DRY_RUN_IDS = 5_000;
    private static final int DRY_RUN_RUNS = 9;

    private EngineBench() {}

    public static void main(String[] args) throws Exception {
        int[] steady = args.length > 0 ? parse(args[0]) : new int[] {10_000, 100_000};
        int[] event = args.length > 1 ? parse(args[1]) : new int[] {10_000};
        int[] dryRuns = args.length > 2 ? parse(args[2]) : new int[] {100_000};
        for (int devices : steady) {
            steadyTick(devices);
        }
        for (int devices : dryRuns) {
            dryRun(devices);
        }
        for (int devices : event) {
            // The first event in a JVM is cold (class loading, JIT); a controller meets its second one warm.
            long[] runs = new long[EVENT_RUNS];
            int actions = 0;
            for (int run = 0; run < EVENT_RUNS; run++) {
                long[] result = eventTick(devices);
                runs[run] = result[0];
                actions = (int) result[1];
            }
            long cold = runs[0];
            Arrays.sort(runs);
            System.out.printf(
                    java.util.Locale.ROOT,
                    "BENCH engine-event devices=%d actions=%d runs=%d median_ms=%.1f cold_ms=%.1f goal_ms=250 jdk=%s%n",
                    devices,
                    actions,
                    EVENT_RUNS,
                    runs[EVENT_RUNS / 2] / 1e6,
                    cold / 1e6,
                    System.getProperty("java.version"));
        }
    }

    /** The dry-run of a sleep of the device table's page at {@code devices}, timed warm. */
    private static void dryRun(int devices) throws Exception {
        Fixture site = new Fixture(devices);
        EngineLoop loop = site.loop(TargetSource.NONE);
        for (int warm = 0; warm < 10; warm++) {
            site.clock.step();
            loop.tick();
        }
        CommandDryRun dryRun = new CommandDryRun(loop, site.commands, DeviceLookup.of(site.store));
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode body = mapper.createObjectNode();
        body.put("verb", "sleep");
        ArrayNode ids = body.putArray("devices");
        // Every 20th device: a page spread over the site's circuits, as a filtered table would select.
        for (int d = 0; d < DRY_RUN_IDS; d++) {
            ids.add(Fixture.id((int) ((long) d * devices / DRY_RUN_IDS)));
        }
        long publishedBefore = site.published[0];
        long[] nanos = new long[DRY_RUN_RUNS];
        for (int run = -3; run < DRY_RUN_RUNS; run++) {
            long start = System.nanoTime();
            CommandDryRun.Answer answer = dryRun.plan(body);
            long took = System.nanoTime() - start;
            if (answer.status() != 200
                    || answer.body().path("totals").path("send").asInt() != DRY_RUN_IDS) {
                throw new IllegalStateException("the dry-run should send all " + DRY_RUN_IDS + " ids: "
                        + answer.status() + " " + answer.body().path("totals"));
            }
            if (run >= 0) {
                nanos[run] = took;
            }
        }
        if (site.published[0] != publishedBefore) {
            throw new IllegalStateException(
                    "a dry-run published " + (site.published[0] - publishedBefore) + " commands");
        }
        Arrays.sort(nanos);
        System.out.printf(
                java.util.Locale.ROOT,
                "BENCH engine-dry-run devices=%d ids=%d verb=sleep runs=%d median_ms=%.1f max_ms=%.1f goal_ms=1000"
                        + " jdk=%s%n",
                devices,
                DRY_RUN_IDS,
                DRY_RUN_RUNS,
                nanos[DRY_RUN_RUNS / 2] / 1e6,
                nanos[DRY_RUN_RUNS - 1] / 1e6,
                System.getProperty("java.version"));
    }

    private static void steadyTick(int devices) throws Exception {
        Fixture site = new Fixture(devices);
        EngineLoop loop = site.loop(TargetSource.NONE);
        long[] nanos = new long[TICKS];
        for (int warm = 0; warm < 10; warm++) {
            site.clock.step();
            loop.tick();
        }
        for (int i = 0; i < TICKS; i++) {
            site.clock.step();
            long start = System.nanoTime();
            TickResult result = loop.tick();
            nanos[i] = System.nanoTime() - start;
            if (!result.actions().isEmpty()) {
                throw new IllegalStateException("the steady site should need no action, got "
                        + result.actions().size());
            }
        }
        Arrays.sort(nanos);
        System.out.printf(
                java.util.Locale.ROOT,
                "BENCH engine-tick devices=%d ticks=%d median_ms=%.1f p99_ms=%.1f max_ms=%.1f goal_ms=100 jdk=%s%n",
                devices,
                TICKS,
                nanos[TICKS / 2] / 1e6,
                nanos[(int) Math.ceil(TICKS * 0.99) - 1] / 1e6,
                nanos[TICKS - 1] / 1e6,
                System.getProperty("java.version"));
    }

    /** Nanoseconds of the tick that decided and dispatched the event's commands, and how many. */
    private static long[] eventTick(int devices) throws Exception {
        Fixture site = new Fixture(devices);
        // Warm the same code paths on a steady site first.
        EngineLoop warmup = site.loop(TargetSource.NONE);
        for (int i = 0; i < 20; i++) {
            site.clock.step();
            warmup.tick();
        }
        double load = site.loadKw();
        SiteTarget target = new SiteTarget(
                "bench", load * 0.6, load * 0.6, site.clock.instant().plusSeconds(120));
        EngineLoop loop = site.loop(new FixedTarget(target));
        site.clock.step();
        long start = System.nanoTime();
        TickResult result = loop.tick();
        long nanos = System.nanoTime() - start;
        if (site.published[0] != result.actions().size()) {
            throw new IllegalStateException(
                    result.actions().size() + " actions decided but " + site.published[0] + " commands published");
        }
        return new long[] {nanos, result.actions().size()};
    }

    private static int[] parse(String list) {
        return Arrays.stream(list.split(",")).mapToInt(Integer::parseInt).toArray();
    }

    /** A site of {@code devices} miners on circuits of 50, readings stored in a real state store. */
    private static final class Fixture {
        final StepClock clock = new StepClock();
        final StateStore store = new StateStore();
        final SiteModel model;
        final long[] published = new long[1];
        final CommandService commands;

        Fixture(int devices) throws Exception {
            model = SiteLoader.parse("bench-site.yaml", yaml(devices));
            SplittableRandom random = new SplittableRandom(7);
            List<DeviceCapability> capabilities = List.of(
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
            List<MetricSlot> slots = List.of(
                    new MetricSlot("power", "", "W"),
                    new MetricSlot("hashrate", "", "TH/s"),
                    new MetricSlot("temperature.chip", "", "°C"),
                    new MetricSlot("mode", "", ""));
            List<DeviceRecord> agent = new ArrayList<>();
            long now = clock.millis();
            for (int d = 0; d < devices; d++) {
                DeviceRecord record = new DeviceRecord(
                        id(d),
                        agentOf(d),
                        "miner",
                        "S19",
                        "luxor/luxos",
                        "",
                        3010,
                        slots,
                        capabilities,
                        DeviceState.ONLINE,
                        "",
                        "",
                        clock.instant());
                double watts = 2800 + 400 * random.nextDouble();
                record.apply(0, watts, now, 0, now);
                record.apply(1, watts / (17 + 17 * random.nextDouble()), now, 0, now);
                record.apply(2, 60 + 15 * random.nextDouble(), now, 0, now);
                record.apply(3, 1, now, 0, now);
                agent.add(record);
                if ((d + 1) % DEVICES_PER_CIRCUIT == 0 || d == devices - 1) {
                    store.replaceAgentDevices(agentOf(d), agent);
                    agent = new ArrayList<>();
                }
            }
            commands = new CommandService(
                    "bench",
                    store,
                    (topic, payload, retain, expiry) -> {
                        published[0]++;
                        return 1;
                    },
                    clock,
                    new SimpleMeterRegistry());
        }

        EngineLoop loop(TargetSource targets) {
            return new EngineLoop(
                    new EngineState(model),
                    new ControlEngine(EngineSettings.defaults()),
                    DeviceLookup.of(store),
                    commands,
                    new DecisionLog(),
                    targets,
                    EngineJournal.NONE,
                    clock,
                    new SimpleMeterRegistry());
        }

        double loadKw() {
            SiteSnapshot power =
                    io.headroom.controller.site.PowerTruth.compute(model, DeviceLookup.of(store), clock.instant());
            return power.loadKw(0);
        }

        static String id(int d) {
            return "m" + d;
        }

        static String agentOf(int d) {
            return "agent-" + d / DEVICES_PER_CIRCUIT;
        }

        static String yaml(int devices) {
            StringBuilder y = new StringBuilder("site: bench\nlimit-kw: 1000000\nstale-after: 1h\nfeeds:\n");
            int perFeed = DEVICES_PER_CIRCUIT * CIRCUITS_PER_PDU * PDUS_PER_FEED;
            for (int d = 0; d < devices; d++) {
                if (d % perFeed == 0) {
                    y.append("  - id: f").append(d / perFeed).append("\n    pdus:\n");
                }
                int perPdu = DEVICES_PER_CIRCUIT * CIRCUITS_PER_PDU;
                if (d % perPdu == 0) {
                    y.append("      - id: p").append(d / perPdu).append('\n');
                    y.append("        breaker: {amps: 1250, volts: 415, phases: 3}\n        circuits:\n");
                }
                if (d % DEVICES_PER_CIRCUIT == 0) {
                    int c = d / DEVICES_PER_CIRCUIT;
                    y.append("          - id: c").append(c).append('\n');
                    y.append("            breaker: {amps: 400, volts: 415, phases: 3}\n");
                    y.append("            racks:\n              - id: r")
                            .append(c)
                            .append("\n                devices:\n");
                }
                y.append("                  - {id: ")
                        .append(id(d))
                        .append(", agent: ")
                        .append(agentOf(d))
                        .append(", class: hashing}\n");
            }
            return y.toString();
        }
    }

    /** The same grid target every tick. */
    private record FixedTarget(SiteTarget target) implements TargetSource {
        @Override
        public @Nullable SiteTarget target(Instant now) {
            return target;
        }

        @Override
        public void observe(Instant now, SiteSnapshot power, EngineState state, TickResult result) {}
    }

    /** A clock the bench steps one second per tick. */
    private static final class StepClock extends Clock {
        private Instant now = Instant.parse("2026-12-01T12:00:00Z");

        void step() {
            now = now.plusSeconds(1);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
