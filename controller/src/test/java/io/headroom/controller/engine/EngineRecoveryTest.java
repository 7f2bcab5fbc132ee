package io.headroom.controller.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.controller.RecordingPublisher;
import io.headroom.controller.SteppableClock;
import io.headroom.controller.command.CommandService;
import io.headroom.controller.command.CommandState;
import io.headroom.controller.journal.Journal;
import io.headroom.controller.journal.JournalSettings;
import io.headroom.controller.site.SiteLoader;
import io.headroom.controller.site.SiteModel;
import io.headroom.controller.store.StateStore;
import io.headroom.protocol.wire.Result;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What issue 7 found broken: a command sent just before a controller crash was forgotten (the API
 * answered 404, the agent's late result was dropped as unknown, the miner stayed asleep for ever).
 * After a restart from the journal the command is tracked again, its late result reaches the engine,
 * and the device is known as curtailed, so it is restored when its time comes.
 */
class EngineRecoveryTest {

    private static final String SITE = """
            site: s
            limit-kw: 100
            feeds:
              - id: f1
                pdus:
                  - id: p1
                    breaker: {amps: 100, volts: 240, derate-percent: 100}
                    racks:
                      - id: r1
                        devices:
                          - {id: m1, agent: a1, class: hashing}
                          - {id: m2, agent: a1, class: hashing}
            """;

    @TempDir
    Path dir;

    private final SteppableClock clock = new SteppableClock(Instant.parse("2026-12-01T12:00:00Z"));

    @Test
    void aCommandSentBeforeACrashIsTrackedAgainAndItsLateResultReachesTheEngine() throws Exception {
        SiteModel model = SiteLoader.parse("site.yaml", SITE);
        EngineState before = new EngineState(model);
        Action sleep = new Action(
                model.indexOf(io.headroom.controller.site.SiteNodeKind.DEVICE, "m2"),
                "m2",
                ActionKind.SLEEP,
                Verb.VERB_SLEEP,
                Double.NaN,
                "m2",
                "",
                0.15,
                new Constraint("s", "site", ConstraintKind.GRID_EVENT, 6, 4),
                "e1",
                "test",
                false);
        DeviceControl m2 = before.control("m2");
        m2.curtailment = Curtailment.ASLEEP;
        m2.eventId = "e1";
        m2.curtailedAtMillis = clock.millis();
        try (Journal journal = open()) {
            EngineJournalFile file = new EngineJournalFile(journal, journal.replayed(), Duration.ofSeconds(30));
            file.intents(List.of(sleep), before, clock.instant());
            file.dispatched(sleep, "cmd-1", "a1", 7, clock.instant());
        }
        // kill -9: the memory is gone; a new controller opens the journal.
        clock.advance(Duration.ofSeconds(5));
        try (Journal journal = open()) {
            EngineRecovery.Recovered recovered =
                    EngineRecovery.replay(model, journal.replayed(), clock.instant(), Duration.ofSeconds(30));
            assertThat(recovered.devices()).containsExactly("m2");
            DeviceControl control = recovered.state().control("m2");
            assertThat(control.curtailed()).isTrue();
            assertThat(control.eventId()).isEqualTo("e1");
            assertThat(control.intent()).isEqualTo(IntentState.DISPATCHED);
            assertThat(recovered.commands()).singleElement().satisfies(c -> {
                assertThat(c.commandId()).isEqualTo("cmd-1");
                assertThat(c.agentId()).isEqualTo("a1");
                assertThat(c.verb()).isEqualTo(Verb.VERB_SLEEP);
                assertThat(c.version()).isEqualTo(7);
            });

            CommandService commands = new CommandService(
                    "s", new StateStore(), new RecordingPublisher(), clock, new SimpleMeterRegistry());
            for (EngineRecovery.SentCommand c : recovered.commands()) {
                commands.adopt(
                        c.commandId(),
                        c.deviceId(),
                        c.agentId(),
                        c.verb(),
                        c.value(),
                        c.instance(),
                        c.version(),
                        c.issuedAt(),
                        c.ttl());
            }
            commands.addListener(view -> recovered
                    .state()
                    .commandResult(view.commandId(), EngineState.CommandOutcome.APPLIED, view.reason()));
            assertThat(commands.command("cmd-1"))
                    .hasValueSatisfying(v -> assertThat(v.state()).isEqualTo(CommandState.DISPATCHED));
            // The agent's late result is matched, not dropped as unknown.
            commands.commandResult(
                    "a1",
                    Result.newBuilder()
                            .setCommandId("cmd-1")
                            .setDeviceId("m2")
                            .setStatus(ResultStatus.RESULT_STATUS_APPLIED)
                            .build());
            assertThat(commands.command("cmd-1"))
                    .hasValueSatisfying(v -> assertThat(v.state()).isEqualTo(CommandState.APPLIED));
            assertThat(control.intent()).isEqualTo(IntentState.ACKED);
        }
    }

    @Test
    void anIntentThatWasNeverSentCountsAsFailedAndARestoredDeviceIsForgotten() throws Exception {
        SiteModel model = SiteLoader.parse("site.yaml", SITE);
        EngineState before = new EngineState(model);
        Action sleep = new Action(
                model.indexOf(io.headroom.controller.site.SiteNodeKind.DEVICE, "m1"),
                "m1",
                ActionKind.SLEEP,
                Verb.VERB_SLEEP,
                Double.NaN,
                "m1",
                "",
                0.15,
                new Constraint("p1", "pdu", ConstraintKind.BREAKER, 30, 24),
                null,
                "test",
                false);
        Action other = new Action(
                model.indexOf(io.headroom.controller.site.SiteNodeKind.DEVICE, "m2"),
                "m2",
                ActionKind.SLEEP,
                Verb.VERB_SLEEP,
                Double.NaN,
                "m2",
                "",
                0.15,
                new Constraint("p1", "pdu", ConstraintKind.BREAKER, 30, 24),
                null,
                "test",
                false);
        before.control("m1").curtailment = Curtailment.ASLEEP;
        before.control("m2").curtailment = Curtailment.ASLEEP;
        try (Journal journal = open()) {
            EngineJournalFile file = new EngineJournalFile(journal, journal.replayed(), Duration.ofSeconds(30));
            file.intents(List.of(sleep, other), before, clock.instant());
            file.dispatched(other, "cmd-2", "a1", 8, clock.instant());
            file.outcome("m2", "cmd-2", "applied", "");
            file.released("m2");
        }
        try (Journal journal = open()) {
            EngineRecovery.Recovered recovered =
                    EngineRecovery.replay(model, journal.replayed(), clock.instant(), Duration.ofSeconds(30));
            assertThat(recovered.devices()).containsExactly("m1");
            assertThat(recovered.state().control("m1").intent()).isEqualTo(IntentState.FAILED);
            assertThat(recovered.state().control("m2").curtailed()).isFalse();
            assertThat(recovered.commands()).isEmpty();
        }
    }

    private Journal open() throws Exception {
        return Journal.open(
                dir, JournalSettings.defaults(JournalSettings.Fsync.ALWAYS), clock, new SimpleMeterRegistry());
    }
}
