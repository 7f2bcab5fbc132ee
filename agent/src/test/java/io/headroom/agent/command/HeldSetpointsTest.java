package io.headroom.agent.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.driver.Reading;
import io.headroom.agent.publish.ControllerStateReceipt;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.Mode;
import io.headroom.protocol.wire.Capability;
import io.headroom.protocol.wire.Command;
import io.headroom.protocol.wire.ControllerState;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.Quality;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import io.headroom.testkit.ManualClock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hold and reconcile rules of {@link HeldSetpoints} on manual time: a fake runner stands for the
 * device's lane, polls are built from readings. The driver path is in {@code HeldSetpointsSimulatorIT}.
 */
class HeldSetpointsTest {
    private static final Instant START = Instant.parse("2026-12-01T12:00:00Z");
    private static final int LEASE_MS = 60_000;

    private final ManualClock clock = new ManualClock(START, Long.MAX_VALUE - 3_600_000_000_000L);
    private final AtomicReference<ControllerStateReceipt> state = new AtomicReference<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<Run> runs = new CopyOnWriteArrayList<>();
    private CompletableFuture<CommandOutcome> nextOutcome = applied();
    private final Map<String, List<Capability>> capabilities = Map.of(
            "m1",
            List.of(
                    Capability.newBuilder().setVerb(Verb.VERB_SLEEP).build(),
                    Capability.newBuilder().setVerb(Verb.VERB_WAKE).build(),
                    Capability.newBuilder()
                            .setVerb(Verb.VERB_SET_POWER_TARGET)
                            .setReadBackMetric(MetricDictionary.POWER_TARGET)
                            .setTolerance(50)
                            .build()),
            "pdu1",
            List.of(
                    Capability.newBuilder().setVerb(Verb.VERB_OUTLET_OFF).build(),
                    Capability.newBuilder().setVerb(Verb.VERB_OUTLET_ON).build()));
    private HeldSetpoints held;

    record Run(String device, Verb verb, double value, String instance) {}

    private static CompletableFuture<CommandOutcome> applied() {
        return CompletableFuture.completedFuture(
                new CommandOutcome(ResultStatus.RESULT_STATUS_APPLIED, "", "confirmed", OptionalDouble.empty()));
    }

    @BeforeEach
    void setUp() {
        held = new HeldSetpoints(
                device -> Optional.ofNullable(capabilities.get(device)),
                (device, verb, value, instance, deadline) -> {
                    runs.add(new Run(device, verb, value, instance));
                    return nextOutcome;
                },
                new LeaseWatch(() -> Optional.ofNullable(state.get()), clock::nanoTime),
                clock,
                clock::nanoTime,
                Duration.ofSeconds(30),
                Duration.ofHours(24),
                registry);
        renewLease();
    }

    private void renewLease() {
        state.set(new ControllerStateReceipt(
                ControllerState.newBuilder()
                        .setOnline(true)
                        .setLeaseMs(LEASE_MS)
                        .setControllerId("c1")
                        .build(),
                clock.nanoTime()));
    }

    private void controllerOffline() {
        state.set(new ControllerStateReceipt(
                ControllerState.newBuilder()
                        .setOnline(false)
                        .setLeaseMs(LEASE_MS)
                        .setControllerId("c1")
                        .build(),
                clock.nanoTime()));
    }

    private static Command.Builder command(String id, String device, Verb verb, long version) {
        return Command.newBuilder()
                .setCommandId(id)
                .setDeviceId(device)
                .setVerb(verb)
                .setIssuedAtMs(START.toEpochMilli())
                .setTtlMs(30_000)
                .setVersion(version);
    }

    private void apply(Command.Builder command) {
        Command built = command.build();
        held.accepted(built);
        held.finished(built, ResultStatus.RESULT_STATUS_APPLIED);
    }

    private static PollResult poll(Reading... readings) {
        return new PollResult(START, DeviceHealth.DEVICE_HEALTH_ONLINE, "", "", null, List.of(readings));
    }

    private static Reading mode(Mode mode) {
        return Reading.of(MetricDictionary.MODE, "", mode.code());
    }

