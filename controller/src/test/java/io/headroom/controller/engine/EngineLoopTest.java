package io.headroom.controller.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.controller.RecordingPublisher;
import io.headroom.controller.SteppableClock;
import io.headroom.controller.command.CommandService;
import io.headroom.controller.site.DeviceLookup;
import io.headroom.controller.site.SiteLoader;
import io.headroom.controller.site.SiteModel;
import io.headroom.controller.store.DeviceCapability;
import io.headroom.controller.store.DeviceRecord;
import io.headroom.controller.store.DeviceState;
import io.headroom.controller.store.MetricSlot;
import io.headroom.controller.store.StateStore;
import io.headroom.protocol.MalformedPayloadException;
import io.headroom.protocol.Topic;
import io.headroom.protocol.TopicKind;
import io.headroom.protocol.WireCodec;
import io.headroom.protocol.wire.Command;
import io.headroom.protocol.wire.Result;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine loop against the controller's real state store and command service: what it decides is
 * written ahead, sent as commands to the agent's topic, listed as decisions, and the agent's results
 * come back to the engine without polling.
 */
class EngineLoopTest {

    private static final String SITE_YAML = """
            site: demo
            limit-kw: 100
            feeds:
              - id: f1
                pdus:
                  - id: p1
                    breaker: {amps: 25, volts: 240, derate-percent: 100}
                    racks:
                      - id: r1
                        devices:
                          - {id: m1, agent: a1, class: hashing}
                          - {id: m2, agent: a1, class: hashing}
            """;

    private final SteppableClock clock = new SteppableClock(Instant.parse("2026-12-01T12:00:00Z"));
    private final StateStore store = new StateStore();
    private final RecordingPublisher publisher = new RecordingPublisher();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final DecisionLog decisions = new DecisionLog();
    private final List<String> journaled = new ArrayList<>();
    private CommandService commands;
    private SiteModel model;
    private DeviceRecord m1;
    private DeviceRecord m2;

    @BeforeEach
    void setUp() throws Exception {
        model = SiteLoader.parse("site.yaml", SITE_YAML);
        commands = new CommandService("demo", store, publisher, clock, registry);
        m1 = miner("m1");
        m2 = miner("m2");
        store.replaceAgentDevices("a1", List.of(m1, m2));
        // p1 allows 6 kW; m1 (20 J/TH) and m2 (40 J/TH) draw 3.2 kW each.
        reading(m1, 3200, 160);
        reading(m2, 3200, 80);
    }

    @Test
    void aDecisionIsJournaledSentListedAndItsResultReachesTheEngine() {
        EngineLoop loop = loop(EngineSettings.defaults(), journal(false));
        TickResult tick = loop.tick();

        assertThat(tick.actions())
                .singleElement()
                .satisfies(a -> assertThat(a.deviceId()).isEqualTo("m2"));
        assertThat(journaled).containsExactly("intent m2 sleep", "dispatched m2 sleep");
        List<Command> sent = sentCommands();
        assertThat(sent).singleElement().satisfies(c -> {
            assertThat(c.getDeviceId()).isEqualTo("m2");
            assertThat(c.getVerb()).isEqualTo(Verb.VERB_SLEEP);
            assertThat(c.getTtlMs()).isEqualTo(30_000);
        });
        Decision decision = decisions.recent(10).get(0);
        assertThat(decision.dispatched()).isTrue();
        assertThat(decision.commandId()).isEqualTo(sent.get(0).getCommandId());
        DeviceControl control = loop.state().control("m2");
        assertThat(control.intent()).isEqualTo(IntentState.DISPATCHED);

        commands.commandResult("a1", result(sent.get(0), ResultStatus.RESULT_STATUS_APPLIED));
        clock.advance(Duration.ofSeconds(1));
        loop.tick();
        assertThat(control.intent()).isEqualTo(IntentState.ACKED);
        reading(m2, 30, 0);
        clock.advance(Duration.ofSeconds(1));
        loop.tick();
        assertThat(control.intent()).isEqualTo(IntentState.CONFIRMED);
        assertThat(sentCommands()).hasSize(1);
    }

    @Test
    void aJournalThatCannotBeWrittenStopsEveryCommandOfTheTick() {
        EngineLoop loop = loop(EngineSettings.defaults(), journal(true));
        loop.tick();
        assertThat(sentCommands()).isEmpty();
        Decision decision = decisions.recent(10).get(0);
        assertThat(decision.dispatched()).isFalse();
        assertThat(decision.refusal()).startsWith("journal unavailable");
        assertThat(loop.state().control("m2").intent()).isEqualTo(IntentState.FAILED);
        assertThat(registry.get("headroom.engine.journal.failures").counter().count())
                .isEqualTo(1);
    }

    @Test
    void aDisabledEngineExplainsButSendsNothing() {
        EngineSettings s = EngineSettings.defaults();
        EngineSettings disabled = new EngineSettings(
                false,
                s.interval(),
                s.marginPercent(),
                s.deadbandPercent(),
                s.restoreDwell(),
                s.minCurtailed(),
                s.cooldown(),
                s.restoreBatchPerCircuit(),
                s.restoreInterval(),
                s.minCommandInterval(),
                s.confirmTimeout(),
                s.confirmTolerancePercent(),
                s.maxRetries(),
                s.commandTtl());
        EngineLoop loop = loop(disabled, journal(false));
        loop.tick();
        assertThat(sentCommands()).isEmpty();
        assertThat(journaled).isEmpty();
        assertThat(decisions.recent(10).get(0).refusal()).contains("engine disabled");
    }

