package io.headroom.agent.command;

import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.driver.Reading;
import io.headroom.agent.schedule.PollListener;
import io.headroom.agent.time.MonotonicClock;
import io.headroom.profiles.ThermalRule;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.Mode;
import io.headroom.protocol.wire.Quality;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The profile's local thermal rule ({@code thermal: {max-chip-c, action}}), applied by the agent on its
 * own only while the controller's lease has lapsed: while a controller is in charge it handles thermal
 * curtailment itself. At or above {@code max-chip-c} on any {@code temperature.chip} reading (good or
 * uncertain; a BAD one is no reading) of a device that is not asleep, the action (sleep) is sent
 * through the device's lane, at most once per interval per device. It only ever curtails: the agent
 * never wakes a device when it has cooled (docs/control-safety.md).
 */
public final class LocalThermal implements PollListener {
    private final Logger logger = LoggerFactory.getLogger(LocalThermal.class);
    private final Function<String, Optional<ThermalRule>> rules;
    private final CommandRunner runner;
    private final LeaseWatch lease;
    private final MonotonicClock monotonic;
    private final long intervalNanos;
    private final MeterRegistry registry;
    /** Device → monotonic time of the last action sent. Guarded by {@code this}. */
    private final Map<String, Long> lastAction = new HashMap<>();

    /**
     * @param rules each device's thermal rule, from its profile as far as it is known
     * @param interval least time between two actions on one device
     */
    public LocalThermal(
            Function<String, Optional<ThermalRule>> rules,
            CommandRunner runner,
            LeaseWatch lease,
            MonotonicClock monotonic,
            Duration interval,
            MeterRegistry registry) {
        this.rules = Objects.requireNonNull(rules, "rules");
        this.runner = Objects.requireNonNull(runner, "runner");
        this.lease = Objects.requireNonNull(lease, "lease");
        this.monotonic = Objects.requireNonNull(monotonic, "monotonic");
        this.intervalNanos = interval.toNanos();
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void polled(String deviceId, PollResult result) {
        Optional<ThermalRule> rule = rules.apply(deviceId);
        if (rule.isEmpty() || result.readings().isEmpty() || lease.valid()) {
            return;
        }
        OptionalDouble hottest = result.readings().stream()
                .filter(r -> r.metric().equals(MetricDictionary.TEMPERATURE_CHIP))
                .filter(r -> r.quality() != Quality.QUALITY_BAD)
                .mapToDouble(Reading::value)
                .max();
        if (hottest.isEmpty() || hottest.getAsDouble() < rule.get().maxChipC()) {
            return;
        }
        boolean asleep = result.readings().stream()
                .anyMatch(r -> r.metric().equals(MetricDictionary.MODE)
                        && r.instance().isEmpty()
                        && r.value() == Mode.SLEEP.code());
        if (asleep) {
            return;
        }
        long now = monotonic.nanoTime();
        synchronized (this) {
            Long last = lastAction.get(deviceId);
            if (last != null && now - last < intervalNanos) {
                return;
            }
            lastAction.put(deviceId, now);
        }
        logger.warn(
                "device {}: chip at {} °C, at or above the profile's max-chip-c {} °C, and the controller's lease"
                        + " has lapsed ({}): sending {}",
                deviceId,
                hottest.getAsDouble(),
                rule.get().maxChipC(),
                lease.status().label(),
                rule.get().action());
        CompletableFuture<CommandOutcome> outcome;
        try {
            outcome = runner.run(deviceId, Verb.VERB_SLEEP, 0, "", now + intervalNanos);
        } catch (RuntimeException e) {
            outcome = CompletableFuture.failedFuture(e);
        }
        outcome.whenComplete((done, failure) -> {
            String status = failure != null
                    ? "failed"
                    : done.status().name().substring("RESULT_STATUS_".length()).toLowerCase(Locale.ROOT);
            Counter.builder("headroom.agent.thermal.actions")
                    .tag("action", rule.get().action())
                    .tag("status", status)
                    .description("Local thermal rule actions taken while the controller's lease had lapsed")
                    .register(registry)
                    .increment();
            if (failure != null || done.status() != ResultStatus.RESULT_STATUS_APPLIED) {
                logger.warn(
                        "device {}: thermal {} {}: {}",
                        deviceId,
                        rule.get().action(),
                        status,
                        failure != null ? failure.toString() : done.reason() + " " + done.message());
            }
        });
    }
}
