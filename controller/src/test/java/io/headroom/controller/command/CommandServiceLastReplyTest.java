package io.headroom.controller.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.headroom.controller.RecordingPublisher;
import io.headroom.controller.SteppableClock;
import io.headroom.controller.store.DeviceCapability;
import io.headroom.controller.store.DeviceRecord;
import io.headroom.controller.store.DeviceState;
import io.headroom.controller.store.MetricSlot;
import io.headroom.controller.store.StateStore;
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

/** read-last-reply in the command service: no capability needed, nothing to carry, its raw reply kept. */
class CommandServiceLastReplyTest {

    private static final String AGENT = "rack-1";

    private final SteppableClock clock = new SteppableClock(Instant.parse("2024-05-01T12:00:00Z"));
    private final StateStore store = new StateStore();
    private final RecordingPublisher publisher = new RecordingPublisher();
    private CommandService commands;

    @BeforeEach
    void setUp() {
        commands = new CommandService("demo", store, publisher, clock, new SimpleMeterRegistry());
        store.replaceAgentDevices(
                AGENT,
                List.of(
                        device("bare", DeviceState.ONLINE, List.of()),
                        device("gone", DeviceState.STALE, List.of(DeviceCapability.of(Verb.VERB_SLEEP)))));
    }

    private DeviceRecord device(String id, DeviceState state, List<DeviceCapability> capabilities) {
        return new DeviceRecord(
                id,
                AGENT,
                "miner",
                "S19",
                "luxor/luxos",
                "",
                3010,
                List.of(new MetricSlot("power", "", "W")),
                capabilities,
                state,
                state == DeviceState.STALE ? "agent-death" : "",
                "",
                clock.instant());
    }

    @Test
    void aDeviceWithoutAnyCapability_isStillAskedForItsLastReply() throws Exception {
        CommandView sent = commands.send("bare", Verb.VERB_READ_LAST_REPLY, null, "", Duration.ofSeconds(10));

        Command command = publisher.commands().get(0);
        assertThat(command.getVerb()).isEqualTo(Verb.VERB_READ_LAST_REPLY);
        assertThat(command.getDeviceId()).isEqualTo("bare");
        assertThat(sent.state()).isEqualTo(CommandState.DISPATCHED);
    }

    @Test
    void aValueOrAnInstance_isRefusedInvalid_andAStaleDeviceUnavailable() {
        Throwable value =
                catchThrowable(() -> commands.send("bare", Verb.VERB_READ_LAST_REPLY, 1.0, "", Duration.ofSeconds(10)));
        Throwable instance = catchThrowable(
                () -> commands.send("bare", Verb.VERB_READ_LAST_REPLY, null, "1", Duration.ofSeconds(10)));
        Throwable stale = catchThrowable(
                () -> commands.send("gone", Verb.VERB_READ_LAST_REPLY, null, "", Duration.ofSeconds(10)));

        assertThat(((CommandRefusedException) value).reason()).isEqualTo(CommandRefusedException.Reason.INVALID);
        assertThat(value).hasMessage("read-last-reply takes no value and no instance");
        assertThat(((CommandRefusedException) instance).reason()).isEqualTo(CommandRefusedException.Reason.INVALID);
        assertThat(((CommandRefusedException) stale).reason())
                .isEqualTo(CommandRefusedException.Reason.DEVICE_UNAVAILABLE);
        assertThat(publisher.all()).isEmpty();
    }

    @Test
    void theAgentsRawReply_isKeptByCommandId_asItCame() throws Exception {
        CommandView sent = commands.send("bare", Verb.VERB_READ_LAST_REPLY, null, "", Duration.ofSeconds(10));
        assertThat(commands.rawReply(sent.commandId())).isEmpty();

        commands.commandResult(
                AGENT,
                Result.newBuilder()
                        .setCommandId(sent.commandId())
                        .setDeviceId("bare")
                        .setStatus(ResultStatus.RESULT_STATUS_APPLIED)
                        .setRawReply("{\"STATUS\":[{\"STATUS\":\"S\"}]}<script>")
                        .setRawRequest("summary")
                        .setRawReadAtMs(1_714_564_800_000L)
                        .setRawTruncated(true)
                        .build());

        RawReplyView raw = commands.rawReply(sent.commandId()).orElseThrow();
        assertThat(raw.reply()).isEqualTo("{\"STATUS\":[{\"STATUS\":\"S\"}]}<script>");
        assertThat(raw.request()).isEqualTo("summary");
        assertThat(raw.readAt()).isEqualTo(Instant.ofEpochMilli(1_714_564_800_000L));
        assertThat(raw.truncated()).isTrue();
        assertThat(commands.command(sent.commandId()).orElseThrow().state()).isEqualTo(CommandState.APPLIED);
    }

    @Test
    void onlyTheNewestRawRepliesAreKept() throws Exception {
        String first = null;
        String last = null;
        for (int i = 0; i <= RawReplies.KEPT; i++) {
            CommandView sent = commands.send("bare", Verb.VERB_READ_LAST_REPLY, null, "", Duration.ofSeconds(10));
            commands.commandResult(
                    AGENT,
                    Result.newBuilder()
                            .setCommandId(sent.commandId())
                            .setDeviceId("bare")
                            .setStatus(ResultStatus.RESULT_STATUS_APPLIED)
                            .setRawReply("reply " + i)
                            .build());
            first = first == null ? sent.commandId() : first;
            last = sent.commandId();
        }

        assertThat(commands.rawReply(first)).isEmpty();
        assertThat(commands.rawReply(last).orElseThrow().reply()).isEqualTo("reply " + RawReplies.KEPT);
    }
}
