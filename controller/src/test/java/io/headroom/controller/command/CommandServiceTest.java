package io.headroom.controller.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.controller.RecordingPublisher;
import io.headroom.controller.SteppableClock;
import io.headroom.controller.store.DeviceRecord;
import io.headroom.controller.store.DeviceState;
import io.headroom.controller.store.MetricSlot;
import io.headroom.controller.store.StateStore;
import io.headroom.protocol.TopicKind;
import io.headroom.protocol.Topics;
import io.headroom.protocol.wire.Command;
import io.headroom.protocol.wire.Result;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CommandServiceTest {

    private static final String SITE = "demo";
    private static final String AGENT = "rack-1";

    private final SteppableClock clock = new SteppableClock(Instant.parse("2024-05-01T12:00:00Z"));
    private final StateStore store = new StateStore();
    private final RecordingPublisher publisher = new RecordingPublisher();
    private CommandService commands;
    private DeviceRecord m1;

    @BeforeEach
    void setUp() {
        commands = new CommandService(SITE, store, publisher, clock, new SimpleMeterRegistry());
        m1 = device("m1", DeviceState.ONLINE);
        store.replaceAgentDevices(AGENT, List.of(m1, device("m2", DeviceState.STALE)), agent -> false);
    }

    private DeviceRecord device(String id, DeviceState state) {
        return new DeviceRecord(id, AGENT, "miner", "S19", "bitmain/stock", "", 3010,
                List.of(new MetricSlot("power", "", "W")), state, state == DeviceState.STALE ? "agent-death" : "",
                "", clock.instant());
    }

    private Result result(CommandView command, ResultStatus status, String reason, Double readBack) {
        Result.Builder result = Result.newBuilder().setBootId(1).setSeq(5).setCommandId(command.commandId())
                .setDeviceId(command.deviceId()).setStatus(status).setReason(reason).setTimestampMs(1);
        if (readBack != null) {
            result.setReadBack(readBack);
        }
        return result.build();
    }

    @Test
    void send_validCommand_publishesOnAgentCmdTopicWithExpiryAndTracksDispatched() throws Exception {
        CommandView view = commands.send("m1", Verb.VERB_SET_POWER_TARGET, 2800, Duration.ofMillis(2500));

        RecordingPublisher.Published published = publisher.all().get(0);
        assertThat(published.topic()).isEqualTo(Topics.agent(SITE, AGENT, TopicKind.CMD));
        assertThat(published.messageExpirySeconds()).isEqualTo(3);
        assertThat(published.retain()).isFalse();
        Command command = publisher.commands().get(0);
        assertThat(command.getCommandId()).isEqualTo(view.commandId());
        assertThat(command.getDeviceId()).isEqualTo("m1");
        assertThat(command.getVerb()).isEqualTo(Verb.VERB_SET_POWER_TARGET);
        assertThat(command.getValue()).isEqualTo(2800);
        assertThat(command.getTtlMs()).isEqualTo(2500);
        assertThat(command.getIssuedAtMs()).isEqualTo(clock.millis());
        assertThat(view.state()).isEqualTo(CommandState.DISPATCHED);
        assertThat(view.value()).isEqualTo(2800.0);
        assertThat(commands.command(view.commandId())).contains(view);
    }

    @Test
    void send_sameDevice_versionGrowsEvenWithinOneMillisecond() throws Exception {
        commands.send("m1", Verb.VERB_SLEEP, 0, Duration.ofSeconds(30));
        commands.send("m1", Verb.VERB_WAKE, 0, Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(10));
        commands.send("m1", Verb.VERB_SLEEP, 0, Duration.ofSeconds(30));

        List<Command> sent = publisher.commands();
        long start = Instant.parse("2024-05-01T12:00:00Z").toEpochMilli();
        assertThat(sent).extracting(Command::getVersion).containsExactly(start, start + 1, start + 10_000);
    }

    @Test
    void send_staleDevice_refusedWithReasonAndNothingPublished() {
        assertThatThrownBy(() -> commands.send("m2", Verb.VERB_SLEEP, 0, Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(CommandRefusedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(CommandRefusedException.Reason.DEVICE_UNAVAILABLE);
                    assertThat(e.getMessage()).contains("m2 is STALE").contains("agent-death");
                });
        assertThat(publisher.all()).isEmpty();
    }

    @Test
    void send_unknownDeviceOrBadTtlOrValue_refused() {
        assertThatThrownBy(() -> commands.send("nope", Verb.VERB_SLEEP, 0, Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(CommandRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(CommandRefusedException.Reason.UNKNOWN_DEVICE));
        assertThatThrownBy(() -> commands.send("m1", Verb.VERB_SLEEP, 0, Duration.ofMillis(999)))
                .isInstanceOfSatisfying(CommandRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(CommandRefusedException.Reason.INVALID));
        assertThatThrownBy(() -> commands.send("m1", Verb.VERB_SLEEP, 0, Duration.ofMinutes(11)))
                .isInstanceOf(CommandRefusedException.class);
        assertThatThrownBy(() -> commands.send("m1", Verb.VERB_SET_POWER_TARGET, Double.NaN, Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(CommandRefusedException.class,
                        e -> assertThat(e.getMessage()).startsWith("value:"));
        assertThat(publisher.all()).isEmpty();
    }

    @Test
    void send_agentNotSubscribed_refusedAndNotTracked() {
        publisher.subscribers(0);

        assertThatThrownBy(() -> commands.send("m1", Verb.VERB_SLEEP, 0, Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(CommandRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(CommandRefusedException.Reason.DEVICE_UNAVAILABLE));
        assertThat(commands.recentForDevice("m1", 10)).isEmpty();
    }

    @Test
    void results_acceptedThenApplied_transitionWithReadBack() throws Exception {
        CommandView sent = commands.send("m1", Verb.VERB_SET_POWER_TARGET, 2800, Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(1));

        commands.commandResult(AGENT, result(sent, ResultStatus.RESULT_STATUS_ACCEPTED, "", null));
        assertThat(commands.command(sent.commandId()).orElseThrow().state()).isEqualTo(CommandState.ACCEPTED);
        clock.advance(Duration.ofSeconds(1));
        commands.commandResult(AGENT, result(sent, ResultStatus.RESULT_STATUS_APPLIED, "", 2795.0));

        CommandView view = commands.command(sent.commandId()).orElseThrow();
        assertThat(view.state()).isEqualTo(CommandState.APPLIED);
        assertThat(view.readBack()).isEqualTo(2795.0);
        assertThat(view.updatedAt()).isEqualTo(clock.instant());
    }

    @Test
    void results_rejected_isFinalAndLaterResultsIgnored() throws Exception {
        CommandView sent = commands.send("m1", Verb.VERB_SLEEP, 0, Duration.ofSeconds(30));

        commands.commandResult(AGENT, result(sent, ResultStatus.RESULT_STATUS_REJECTED, "unsupported", null));
        commands.commandResult(AGENT, result(sent, ResultStatus.RESULT_STATUS_APPLIED, "", null));

        CommandView view = commands.command(sent.commandId()).orElseThrow();
        assertThat(view.state()).isEqualTo(CommandState.REJECTED);
        assertThat(view.reason()).isEqualTo("unsupported");
    }

    @Test
    void results_fromAnotherAgent_ignored() throws Exception {
        CommandView sent = commands.send("m1", Verb.VERB_SLEEP, 0, Duration.ofSeconds(30));

        commands.commandResult("rack-2", result(sent, ResultStatus.RESULT_STATUS_APPLIED, "", null));

        assertThat(commands.command(sent.commandId()).orElseThrow().state()).isEqualTo(CommandState.DISPATCHED);
    }

    @Test
    void expiry_noFinalResultWithinTtlPlusGrace_expiredLazilyAndBySweep() throws Exception {
        CommandView lazy = commands.send("m1", Verb.VERB_SLEEP, 0, Duration.ofSeconds(10));
        CommandView swept = commands.send("m1", Verb.VERB_WAKE, 0, Duration.ofSeconds(10));
        commands.commandResult(AGENT, result(swept, ResultStatus.RESULT_STATUS_ACCEPTED, "", null));

        clock.advance(Duration.ofSeconds(15));
        assertThat(commands.sweep()).isZero();
        assertThat(commands.command(lazy.commandId()).orElseThrow().state()).isEqualTo(CommandState.DISPATCHED);

        clock.advance(Duration.ofMillis(1));
        assertThat(commands.command(lazy.commandId()).orElseThrow().state()).isEqualTo(CommandState.EXPIRED);
        assertThat(commands.sweep()).isEqualTo(1);
        CommandView expired = commands.command(swept.commandId()).orElseThrow();
        assertThat(expired.state()).isEqualTo(CommandState.EXPIRED);
        assertThat(expired.reason()).isEqualTo("no-result");
    }

    @Test
    void expiry_thenLateFinalResult_replacesTheGuess() throws Exception {
        CommandView sent = commands.send("m1", Verb.VERB_SLEEP, 0, Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(7));
        commands.sweep();

        commands.commandResult(AGENT, result(sent, ResultStatus.RESULT_STATUS_APPLIED, "", 2.0));

        assertThat(commands.command(sent.commandId()).orElseThrow().state()).isEqualTo(CommandState.APPLIED);
    }

    @Test
    void recentForDevice_newestFirstAndLimited() throws Exception {
        CommandView first = commands.send("m1", Verb.VERB_SLEEP, 0, Duration.ofSeconds(30));
        CommandView second = commands.send("m1", Verb.VERB_WAKE, 0, Duration.ofSeconds(30));
        CommandView third = commands.send("m1", Verb.VERB_SLEEP, 0, Duration.ofSeconds(30));

        assertThat(commands.recentForDevice("m1", 2)).extracting(CommandView::commandId)
                .containsExactly(third.commandId(), second.commandId());
        assertThat(commands.recentForDevice("m1", 50)).extracting(CommandView::commandId)
                .endsWith(first.commandId());
        assertThat(commands.recentForDevice("m2", 50)).isEmpty();
    }

    @Test
    void history_keepsTheLastTenThousand() throws Exception {
        CommandView oldest = commands.send("m1", Verb.VERB_SLEEP, 0, Duration.ofSeconds(30));
        for (int i = 0; i < CommandService.HISTORY; i++) {
            commands.send("m1", Verb.VERB_WAKE, 0, Duration.ofSeconds(30));
        }

        assertThat(commands.command(oldest.commandId())).isEmpty();
        assertThat(m1.status()).isEqualTo(DeviceState.ONLINE);
    }
}
