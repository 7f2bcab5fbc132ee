package io.headroom.agent.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.driver.Reading;
import io.headroom.agent.publish.ControllerStateReceipt;
import io.headroom.profiles.ThermalRule;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.Mode;
import io.headroom.protocol.wire.ControllerState;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.Quality;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import io.headroom.testkit.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LocalThermalTest {
    private static final Instant START = Instant.parse("2026-12-01T12:00:00Z");

    private final ManualClock clock = new ManualClock(START, 0);
    private final AtomicReference<ControllerStateReceipt> state = new AtomicReference<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<Verb> sent = new CopyOnWriteArrayList<>();
    private LocalThermal thermal;

    @BeforeEach
    void setUp() {
        thermal = new LocalThermal(
                device -> device.equals("m1") ? Optional.of(new ThermalRule(90, "sleep")) : Optional.empty(),
                (device, verb, value, instance, deadline) -> {
                    sent.add(verb);
                    return CompletableFuture.completedFuture(new CommandOutcome(
                            ResultStatus.RESULT_STATUS_APPLIED, "", "confirmed", OptionalDouble.empty()));
                },
                new LeaseWatch(() -> Optional.ofNullable(state.get()), clock::nanoTime),
                clock::nanoTime,
                Duration.ofSeconds(30),
                registry);
        state.set(new ControllerStateReceipt(
                ControllerState.newBuilder().setOnline(true).setLeaseMs(60_000).build(), clock.nanoTime()));
    }

    private static PollResult poll(double chipC, Mode mode) {
        return new PollResult(
                START,
                DeviceHealth.DEVICE_HEALTH_ONLINE,
                "",
                "",
                null,
                List.of(
                        Reading.of(MetricDictionary.TEMPERATURE_CHIP, "board1", 70),
                        Reading.of(MetricDictionary.TEMPERATURE_CHIP, "board2", chipC),
                        Reading.of(MetricDictionary.MODE, "", mode.code())));
    }

    @Test
    void leaseValid_hotChip_isTheControllersBusiness() {
        thermal.polled("m1", poll(95, Mode.NORMAL));

        assertThat(sent).isEmpty();
    }

    @Test
    void leaseLapsed_chipAtTheLimit_sleeps_onceAnInterval_andCounts() {
        clock.advance(Duration.ofSeconds(61));

        thermal.polled("m1", poll(89.9, Mode.NORMAL));
        assertThat(sent).isEmpty();

        thermal.polled("m1", poll(90, Mode.NORMAL));
        thermal.polled("m1", poll(92, Mode.NORMAL));
        assertThat(sent).containsExactly(Verb.VERB_SLEEP);

        clock.advance(Duration.ofSeconds(30));
        thermal.polled("m1", poll(92, Mode.NORMAL));
        assertThat(sent).containsExactly(Verb.VERB_SLEEP, Verb.VERB_SLEEP);
        assertThat(registry.get("headroom.agent.thermal.actions")
                        .tag("action", "sleep")
                        .tag("status", "applied")
                        .counter()
                        .count())
                .isEqualTo(2);
    }

    @Test
    void leaseLapsed_asleepCooledNoRuleOrBadReading_nothingSent_neverAWake() {
        clock.advance(Duration.ofSeconds(61));

        thermal.polled("m1", poll(95, Mode.SLEEP));
        thermal.polled("m1", poll(40, Mode.SLEEP)); // cooled: it stays asleep
        thermal.polled("m2", poll(95, Mode.NORMAL)); // its profile has no rule
        thermal.polled(
                "m1",
                new PollResult(
                        START,
                        DeviceHealth.DEVICE_HEALTH_ONLINE,
                        "",
                        "",
                        null,
                        List.of(new Reading(MetricDictionary.TEMPERATURE_CHIP, "", 120, Quality.QUALITY_BAD))));

        assertThat(sent).isEmpty();
    }
}
