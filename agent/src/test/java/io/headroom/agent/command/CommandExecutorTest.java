package io.headroom.agent.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.headroom.agent.TestDevices;
import io.headroom.agent.driver.CommandOutcome;
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
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CommandExecutorTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final List<Result> results = new CopyOnWriteArrayList<>();
    private final List<Run> runs = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private CompletableFuture<CommandOutcome> nextOutcome = CompletableFuture.completedFuture(
            new CommandOutcome(ResultStatus.RESULT_STATUS_APPLIED, "", "confirmed", OptionalDouble.of(0)));
    private Duration grace = Duration.ofSeconds(5);
    private CommandExecutor executor;

    record Run(String deviceId, Verb verb, double value, String instance, long deadlineNanos) {}

    private CommandExecutor executor() {
        if (executor == null) {
            executor = new CommandExecutor(
                    TestDevices.capabilities("luxor/luxos", "m1", "m2"),
                    (device, verb, value, instance, deadline) -> {
                        runs.add(new Run(device, verb, value, instance, deadline));
                        return nextOutcome;
                    },
                    builder -> results.add(builder.build()),
                    Duration.ofSeconds(5),
                    grace,
                    clock,
                    nanos::get,
                    registry);
        }
        return executor;
    }

    @AfterEach
    void close() {
        if (executor != null) {
            executor.close();
        }
    }

    private static Command.Builder sleep(String id) {
        return Command.newBuilder()
                .setCommandId(id)
                .setDeviceId("m1")
                .setVerb(Verb.VERB_SLEEP)
                .setIssuedAtMs(NOW.toEpochMilli() - 1_000)
                .setTtlMs(30_000)
                .setVersion(10);
    }

    private void receive(Command.Builder command, Long expirySeconds) throws Exception {
        executor().receive(WireCodec.encode(command.build()), nanos.get(), expirySeconds);
        executor().awaitIdle();
    }

    @Test
    void validCommand_acceptedThenAppliedWithReadBack() throws Exception {
        receive(sleep("c1"), null);

        assertThat(results)
                .extracting(Result::getStatus)
                .containsExactly(ResultStatus.RESULT_STATUS_ACCEPTED, ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(results.get(1).getReadBack()).isZero();
        assertThat(results.get(1).getCommandId()).isEqualTo("c1");
        assertThat(runs).singleElement().satisfies(run -> {
            assertThat(run.deviceId()).isEqualTo("m1");
            assertThat(run.verb()).isEqualTo(Verb.VERB_SLEEP);
        });
        assertThat(registry.get("headroom.agent.commands")
                        .tag("status", "applied")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void repeatedCommandId_answeredWithStoredResult_andRunOnce() throws Exception {
        receive(sleep("c1"), null);
        receive(sleep("c1"), null);

        assertThat(runs).hasSize(1);
        assertThat(results)
                .extracting(Result::getStatus)
                .containsExactly(
                        ResultStatus.RESULT_STATUS_ACCEPTED,
                        ResultStatus.RESULT_STATUS_APPLIED,
                        ResultStatus.RESULT_STATUS_APPLIED);
    }

    @Test
    void ttlPassed_rejectedExpired_withoutRunning() throws Exception {
        // Issued 40 s ago with a 30 s ttl: beyond the 5 s skew tolerance.
        receive(sleep("c1").setIssuedAtMs(NOW.toEpochMilli() - 40_000), null);

        assertThat(runs).isEmpty();
        assertThat(results).singleElement().satisfies(result -> {
            assertThat(result.getStatus()).isEqualTo(ResultStatus.RESULT_STATUS_REJECTED);
            assertThat(result.getReason()).isEqualTo("expired");
        });
    }

    @Test
    void ttlPassedWithinSkewTolerance_stillRuns() throws Exception {
        receive(sleep("c1").setIssuedAtMs(NOW.toEpochMilli() - 33_000), null);

        assertThat(runs).hasSize(1);
    }

    @Test
    void issuedInTheFutureBeyondSkew_rejectedClockSkew() throws Exception {
        receive(sleep("c1").setIssuedAtMs(NOW.toEpochMilli() + 6_000), null);

        assertThat(runs).isEmpty();
        assertThat(results).singleElement().extracting(Result::getReason).isEqualTo("clock-skew");
    }

    @Test
    void unknownDevice_rejected() throws Exception {
        receive(sleep("c1").setDeviceId("elsewhere"), null);

        assertThat(runs).isEmpty();
        assertThat(results).singleElement().extracting(Result::getReason).isEqualTo("unknown-device");
    }

    @Test
    void olderVersionThanAccepted_rejectedStaleVersion_newerRuns() throws Exception {
        receive(sleep("c1").setVersion(10), null);
        receive(sleep("c2").setVerb(Verb.VERB_WAKE).setVersion(9), null);
        receive(sleep("c3").setVerb(Verb.VERB_WAKE).setVersion(11), null);

        assertThat(runs).extracting(Run::verb).containsExactly(Verb.VERB_SLEEP, Verb.VERB_WAKE);
        assertThat(results)
                .filteredOn(r -> r.getCommandId().equals("c2"))
                .singleElement()
                .extracting(Result::getReason)
                .isEqualTo("stale-version");
    }

    @Test
    void versionsAreTrackedPerDevice() throws Exception {
        receive(sleep("c1").setVersion(10), null);
        receive(sleep("c2").setDeviceId("m2").setVersion(3), null);

        assertThat(runs).extracting(Run::deviceId).containsExactly("m1", "m2");
    }

    @Test
    void deadline_isReceiptPlusRemainingTtl_cappedByMqttExpiry() throws Exception {
        long received = nanos.get();
        receive(sleep("c1"), null);
        receive(sleep("c2").setDeviceId("m2"), 2L);

        // c1: issued 1 s ago, ttl 30 s, tolerance 5 s: 34 s left, capped at the ttl itself.
        assertThat(runs.get(0).deadlineNanos()).isEqualTo(received + TimeUnit.SECONDS.toNanos(30));
        // c2: the broker says 2 s remain of its message expiry.
        assertThat(runs.get(1).deadlineNanos()).isEqualTo(received + TimeUnit.SECONDS.toNanos(2));
    }

    @Test
    void commandThatWaitedPastItsDeadlineInTheAgent_rejectedExpired() throws Exception {
        long receivedLongAgo = nanos.get() - TimeUnit.SECONDS.toNanos(3);
        executor().receive(WireCodec.encode(sleep("c1").build()), receivedLongAgo, 2L);
        executor().awaitIdle();

        assertThat(runs).isEmpty();
        assertThat(results).singleElement().extracting(Result::getReason).isEqualTo("expired");
    }

    @Test
    void deviceNeverAnswers_failedTimeout() {
        nextOutcome = new CompletableFuture<>();
        grace = Duration.ofMillis(50);
        executor().receive(WireCodec.encode(sleep("c1").setTtlMs(200).build()), nanos.get(), null);

        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(results)
                        .extracting(Result::getStatus)
                        .containsExactly(ResultStatus.RESULT_STATUS_ACCEPTED, ResultStatus.RESULT_STATUS_FAILED));
        assertThat(results.get(1).getReason()).isEqualTo("timeout");
    }

    @Test
    void driverFailure_reportedWithItsReason() throws Exception {
        nextOutcome = CompletableFuture.completedFuture(new CommandOutcome(
                ResultStatus.RESULT_STATUS_FAILED, "readback-mismatch", "still mining", OptionalDouble.of(1)));

        receive(sleep("c1"), null);

        assertThat(results.get(1).getStatus()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(results.get(1).getReason()).isEqualTo("readback-mismatch");
        assertThat(results.get(1).getReadBack()).isEqualTo(1);
    }

    @Test
    void malformedCommand_countedAndDropped_noResult() throws Exception {
        executor().receive(new byte[] {(byte) 0xff, 0x01}, nanos.get(), null);
        executor().receive(WireCodec.encode(sleep("c1").build()), nanos.get(), null);
        executor().awaitIdle();

        assertThat(registry.get("headroom.agent.commands.malformed").counter().count())
                .isEqualTo(1);
        assertThat(results).extracting(Result::getCommandId).containsOnly("c1");
    }

    @Test
    void observer_toldOfAcceptedAndFinished_notOfRejected_soOnlyAppliedSetpointsAreHeld() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        CommandObserver observer = new CommandObserver() {
            @Override
            public void accepted(Command command) {
                seen.add("accepted " + command.getCommandId());
            }

            @Override
            public void finished(Command command, ResultStatus status) {
                seen.add("finished " + command.getCommandId() + " " + status);
            }
        };
        executor = new CommandExecutor(
                id -> java.util.Optional.ofNullable(
                        TestDevices.capabilities("luxor/luxos", "m1").get(id)),
                (device, verb, value, instance, deadline) -> nextOutcome,
                observer,
                builder -> results.add(builder.build()),
                Duration.ofSeconds(5),
                grace,
                clock,
                nanos::get,
                registry);

        receive(sleep("c1").setHoldUntilMs(NOW.toEpochMilli() + 60_000), null);
        receive(sleep("c0").setVersion(9), null); // stale: rejected before it runs

        assertThat(seen).containsExactly("accepted c1", "finished c1 RESULT_STATUS_APPLIED");
    }
}