    @Test
    void aDryRunPlansWithoutSendingOrChangingTheLiveState() {
        // Room on the breaker: only the hypothetical event asks for a shed.
        reading(m1, 2500, 125);
        reading(m2, 2500, 62.5);
        EngineLoop loop = loop(EngineSettings.defaults(), journal(false));
        TickResult plan =
                loop.dryRun(new SiteTarget("what-if", 1, 1, clock.instant().plusSeconds(60)));
        assertThat(plan.actions()).extracting(Action::deviceId).containsExactly("m2", "m1");
        assertThat(sentCommands()).isEmpty();
        assertThat(journaled).isEmpty();
        assertThat(loop.state().curtailed()).isEmpty();
        assertThat(loop.tick().actions()).isEmpty();
    }

    @Test
    void aLimitChangeIsPlannedWithoutSendingAndBadRequestsAreNamed() throws Exception {
        reading(m1, 2500, 125);
        reading(m2, 2500, 62.5);
        EngineLoop loop = loop(EngineSettings.defaults(), journal(false));
        LimitDryRun dryRun = new LimitDryRun(loop, clock);
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();

        LimitDryRun.Answer answer = dryRun.plan(json.readTree("{\"node\": \"p1\", \"limit_kw\": 3}"));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().path("current_limit_kw").asDouble()).isEqualTo(6.0);
        assertThat(answer.body().path("over").get(0).path("node").asText()).isEqualTo("p1");
        assertThat(answer.body().path("actions")).hasSize(1);
        assertThat(answer.body().path("actions").get(0).path("device").asText()).isEqualTo("m2");
        assertThat(sentCommands()).isEmpty();
        assertThat(loop.state().curtailed()).isEmpty();

        assertThat(dryRun.plan(json.readTree("{\"node\": \"nope\", \"limit_kw\": 3}"))
                        .status())
                .isEqualTo(404);
        LimitDryRun.Answer bad = dryRun.plan(json.readTree("{\"node\": 5, \"limit_kw\": 1e308, \"x\": 1}"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().path("error").asText())
                .contains("x: unknown field", "node: required", "limit_kw: required");
        assertThat(dryRun.plan(json.readTree("[1]")).status()).isEqualTo(400);
    }

    @Test
    void aRefusedCommandIsADecisionWithItsReason() {
        m2.setStatus(DeviceState.STALE, "agent-death", "gone", clock.instant());
        EngineLoop loop = loop(EngineSettings.defaults(), journal(false));
        loop.tick();
        assertThat(sentCommands()).isEmpty();
        Decision decision = decisions.recent(10).get(0);
        assertThat(decision.dispatched()).isFalse();
        assertThat(decision.refusal()).contains("STALE");
        assertThat(journaled).containsExactly("intent m2 sleep", "dispatched m2 sleep");
    }

    private EngineLoop loop(EngineSettings settings, EngineJournal journal) {
        return new EngineLoop(
                new EngineState(model),
                new ControlEngine(settings),
                DeviceLookup.of(store),
                commands,
                decisions,
                TargetSource.NONE,
                journal,
                clock,
                registry);
    }

    private EngineJournal journal(boolean broken) {
        return new EngineJournal() {
            @Override
            public void intents(List<Action> actions, EngineState state, Instant at) throws IOException {
                if (broken) {
                    throw new IOException("disk full");
                }
                actions.forEach(a ->
                        journaled.add("intent " + a.deviceId() + " " + a.kind().wireName()));
            }

            @Override
            public void dispatched(Action action, String commandId, String agentId, long version, Instant at) {
                journaled.add(
                        "dispatched " + action.deviceId() + " " + action.kind().wireName());
            }
        };
    }

    private List<Command> sentCommands() {
        List<Command> sent = new ArrayList<>();
        for (RecordingPublisher.Published p : publisher.all()) {
            if (p.topic() instanceof Topic.AgentTopic t && t.kind() == TopicKind.CMD) {
                try {
                    sent.add(WireCodec.decode(p.payload(), Command.class));
                } catch (MalformedPayloadException e) {
                    throw new AssertionError("the engine published a malformed command", e);
                }
            }
        }
        return sent;
    }

    private static Result result(Command command, ResultStatus status) {
        return Result.newBuilder()
                .setCommandId(command.getCommandId())
                .setDeviceId(command.getDeviceId())
                .setStatus(status)
                .build();
    }

    private DeviceRecord miner(String id) {
        return new DeviceRecord(
                id,
                "a1",
                "miner",
                "S19",
                "luxor/luxos",
                "",
                3200,
                List.of(new MetricSlot("power", "", "W"), new MetricSlot("hashrate", "", "TH/s")),
                List.of(DeviceCapability.of(Verb.VERB_SLEEP), DeviceCapability.of(Verb.VERB_WAKE)),
                DeviceState.ONLINE,
                "",
                "",
                clock.instant());
    }

    private void reading(DeviceRecord record, double watts, double ths) {
        long now = clock.millis();
        record.apply(0, watts, now, 0, now);
        record.apply(1, ths, now, 0, now);
    }
}
