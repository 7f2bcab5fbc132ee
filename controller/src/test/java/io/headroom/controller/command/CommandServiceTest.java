package io.headroom.controller.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.headroom.controller.RecordingPublisher;
import io.headroom.controller.SteppableClock;
import io.headroom.controller.store.DeviceCapability;
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
    private static final DeviceCapability POWER_TARGET = new DeviceCapability(
            Verb.VERB_SET_POWER_TARGET,
            "W",
            1200,
            3300,
            100,
            List.of(),
            Duration.ofSeconds(30),
            Duration.ofSeconds(60),
            "power.target",
            50,
            false);
    private static final List<DeviceCapability> MINER =
            List.of(DeviceCapability.of(Verb.VERB_SLEEP), DeviceCapability.of(Verb.VERB_WAKE), POWER_TARGET);
    private static final DeviceCapability OUTLET_OFF = new DeviceCapability(
            Verb.VERB_OUTLET_OFF, "", 0, 0, 0, List.of("1", "2"), Duration.ZERO, Duration.ZERO, "", 0, true);
    /** A setpoint in half degrees: a step that is not a whole number. */
    private static final DeviceCapability WRITE_POINT = new DeviceCapability(
            Verb.VERB_WRITE_POINT,
            "°C",
            15,
            30,
            0.5,
            List.of("supply.setpoint"),
            Duration.ofSeconds(5),
            Duration.ZERO,
            "",
            0,
            false);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RecordingPublisher publisher = new RecordingPublisher();
    private CommandService commands;
    private DeviceRecord m1;

    @BeforeEach
    void setUp() {
        commands = new CommandService(SITE, store, publisher, clock, registry);
        m1 = device("m1", DeviceState.ONLINE, MINER);
        store.replaceAgentDevices(
                AGENT,
                List.of(
                        m1,
                        device("m2", DeviceState.STALE, MINER),
                        device("p1", DeviceState.ONLINE, List.of(OUTLET_OFF, DeviceCapability.of(Verb.VERB_OUTLET_ON))),
                        device("c1", DeviceState.ONLINE, List.of(WRITE_POINT)),
                        device("bare", DeviceState.ONLINE, List.of())));
    }

    private DeviceRecord device(String id, DeviceState state, List<DeviceCapability> capabilities) {
        return new DeviceRecord(
                id,
                AGENT,
                "miner",
                "S19",
                "bitmain/stock",
                "",
                3010,
                List.of(new MetricSlot("power", "", "W")),
                capabilities,
                state,
                state == DeviceState.STALE ? "agent-death" : "",
                "",
                clock.instant());
    }

    private CommandRefusedException refusal(String device, Verb verb, Double value, String instance) {
        Throwable thrown = catchThrowable(() -> commands.send(device, verb, value, instance, Duration.ofSeconds(30)));
        assertThat(thrown).isInstanceOf(CommandRefusedException.class);
        return (CommandRefusedException) thrown;
    }

    private double refusedCount(String reason) {
        return registry.get("headroom.commands.refused")
                .tag("reason", reason)
                .counter()
                .count();
    }

    private Result result(CommandView command, ResultStatus status, String reason, Double readBack) {
        Result.Builder result = Result.newBuilder()
                .setBootId(1)
                .setSeq(5)
                .setCommandId(command.commandId())
                .setDeviceId(command.deviceId())
                .setStatus(status)
                .setReason(reason)
                .setTimestampMs(1);
        if (readBack != null) {
            result.setReadBack(readBack);
        }
        return result.build();
    }

    @Test
    void send_toADeviceTwoAgentsReport_isRefusedAsAConflictAndNothingIsPublished() {
        DeviceRecord impostor = new DeviceRecord(
                "m1",
                "rack-other",
                "miner",
                "S19",
                "bitmain/stock",
                "",
                3010,
                List.of(new MetricSlot("power", "", "W")),
                MINER,
                DeviceState.ONLINE,
                "",
                "",
                clock.instant());
        store.replaceAgentDevices("rack-other", List.of(impostor));

        CommandRefusedException refused = refusal("m1", Verb.VERB_SLEEP, null, null);

        assertThat(refused.reason()).isEqualTo(CommandRefusedException.Reason.DEVICE_UNAVAILABLE);
        assertThat(refused.getMessage()).contains("in conflict", AGENT, "rack-other");
        assertThat(publisher.commands()).isEmpty();
        assertThat(store.device("m1").orElseThrow().agent()).isEqualTo(AGENT);
    }

    @Test
    void send_validCommand_publishesOnAgentCmdTopicWithExpiryAndTracksDispatched() throws Exception {
        CommandView view = commands.send("m1", Verb.VERB_SET_POWER_TARGET, 2800.0, null, Duration.ofMillis(2500));

        RecordingPublisher.Published published = publisher.all().get(0);
        assertThat(published.topic()).isEqualTo(Topics.agent(SITE, AGENT, TopicKind.CMD));
        assertThat(published.messageExpirySeconds()).isEqualTo(3);
        assertThat(published.retain()).isFalse();
        Command command = publisher.commands().get(0);
        assertThat(command.getCommandId()).isEqualTo(view.commandId());
        assertThat(command.getDeviceId()).isEqualTo("m1");
        assertThat(command.getVerb()).isEqualTo(Verb.VERB_SET_POWER_TARGET);
        assertThat(command.getValue()).isEqualTo(2800);
        assertThat(command.getInstance()).isEmpty();
        assertThat(command.getTtlMs()).isEqualTo(2500);
        assertThat(command.getIssuedAtMs()).isEqualTo(clock.millis());
        assertThat(view.state()).isEqualTo(CommandState.DISPATCHED);
        assertThat(view.value()).isEqualTo(2800.0);
        assertThat(commands.command(view.commandId())).contains(view);
    }

    @Test
    void send_verbNotAmongCapabilities_refusedUnsupportedListingWhatItSupports() {
        CommandRefusedException e = refusal("m1", Verb.VERB_REBOOT, null, null);

        assertThat(e.reason()).isEqualTo(CommandRefusedException.Reason.UNSUPPORTED);
        assertThat(e.reason().code()).isEqualTo("unsupported");
        assertThat(e).hasMessage("m1 does not support reboot; it supports sleep, wake, set-power-target");
        assertThat(publisher.all()).isEmpty();
        assertThat(commands.recentForDevice("m1", 10)).isEmpty();
        assertThat(refusedCount("unsupported")).isEqualTo(1);
        assertThat(registry.get("headroom.commands.issued")
                        .tag("outcome", "refused")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void send_deviceWhoseBirthDeclaresNoCapabilities_supportsNothing() {
        CommandRefusedException e = refusal("bare", Verb.VERB_SLEEP, null, null);

        assertThat(e.reason()).isEqualTo(CommandRefusedException.Reason.UNSUPPORTED);
        assertThat(e)
                .hasMessage("bare does not support sleep; its birth declares no capabilities, so it supports"
                        + " no commands");
        assertThat(publisher.all()).isEmpty();
    }

    @Test
    void send_valueVerbWithoutValue_refusedValueRequired() {
        CommandRefusedException e = refusal("m1", Verb.VERB_SET_POWER_TARGET, null, null);

        assertThat(e.reason()).isEqualTo(CommandRefusedException.Reason.VALUE_REQUIRED);
        assertThat(e).hasMessage("set-power-target needs a value; m1 accepts 1200..3300 W");
        assertThat(refusedCount("value-required")).isEqualTo(1);
    }

    @Test
    void send_valueForVerbWithoutOne_refusedValueNotAllowed() {
        CommandRefusedException e = refusal("m1", Verb.VERB_SLEEP, 5.0, null);

        assertThat(e.reason()).isEqualTo(CommandRefusedException.Reason.VALUE_NOT_ALLOWED);
        assertThat(e).hasMessage("sleep takes no value; leave out 5");
        assertThat(publisher.all()).isEmpty();
    }

    @Test
    void send_valueOutsideRange_refusedOutOfRangeNamingTheRange() {
        CommandRefusedException above = refusal("m1", Verb.VERB_SET_POWER_TARGET, 3500.0, null);
        CommandRefusedException below = refusal("m1", Verb.VERB_SET_POWER_TARGET, 1199.5, null);

        assertThat(above.reason()).isEqualTo(CommandRefusedException.Reason.OUT_OF_RANGE);
        assertThat(above)
                .hasMessageStartingWith("3500 W is outside 1200..3300 W")
                .hasMessageContaining("set-power-target")
                .hasMessageContaining("m1");
        assertThat(below).hasMessageStartingWith("1199.5 W is outside 1200..3300 W");
        assertThat(refusedCount("out-of-range")).isEqualTo(2);
        assertThat(publisher.all()).isEmpty();
        assertThat(commands.recentForDevice("m1", 10)).isEmpty();
    }

    @Test
    void send_valueOffTheStepGrid_refusedOffStep() {
        CommandRefusedException e = refusal("m1", Verb.VERB_SET_POWER_TARGET, 2850.0, null);
        CommandRefusedException half = refusal("c1", Verb.VERB_WRITE_POINT, 22.3, "supply.setpoint");

        assertThat(e.reason()).isEqualTo(CommandRefusedException.Reason.OFF_STEP);
        assertThat(e).hasMessageStartingWith("2850 W is not 1200 + k×100 W");
        assertThat(half).hasMessageStartingWith("22.3 °C is not 15 + k×0.5 °C");
        assertThat(refusedCount("off-step")).isEqualTo(2);
        assertThat(publisher.all()).isEmpty();
    }

    @Test
    void send_rangeEndsAndFractionalSteps_areAccepted() throws Exception {
        commands.send("m1", Verb.VERB_SET_POWER_TARGET, 1200.0, null, Duration.ofSeconds(30));
        commands.send("m1", Verb.VERB_SET_POWER_TARGET, 3300.0, null, Duration.ofSeconds(30));
        commands.send("c1", Verb.VERB_WRITE_POINT, 22.5, "supply.setpoint", Duration.ofSeconds(30));

        assertThat(publisher.commands()).extracting(Command::getValue).containsExactly(1200.0, 3300.0, 22.5);
    }

    @Test
    void send_instanceMissingUnknownOrNotTaken_refusedUnknownInstanceListingTheValidOnes() {
        CommandRefusedException missing = refusal("p1", Verb.VERB_OUTLET_OFF, null, null);
        CommandRefusedException unknown = refusal("p1", Verb.VERB_OUTLET_OFF, null, "3");
        CommandRefusedException notTaken = refusal("m1", Verb.VERB_SLEEP, null, "1");
        CommandRefusedException noneListed = refusal("p1", Verb.VERB_OUTLET_ON, null, "");

        assertThat(List.of(missing, unknown, notTaken, noneListed))
                .extracting(CommandRefusedException::reason)
                .containsOnly(CommandRefusedException.Reason.UNKNOWN_INSTANCE);
        assertThat(missing).hasMessage("outlet-off on p1 needs an instance: one of 1, 2");
        assertThat(unknown).hasMessage("p1 has no outlet-off instance '3'; valid: 1, 2");
        assertThat(notTaken)
                .hasMessage("sleep on m1 applies to the device itself and takes no instance; leave out '1'");
        assertThat(noneListed).hasMessage("outlet-on needs an instance, but p1 lists none for it");
        assertThat(refusedCount("unknown-instance")).isEqualTo(4);
        assertThat(publisher.all()).isEmpty();
    }

    @Test
    void send_staleDeviceAndUnsupportedVerb_refusedUnsupported_becauseThatWillNeverWork() {
        assertThat(refusal("m2", Verb.VERB_REBOOT, null, null).reason())
                .isEqualTo(CommandRefusedException.Reason.UNSUPPORTED);
    }

    @Test
    void send_withinCapabilities_wireCommandCarriesValueAndInstance() throws Exception {
        CommandView outlet = commands.send("p1", Verb.VERB_OUTLET_OFF, null, "2", Duration.ofSeconds(30));
        CommandView point = commands.send("c1", Verb.VERB_WRITE_POINT, 21.0, "supply.setpoint", Duration.ofSeconds(30));

        List<Command> sent = publisher.commands();
        assertThat(sent.get(0).getVerb()).isEqualTo(Verb.VERB_OUTLET_OFF);
        assertThat(sent.get(0).getInstance()).isEqualTo("2");
        assertThat(sent.get(0).getValue()).isZero();
        assertThat(sent.get(1).getVerb()).isEqualTo(Verb.VERB_WRITE_POINT);
        assertThat(sent.get(1).getInstance()).isEqualTo("supply.setpoint");
        assertThat(sent.get(1).getValue()).isEqualTo(21.0);
        assertThat(outlet.instance()).isEqualTo("2");
        assertThat(outlet.value()).isNull();
        assertThat(point.value()).isEqualTo(21.0);
        assertThat(commands.command(point.commandId())).contains(point);
        assertThat(registry.get("headroom.commands.refused").counters())
                .allSatisfy(c -> assertThat(c.count()).isZero());
    }

    @Test
    void send_sameDevice_versionGrowsEvenWithinOneMillisecond() throws Exception {
        commands.send("m1", Verb.VERB_SLEEP, null, null, Duration.ofSeconds(30));
        commands.send("m1", Verb.VERB_WAKE, null, null, Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(10));
        commands.send("m1", Verb.VERB_SLEEP, null, null, Duration.ofSeconds(30));

        List<Command> sent = publisher.commands();
        long start = Instant.parse("2024-05-01T12:00:00Z").toEpochMilli();
        assertThat(sent).extracting(Command::getVersion).containsExactly(start, start + 1, start + 10_000);
    }

    @Test
    void send_staleDevice_refusedWithReasonAndNothingPublished() {
        assertThatThrownBy(() -> commands.send("m2", Verb.VERB_SLEEP, null, null, Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(CommandRefusedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(CommandRefusedException.Reason.DEVICE_UNAVAILABLE);
                    assertThat(e.getMessage()).contains("m2 is STALE").contains("agent-death");
                });
        assertThat(publisher.all()).isEmpty();
    }

    @Test
    void send_unknownDeviceOrBadTtlOrValue_refused() {
        assertThatThrownBy(() -> commands.send("nope", Verb.VERB_SLEEP, null, null, Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(
                        CommandRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(CommandRefusedException.Reason.UNKNOWN_DEVICE));
        assertThatThrownBy(() -> commands.send("m1", Verb.VERB_SLEEP, null, null, Duration.ofMillis(999)))
                .isInstanceOfSatisfying(
                        CommandRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(CommandRefusedException.Reason.INVALID));
        assertThatThrownBy(() -> commands.send("m1", Verb.VERB_SLEEP, null, null, Duration.ofMinutes(11)))
                .isInstanceOf(CommandRefusedException.class);
        assertThatThrownBy(
                        () -> commands.send("m1", Verb.VERB_SET_POWER_TARGET, Double.NaN, null, Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(
                        CommandRefusedException.class,
                        e -> assertThat(e.getMessage()).startsWith("value:"));
        assertThat(publisher.all()).isEmpty();
    }

    @Test
    void send_agentNotSubscribed_refusedAndNotTracked() {
        publisher.subscribers(0);

        assertThatThrownBy(() -> commands.send("m1", Verb.VERB_SLEEP, null, null, Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(
                        CommandRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(CommandRefusedException.Reason.DEVICE_UNAVAILABLE));
        assertThat(commands.recentForDevice("m1", 10)).isEmpty();
    }

    @Test
    void results_acceptedThenApplied_transitionWithReadBack() throws Exception {
        CommandView sent = commands.send("m1", Verb.VERB_SET_POWER_TARGET, 2800.0, null, Duration.ofSeconds(30));
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
        CommandView sent = commands.send("m1", Verb.VERB_SLEEP, null, null, Duration.ofSeconds(30));

        commands.commandResult(AGENT, result(sent, ResultStatus.RESULT_STATUS_REJECTED, "unsupported", null));
        commands.commandResult(AGENT, result(sent, ResultStatus.RESULT_STATUS_APPLIED, "", null));

        CommandView view = commands.command(sent.commandId()).orElseThrow();
        assertThat(view.state()).isEqualTo(CommandState.REJECTED);
        assertThat(view.reason()).isEqualTo("unsupported");
    }

    @Test
    void results_fromAnotherAgent_ignored() throws Exception {
        CommandView sent = commands.send("m1", Verb.VERB_SLEEP, null, null, Duration.ofSeconds(30));

        commands.commandResult("rack-2", result(sent, ResultStatus.RESULT_STATUS_APPLIED, "", null));

        assertThat(commands.command(sent.commandId()).orElseThrow().state()).isEqualTo(CommandState.DISPATCHED);
    }

    @Test
    void expiry_noFinalResultWithinTtlPlusGrace_expiredLazilyAndBySweep() throws Exception {
        CommandView lazy = commands.send("m1", Verb.VERB_SLEEP, null, null, Duration.ofSeconds(10));
        CommandView swept = commands.send("m1", Verb.VERB_WAKE, null, null, Duration.ofSeconds(10));
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
        CommandView sent = commands.send("m1", Verb.VERB_SLEEP, null, null, Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(7));
        commands.sweep();

        commands.commandResult(AGENT, result(sent, ResultStatus.RESULT_STATUS_APPLIED, "", 2.0));

        assertThat(commands.command(sent.commandId()).orElseThrow().state()).isEqualTo(CommandState.APPLIED);
    }

    @Test
    void recentForDevice_newestFirstAndLimited() throws Exception {
        CommandView first = commands.send("m1", Verb.VERB_SLEEP, null, null, Duration.ofSeconds(30));
        CommandView second = commands.send("m1", Verb.VERB_WAKE, null, null, Duration.ofSeconds(30));
        CommandView third = commands.send("m1", Verb.VERB_SLEEP, null, null, Duration.ofSeconds(30));

        assertThat(commands.recentForDevice("m1", 2))
                .extracting(CommandView::commandId)
                .containsExactly(third.commandId(), second.commandId());
        assertThat(commands.recentForDevice("m1", 50))
                .extracting(CommandView::commandId)
                .endsWith(first.commandId());
        assertThat(commands.recentForDevice("m2", 50)).isEmpty();
    }

    @Test
    void history_keepsTheLastTenThousand() throws Exception {
        CommandView oldest = commands.send("m1", Verb.VERB_SLEEP, null, null, Duration.ofSeconds(30));
        for (int i = 0; i < CommandService.HISTORY; i++) {
            commands.send("m1", Verb.VERB_WAKE, null, null, Duration.ofSeconds(30));
        }

        assertThat(commands.command(oldest.commandId())).isEmpty();
        assertThat(m1.status()).isEqualTo(DeviceState.ONLINE);
    }
}