    private double reapplied(String reason, String direction) {
        Counter counter = registry.find("headroom.agent.setpoints.reapplied")
                .tag("reason", reason)
                .tag("direction", direction)
                .tag("status", "applied")
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private double withheld(String reason) {
        Counter counter = registry.find("headroom.agent.setpoints.raise.withheld")
                .tag("reason", reason)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void leaseValid_heldSleep_deviceMiningAgain_sleepIsReapplied_andCounted() {
        apply(command("c1", "m1", Verb.VERB_SLEEP, 10));

        held.polled("m1", poll(mode(Mode.SLEEP)));
        assertThat(runs).isEmpty();

        held.polled("m1", poll(mode(Mode.NORMAL))); // rebooted: back to mining

        assertThat(runs).containsExactly(new Run("m1", Verb.VERB_SLEEP, 0, ""));
        assertThat(reapplied("mode", "curtail")).isEqualTo(1);
        assertThat(held.count()).isEqualTo(1);
    }

    @Test
    void reapply_atMostOncePerInterval_perDevice() {
        apply(command("c1", "m1", Verb.VERB_SLEEP, 10));

        held.polled("m1", poll(mode(Mode.NORMAL)));
        clock.advance(Duration.ofSeconds(29));
        renewLease();
        held.polled("m1", poll(mode(Mode.NORMAL)));
        assertThat(runs).hasSize(1);

        clock.advance(Duration.ofSeconds(1));
        held.polled("m1", poll(mode(Mode.NORMAL)));
        assertThat(runs).hasSize(2);
    }

    @Test
    void reapplyStillRunning_isNotSentAgain() {
        nextOutcome = new CompletableFuture<>();
        apply(command("c1", "m1", Verb.VERB_SLEEP, 10));

        held.polled("m1", poll(mode(Mode.NORMAL)));
        clock.advance(Duration.ofSeconds(45));
        renewLease();
        held.polled("m1", poll(mode(Mode.NORMAL)));

        assertThat(runs).hasSize(1);
        nextOutcome.complete(applied().join());
        held.polled("m1", poll(mode(Mode.NORMAL)));
        assertThat(runs).hasSize(2);
    }

    @Test
    void leaseValid_heldWake_deviceAsleep_wakeIsReapplied() {
        apply(command("c1", "m1", Verb.VERB_WAKE, 10));

        held.polled("m1", poll(mode(Mode.LOW_POWER)));
        assertThat(runs).as("low power is awake").isEmpty();

        held.polled("m1", poll(mode(Mode.SLEEP)));
        assertThat(runs).containsExactly(new Run("m1", Verb.VERB_WAKE, 0, ""));
        assertThat(reapplied("mode", "raise")).isEqualTo(1);
    }

    @Test
    void leaseLapsed_heldWake_deviceAsleep_isNeverWokenByTheAgent() {
        apply(command("c1", "m1", Verb.VERB_WAKE, 10).setHoldUntilMs(START.toEpochMilli() + 3_600_000));
        clock.advance(Duration.ofMillis(LEASE_MS)); // silent past the lease

        for (int i = 0; i < 5; i++) {
            held.polled("m1", poll(mode(Mode.SLEEP)));
            clock.advance(Duration.ofSeconds(31));
        }
        controllerOffline();
        held.polled("m1", poll(mode(Mode.SLEEP)));

        assertThat(runs).isEmpty();
        assertThat(withheld("mode")).isEqualTo(6);
    }

    @Test
    void leaseLapsed_curtailmentWithinHoldUntil_isReapplied_untilHoldUntil_thenLeftAsItIs() {
        long holdUntil = START.toEpochMilli() + 600_000; // the event ends in 10 minutes
        apply(command("c1", "m1", Verb.VERB_SLEEP, 10).setHoldUntilMs(holdUntil));
        controllerOffline();

        clock.advance(Duration.ofMinutes(5));
        held.polled("m1", poll(mode(Mode.NORMAL)));
        assertThat(runs).containsExactly(new Run("m1", Verb.VERB_SLEEP, 0, ""));
        assertThat(held.enforced()).isEqualTo(1);

        clock.advance(Duration.ofMinutes(5)); // hold_until reached
        held.polled("m1", poll(mode(Mode.NORMAL)));
        clock.advance(Duration.ofMinutes(5));
        held.polled("m1", poll(mode(Mode.SLEEP)));

        assertThat(runs)
                .as("nothing after hold_until: neither sleep again nor a wake")
                .hasSize(1);
        assertThat(held.enforced()).isZero();
        assertThat(held.count()).as("kept for when a lease comes back").isEqualTo(1);
    }

    @Test
    void leaseLapsed_curtailmentWithoutHoldUntil_isHeldOnlyUnderTheLease() {
        apply(command("c1", "m1", Verb.VERB_SLEEP, 10));
        clock.advance(Duration.ofMillis(LEASE_MS));

        held.polled("m1", poll(mode(Mode.NORMAL)));
        assertThat(runs).isEmpty();

        renewLease(); // the controller is back: the hold resumes
        held.polled("m1", poll(mode(Mode.NORMAL)));
        assertThat(runs).containsExactly(new Run("m1", Verb.VERB_SLEEP, 0, ""));
    }

    @Test
    void powerTarget_lowerThanSeen_isACurtailment_higherIsARaise_withheldAfterTheLease() {
        long holdUntil = START.toEpochMilli() + 3_600_000;
        apply(command("c1", "m1", Verb.VERB_SET_POWER_TARGET, 10).setValue(2500).setHoldUntilMs(holdUntil));
        controllerOffline();

        held.polled("m1", poll(Reading.of(MetricDictionary.POWER_TARGET, "", 2540))); // within tolerance
        assertThat(runs).isEmpty();
        held.polled("m1", poll(Reading.of(MetricDictionary.POWER_TARGET, "", 3250))); // back at default
        assertThat(runs).containsExactly(new Run("m1", Verb.VERB_SET_POWER_TARGET, 2500, ""));
        assertThat(reapplied("power-target", "curtail")).isEqualTo(1);

        clock.advance(Duration.ofMinutes(1));
        held.polled("m1", poll(Reading.of(MetricDictionary.POWER_TARGET, "", 2000))); // lower than held
        assertThat(runs).as("raising 2000 W to 2500 W is not the agent's call").hasSize(1);
        assertThat(withheld("power-target")).isEqualTo(1);
    }

    @Test
    void outletOff_heldPerOutlet_reappliedWhenTheOutletIsOnAgain() {
        apply(command("c1", "pdu1", Verb.VERB_OUTLET_OFF, 3).setInstance("4"));
        apply(command("c2", "pdu1", Verb.VERB_OUTLET_OFF, 4).setInstance("5"));

        held.polled(
                "pdu1",
                poll(
                        Reading.of(MetricDictionary.OUTLET_STATE, "4", 0),
                        Reading.of(MetricDictionary.OUTLET_STATE, "5", 1)));

        assertThat(held.count()).isEqualTo(2);
        assertThat(runs).containsExactly(new Run("pdu1", Verb.VERB_OUTLET_OFF, 0, "5"));
        assertThat(reapplied("outlet", "curtail")).isEqualTo(1);
    }

    @Test
    void olderVersion_neverReplacesANewerHeldOne_wakeReplacesSleep() {
        apply(command("c2", "m1", Verb.VERB_SLEEP, 20));
        apply(command("c1", "m1", Verb.VERB_WAKE, 19)); // a delayed old intent

        assertThat(held.snapshot()).singleElement().satisfies(h -> {
            assertThat(h.commandId()).isEqualTo("c2");
            assertThat(h.verb()).isEqualTo(Verb.VERB_SLEEP);
        });

        apply(command("c3", "m1", Verb.VERB_WAKE, 21)); // the restore is a set-point too
        assertThat(held.snapshot())
                .singleElement()
                .satisfies(h -> assertThat(h.verb()).isEqualTo(Verb.VERB_WAKE));
        held.polled("m1", poll(mode(Mode.NORMAL)));
        assertThat(runs).isEmpty();
    }

    @Test
    void onlyAppliedSetpointsAreHeld_actionsAndFailuresAreNot() {
        Command failed = command("c1", "m1", Verb.VERB_SLEEP, 10).build();
        held.accepted(failed);
        held.finished(failed, ResultStatus.RESULT_STATUS_FAILED);
        apply(command("c2", "m1", Verb.VERB_REBOOT, 11));
        apply(command("c3", "m1", Verb.VERB_LOCATE_ON, 12));

        assertThat(held.count()).isZero();
    }

    @Test
    void newerCommandFailing_releasesTheSlot_soTheReplacedIntentIsNotPutBack() {
        apply(command("c1", "m1", Verb.VERB_SLEEP, 10));
        Command wake = command("c2", "m1", Verb.VERB_WAKE, 11).build();
        held.accepted(wake);
        held.finished(wake, ResultStatus.RESULT_STATUS_FAILED); // e.g. a read-back mismatch while ramping
        Command stale = command("c0", "m1", Verb.VERB_WAKE, 9).build();
        held.accepted(stale);
        held.finished(stale, ResultStatus.RESULT_STATUS_FAILED);

        held.polled("m1", poll(mode(Mode.NORMAL)));

        assertThat(held.count()).isZero();
        assertThat(runs).isEmpty();
    }

    @Test
    void olderCommandFailing_keepsTheNewerHeldOne() {
        apply(command("c2", "m1", Verb.VERB_SLEEP, 10));
        Command older = command("c1", "m1", Verb.VERB_WAKE, 9).build();
        held.accepted(older);
        held.finished(older, ResultStatus.RESULT_STATUS_FAILED);

        assertThat(held.count()).isEqualTo(1);
    }

    @Test
    void controllerCommandRunning_pausesReconcileOfThatDevice() {
        apply(command("c1", "m1", Verb.VERB_SLEEP, 10));
        Command wake = command("c2", "m1", Verb.VERB_WAKE, 11).build();
        held.accepted(wake); // the device is waking on purpose

        held.polled("m1", poll(mode(Mode.NORMAL)));
        assertThat(runs).isEmpty();

        held.finished(wake, ResultStatus.RESULT_STATUS_APPLIED);
        held.polled("m1", poll(mode(Mode.NORMAL)));
        assertThat(runs).isEmpty();
    }

    @Test
    void offlinePoll_missingOrUncertainReading_isNoEvidenceOfDrift() {
        apply(command("c1", "m1", Verb.VERB_SLEEP, 10));

        held.polled("m1", PollResult.offline(START, "timeout", "no answer"));
        held.polled("m1", poll(Reading.of(MetricDictionary.POWER, "", 3000)));
        held.polled("m1", poll(new Reading(MetricDictionary.MODE, "", Mode.NORMAL.code(), Quality.QUALITY_UNCERTAIN)));
        held.polled("other", poll(mode(Mode.NORMAL)));

        assertThat(runs).isEmpty();
    }

    @Test
    void holdUntil_absentZeroNegative_areNoHold_negativeCounted() {
        apply(command("c1", "m1", Verb.VERB_SLEEP, 10));
        apply(command("c2", "m1", Verb.VERB_SET_POWER_TARGET, 11).setValue(2500).setHoldUntilMs(0));
        apply(command("c3", "m1", Verb.VERB_SLEEP, 12).setHoldUntilMs(-5));

        assertThat(held.snapshot()).extracting(HeldSetpoint::holdUntilMs).containsOnly(0L);
        assertThat(registry.get("headroom.agent.setpoints.hold_until.invalid")
                        .tag("problem", "negative")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void holdUntil_beyondMaxHold_isClampedToIssuedAtPlusMaxHold() {
        apply(command("c1", "m1", Verb.VERB_SLEEP, 10).setHoldUntilMs(Long.MAX_VALUE));
        controllerOffline();

        assertThat(held.snapshot())
                .singleElement()
                .extracting(HeldSetpoint::holdUntilMs)
                .isEqualTo(START.toEpochMilli() + Duration.ofHours(24).toMillis());
        clock.advance(Duration.ofHours(23));
        held.polled("m1", poll(mode(Mode.NORMAL)));
        clock.advance(Duration.ofHours(1));
        held.polled("m1", poll(mode(Mode.NORMAL)));

        assertThat(runs).hasSize(1);
        assertThat(registry.get("headroom.agent.setpoints.hold_until.invalid")
                        .tag("problem", "beyond-max-hold")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void holdUntil_alreadyPast_isNoHoldPastTheLease() {
        apply(command("c1", "m1", Verb.VERB_SLEEP, 10).setHoldUntilMs(START.toEpochMilli() - 1));
        controllerOffline();

        held.polled("m1", poll(mode(Mode.NORMAL)));

        assertThat(runs).isEmpty();
    }

    @Test
    void gauges_heldCount_andLeaseValid() {
        apply(command("c1", "m1", Verb.VERB_SLEEP, 10));
        assertThat(registry.get("headroom.agent.setpoints.held").gauge().value())
                .isEqualTo(1);
        assertThat(registry.get("headroom.agent.lease.valid").gauge().value()).isEqualTo(1);

        controllerOffline();
        assertThat(registry.get("headroom.agent.lease.valid").gauge().value()).isZero();
        assertThat(held.lease().status()).isEqualTo(LeaseWatch.Status.CONTROLLER_OFFLINE);
    }

    @Test
    void runnerFailure_isCountedFailed_andRetriedAfterTheInterval() {
        nextOutcome = CompletableFuture.completedFuture(
                new CommandOutcome(ResultStatus.RESULT_STATUS_FAILED, "timeout", "no answer", OptionalDouble.empty()));
        apply(command("c1", "m1", Verb.VERB_SLEEP, 10));

        held.polled("m1", poll(mode(Mode.NORMAL)));
        clock.advance(Duration.ofSeconds(30));
        renewLease();
        held.polled("m1", poll(mode(Mode.NORMAL)));

        assertThat(runs).hasSize(2);
        assertThat(registry.get("headroom.agent.setpoints.reapplied")
                        .tag("status", "failed")
                        .counter()
                        .count())
                .isEqualTo(2);
    }
}
