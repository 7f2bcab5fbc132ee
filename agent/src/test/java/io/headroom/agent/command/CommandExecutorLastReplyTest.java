package io.headroom.agent.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.agent.TestDevices;
import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.rawreply.RawReply;
import io.headroom.protocol.WireCodec;
import io.headroom.protocol.wire.Command;
import io.headroom.protocol.wire.Result;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** read-last-reply: answered from memory, touching neither the device, its version nor its hold. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CommandExecutorLastReplyTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final RawReply RAW =
            new RawReply("summary\nversion", "### summary\n{\"STATUS\":[]}\n\n", 1_700_000_000_000L, true);

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final List<Result> results = new CopyOnWriteArrayList<>();
    private final List<Verb> runs = new CopyOnWriteArrayList<>();
    private final List<Command> observed = new CopyOnWriteArrayList<>();
    private final CommandExecutor executor = new CommandExecutor(
            device -> Optional.ofNullable(
                    TestDevices.capabilities("luxor/luxos", "m1", "m2").get(device)),
            (device, verb, value, instance, deadline) -> {
                runs.add(verb);
                return CompletableFuture.completedFuture(
                        new CommandOutcome(ResultStatus.RESULT_STATUS_APPLIED, "", "", OptionalDouble.of(0)));
            },
            new CommandObserver() {
                @Override
                public void accepted(Command command) {
                    observed.add(command);
                }

                @Override
                public void finished(Command command, ResultStatus status) {}
            },
            builder -> results.add(builder.build()),
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            Clock.fixed(NOW, ZoneOffset.UTC),
            nanos::get,
            new SimpleMeterRegistry(),
            device -> Optional.ofNullable(Map.of("m1", RAW).get(device)));

    @AfterEach
    void close() {
        executor.close();
    }

    private static Command.Builder command(String id, String device, Verb verb, long version) {
        return Command.newBuilder()
                .setCommandId(id)
                .setDeviceId(device)
                .setVerb(verb)
                .setIssuedAtMs(NOW.toEpochMilli() - 1_000)
                .setTtlMs(10_000)
                .setVersion(version);
    }

    private void receive(Command.Builder command) throws Exception {
        executor.receive(WireCodec.encode(command.build()), nanos.get(), null);
        executor.awaitIdle();
    }

    @Test
    void readLastReply_isAppliedAtOnceWithTheRawReply_withoutAskingTheDevice() throws Exception {
        receive(command("r1", "m1", Verb.VERB_READ_LAST_REPLY, 5));

        assertThat(results).singleElement().satisfies(result -> {
            assertThat(result.getStatus()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
            assertThat(result.getRawReply()).isEqualTo(RAW.reply());
            assertThat(result.getRawRequest()).isEqualTo("summary\nversion");
            assertThat(result.getRawReadAtMs()).isEqualTo(1_700_000_000_000L);
            assertThat(result.getRawTruncated()).isTrue();
            assertThat(result.hasReadBack()).isFalse();
        });
        assertThat(runs).isEmpty();
        assertThat(observed).as("not a set-point: nothing to hold").isEmpty();
    }

    @Test
    void readLastReply_takesNoVersionSlot_anOlderVersionIsNotStale_andASetPointAfterItIsNot() throws Exception {
        receive(command("s1", "m1", Verb.VERB_SLEEP, 10));
        receive(command("r1", "m1", Verb.VERB_READ_LAST_REPLY, 20));
        receive(command("s2", "m1", Verb.VERB_WAKE, 11));
        receive(command("r2", "m1", Verb.VERB_READ_LAST_REPLY, 3));

        assertThat(results)
                .filteredOn(r -> r.getCommandId().equals("s2"))
                .extracting(Result::getStatus)
                .containsExactly(ResultStatus.RESULT_STATUS_ACCEPTED, ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(results)
                .filteredOn(r -> r.getCommandId().equals("r2"))
                .extracting(Result::getStatus)
                .containsExactly(ResultStatus.RESULT_STATUS_APPLIED);
    }

    @Test
    void readLastReply_beforeAnyPoll_failsNoReplyYet_inWords() throws Exception {
        receive(command("r1", "m2", Verb.VERB_READ_LAST_REPLY, 1));

        assertThat(results).singleElement().satisfies(result -> {
            assertThat(result.getStatus()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
            assertThat(result.getReason()).isEqualTo("no-reply-yet");
            assertThat(result.getMessage()).contains("m2");
            assertThat(result.hasRawReply()).isFalse();
        });
    }

    @Test
    void readLastReply_ofAnUnknownDevice_orExpired_isRejectedLikeAnyCommand() throws Exception {
        receive(command("r1", "nope", Verb.VERB_READ_LAST_REPLY, 1));
        receive(command("r2", "m1", Verb.VERB_READ_LAST_REPLY, 1).setIssuedAtMs(NOW.toEpochMilli() - 60_000));

        assertThat(results).extracting(Result::getReason).containsExactly("unknown-device", "expired");
    }

    @Test
    void aVerbThisAgentDoesNotKnow_isRejectedUnsupported_withItsCommandId() throws Exception {
        receive(command("x1", "m1", Verb.VERB_SLEEP, 1).setVerbValue(99));

        assertThat(results).singleElement().satisfies(result -> {
            assertThat(result.getCommandId()).isEqualTo("x1");
            assertThat(result.getStatus()).isEqualTo(ResultStatus.RESULT_STATUS_REJECTED);
            assertThat(result.getReason()).isEqualTo("unsupported");
            assertThat(result.getMessage()).contains("does not know verb 99");
        });
        assertThat(runs).isEmpty();
    }
}
