package io.headroom.agent.command;

import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.schedule.PollListener;
import io.headroom.agent.time.MonotonicClock;
import io.headroom.protocol.wire.Capability;
import io.headroom.protocol.wire.Command;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's set-points as the agent holds them under the lease (docs/control-safety.md,
 * decision D24): per device and slot ({@link HeldSetpoint#slotOf}) the last one the device
 * confirmed, and, at each poll, the held set-point put back when the device drifted from it (a
 * miner that rebooted and mines again while held asleep, a power target back at its default).
 *
 * <p>The rules:
 * <ul>
 *   <li>only an APPLIED command is held; a newer or equal version of the same slot replaces the
 *       held one, an older one never does (a wake and a raise replace a sleep and a lower target:
 *       a restore is a set-point too); a newer one that FAILED releases the slot, so the replaced
 *       intent is not put back;
 *   <li>while the {@link LeaseWatch lease} is valid, a drift either way is put back;
 *   <li>once it has lapsed, the agent never raises power on its own: only a curtailment whose
 *       {@code hold_until} has not passed is put back; after that, or with no {@code hold_until},
 *       the device is left as it is, and nothing is sent. The held set-point is kept: if the lease
 *       comes back before a newer command, it is held again;
 *   <li>while a controller command for the device is running, nothing is put back (the device is
 *       changing on purpose);
 *   <li>at most one re-apply per device per {@code reapplyInterval}, on the monotonic clock, and one
 *       log line about a withheld raise per device per interval.
 * </ul>
 * Re-applies go through the same {@link CommandRunner} as controller commands (the device's lane).
 * Thread-safe: commands come from the executor's thread, polls from the scheduler's workers.
 */
public final class HeldSetpoints implements PollListener, CommandObserver {
    private final Logger logger = LoggerFactory.getLogger(HeldSetpoints.class);
    private final Function<String, Optional<List<Capability>>> capabilities;
    private final CommandRunner runner;
    private final LeaseWatch lease;
    private final Clock clock;
    private final MonotonicClock monotonic;
    private final long reapplyIntervalNanos;
    private final long maxHoldMillis;
    private final MeterRegistry registry;

    /** Device → slot → held set-point. Guarded by {@code this}. */
    private final Map<String, Map<String, HeldSetpoint>> held = new HashMap<>();
    /** Device → controller commands accepted and not finished. Guarded by {@code this}. */
    private final Map<String, Integer> running = new HashMap<>();
    /** Device → monotonic time of the last re-apply sent. Guarded by {@code this}. */
    private final Map<String, Long> lastReapply = new HashMap<>();
    /** Device → monotonic time of the last "raise withheld" log line. Guarded by {@code this}. */
    private final Map<String, Long> lastWithheldLog = new HashMap<>();
    /** Devices with a re-apply on their lane now. Guarded by {@code this}. */
    private final Map<String, Boolean> reapplying = new HashMap<>();

    /**
     * @param capabilities the verbs each device accepts now (for a power read-back's metric and tolerance)
     * @param runner where re-applies run: the device's scheduler lane, as for controller commands
     * @param reapplyInterval least time between two re-applies to one device
     * @param maxHold how far past its {@code issued_at} a {@code hold_until} may lie; later ones are
     *     clamped to it, so a garbage value cannot hold a curtailment for years
     */
    public HeldSetpoints(
            Function<String, Optional<List<Capability>>> capabilities,
            CommandRunner runner,
            LeaseWatch lease,
            Clock clock,
            MonotonicClock monotonic,
            Duration reapplyInterval,
            Duration maxHold,
            MeterRegistry registry) {
        this.capabilities = Objects.requireNonNull(capabilities, "capabilities");
        this.runner = Objects.requireNonNull(runner, "runner");
        this.lease = Objects.requireNonNull(lease, "lease");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.monotonic = Objects.requireNonNull(monotonic, "monotonic");
        this.reapplyIntervalNanos = reapplyInterval.toNanos();
        this.maxHoldMillis = maxHold.toMillis();
        this.registry = Objects.requireNonNull(registry, "registry");
        Gauge.builder("headroom.agent.setpoints.held", this, HeldSetpoints::count)
                .description("Set-points of the controller the agent holds (last confirmed per device and slot)")
                .register(registry);
        Gauge.builder("headroom.agent.lease.valid", lease, l -> l.valid() ? 1 : 0)
                .description("1 while the controller's lease holds, 0 once it lapsed")
                .register(registry);
    }

    /** The lease this holds under. */
    public LeaseWatch lease() {
        return lease;
    }

    @Override
    public synchronized void accepted(Command command) {
        running.merge(command.getDeviceId(), 1, Integer::sum);
    }

    @Override
    public void finished(Command command, ResultStatus status) {
        synchronized (this) {
            running.computeIfPresent(command.getDeviceId(), (device, count) -> count > 1 ? count - 1 : null);
        }
        if (status == ResultStatus.RESULT_STATUS_APPLIED) {
            hold(command);
        } else {
            release(command);
        }
    }

    /**
     * A newer command for a slot that did not come back APPLIED releases the slot: the controller has
     * replaced the held intent, so putting the old one back would undo a newer one; the controller
     * sees the failure and decides. An older command's failure changes nothing.
     */
    private synchronized void release(Command command) {
        Optional<String> slot = HeldSetpoint.slotOf(command.getVerb(), command.getInstance());
        Map<String, HeldSetpoint> slots = held.get(command.getDeviceId());
        if (slot.isEmpty() || slots == null) {
            return;
        }
        HeldSetpoint current = slots.get(slot.get());
        if (current != null && current.version() <= command.getVersion()) {
            slots.remove(slot.get());
            logger.info(
                    "device {}: {} released, command {} (version {}) replaced command {} and did not apply",
                    command.getDeviceId(),
                    slot.get(),
                    command.getCommandId(),
                    command.getVersion(),
                    current.commandId());
        }
    }

    /** Holds an applied command if it is a set-point; older versions never replace newer ones. */
    void hold(Command command) {
        Optional<String> slot = HeldSetpoint.slotOf(command.getVerb(), command.getInstance());
        if (slot.isEmpty()) {
            return;
        }
        long holdUntilMs = holdUntil(command);
        long nowMs = clock.millis();
        long nowNanos = monotonic.nanoTime();
        long holdUntilNanos =
                holdUntilMs > 0 ? nowNanos + TimeUnit.MILLISECONDS.toNanos(Math.max(0, holdUntilMs - nowMs)) : nowNanos;
        HeldSetpoint next = new HeldSetpoint(
                command.getDeviceId(),
                command.getVerb(),
                command.getValue(),
                command.getInstance(),
                command.getCommandId(),
                command.getVersion(),
                clock.instant(),
                holdUntilMs,
                holdUntilNanos);
        synchronized (this) {
            Map<String, HeldSetpoint> slots = held.computeIfAbsent(command.getDeviceId(), d -> new LinkedHashMap<>());
            HeldSetpoint current = slots.get(slot.get());
            if (current != null && current.version() > next.version()) {
                logger.info(
                        "device {}: command {} (version {}) not held, {} holds the newer version {}",
                        next.deviceId(),
                        next.commandId(),
                        next.version(),
                        slot.get(),
                        current.version());
                return;
            }
            slots.put(slot.get(), next);
        }
    }

    /**
     * The command's {@code hold_until_ms} made safe: absent, 0 or negative is none (negative is
     * counted as invalid); beyond {@code issued_at + maxHold} is clamped to it. A curtailment is never
     * refused for its hold: a bad value only shortens the hold.
     */
    private long holdUntil(Command command) {
        if (!command.hasHoldUntilMs() || command.getHoldUntilMs() == 0) {
            return 0;
        }
        long value = command.getHoldUntilMs();
        if (value < 0) {
            invalidHold("negative", command);
            return 0;
        }
        long latest = command.getIssuedAtMs() + maxHoldMillis;
        if (command.getIssuedAtMs() < 0 || latest < 0) {
            invalidHold("bad-issued-at", command);
            return 0;
        }
        if (value > latest) {
            invalidHold("beyond-max-hold", command);
            return latest;
        }
        return value;
    }

    private void invalidHold(String problem, Command command) {
        Counter.builder("headroom.agent.setpoints.hold_until.invalid")
                .tag("problem", problem)
                .description("Commands whose hold_until_ms was ignored or clamped")
                .register(registry)
                .increment();
        logger.warn(
                "command {} on {}: hold_until_ms {} is {} (issued_at_ms {}, max hold {} ms); {}",
                command.getCommandId(),
                command.getDeviceId(),
                command.getHoldUntilMs(),
                problem,
                command.getIssuedAtMs(),
                maxHoldMillis,
                problem.equals("beyond-max-hold") ? "clamped" : "held only under the lease");
    }

    /** Compares each poll with the device's held set-points and puts one back if it drifted. */
    @Override
    public void polled(String deviceId, PollResult result) {
        if (result.health() == DeviceHealth.DEVICE_HEALTH_OFFLINE
                || result.readings().isEmpty()) {
            return;
        }
        HeldSetpoint chosen;
        SetpointDrift drift;
        boolean leaseValid = lease.valid();
        long now = monotonic.nanoTime();
        synchronized (this) {
            Map<String, HeldSetpoint> slots = held.get(deviceId);
            if (slots == null || running.containsKey(deviceId) || reapplying.containsKey(deviceId)) {
                return;
            }
            List<Capability> verbs = capabilities.apply(deviceId).orElse(List.of());
            List<Map.Entry<HeldSetpoint, SetpointDrift>> drifted = new ArrayList<>();
            for (HeldSetpoint setpoint : slots.values()) {
                SetpointDrift.judge(setpoint, result.readings(), capability(verbs, setpoint.verb()))
                        .ifPresent(d -> drifted.add(Map.entry(setpoint, d)));
            }
            if (drifted.isEmpty()) {
                return;
            }
            // Curtailments first: when only one may go out, the one that lowers power goes.
            drifted.sort(Comparator.comparing(e -> e.getValue().direction()));
            Map.Entry<HeldSetpoint, SetpointDrift> first = null;
            for (Map.Entry<HeldSetpoint, SetpointDrift> entry : drifted) {
                if (allowed(entry.getKey(), entry.getValue(), leaseValid, now)) {
                    first = entry;
                    break;
                }
                withheld(entry.getKey(), entry.getValue(), now);
            }
            if (first == null) {
                return;
            }
            Long last = lastReapply.get(deviceId);
            if (last != null && now - last < reapplyIntervalNanos) {
                return;
            }
            lastReapply.put(deviceId, now);
            reapplying.put(deviceId, Boolean.TRUE);
            chosen = first.getKey();
            drift = first.getValue();
        }
        reapply(chosen, drift, leaseValid, now);
    }

    /** Under a valid lease anything held goes back; after it, only a curtailment still within its hold. */
    static boolean allowed(HeldSetpoint setpoint, SetpointDrift drift, boolean leaseValid, long nowNanos) {
        if (leaseValid) {
            return true;
        }
        return drift.direction() == SetpointDrift.Direction.CURTAIL && setpoint.heldPastLeaseAt(nowNanos);
    }

    private void withheld(HeldSetpoint setpoint, SetpointDrift drift, long now) {
        if (drift.direction() != SetpointDrift.Direction.RAISE) {
            return; // a curtailment past its hold: left as it is, nothing to say each poll
        }
        Counter.builder("headroom.agent.setpoints.raise.withheld")
                .tag("reason", setpoint.kind())
                .description("Drifts that re-applying would have raised power, not acted on: the lease lapsed")
                .register(registry)
                .increment();
        Long last = lastWithheldLog.get(setpoint.deviceId());
        if (last == null || now - last >= reapplyIntervalNanos) {
            lastWithheldLog.put(setpoint.deviceId(), now);
            logger.warn(
                    "device {}: {} (command {}); not re-applied: the controller's lease has lapsed ({}) and the"
                            + " agent never raises power on its own",
                    setpoint.deviceId(),
                    drift.detail(),
                    setpoint.commandId(),
                    lease.status().label());
        }
    }

    private void reapply(HeldSetpoint setpoint, SetpointDrift drift, boolean leaseValid, long now) {
        logger.warn(
                "device {}: {}; re-applying {} of command {} (version {}, lease {})",
                setpoint.deviceId(),
                drift.detail(),
                io.headroom.protocol.Verbs.name(setpoint.verb()),
                setpoint.commandId(),
                setpoint.version(),
                leaseValid ? "valid" : lease.status().label() + ", within hold_until");
        CompletableFuture<CommandOutcome> outcome;
        try {
            outcome = runner.run(
                    setpoint.deviceId(),
                    setpoint.verb(),
                    setpoint.value(),
                    setpoint.instance(),
                    now + reapplyIntervalNanos);
        } catch (RuntimeException e) {
            outcome = CompletableFuture.failedFuture(e);
        }
        outcome.whenComplete((done, failure) -> {
            synchronized (this) {
                reapplying.remove(setpoint.deviceId());
            }
            String status = failure != null
                    ? "failed"
                    : done.status().name().substring("RESULT_STATUS_".length()).toLowerCase(Locale.ROOT);
            Counter.builder("headroom.agent.setpoints.reapplied")
                    .tag("reason", setpoint.kind())
                    .tag("direction", drift.direction().name().toLowerCase(Locale.ROOT))
                    .tag("status", status)
                    .description("Held set-points put back after the device drifted from them")
                    .register(registry)
                    .increment();
            if (failure != null || done.status() != ResultStatus.RESULT_STATUS_APPLIED) {
                logger.warn(
                        "device {}: re-applying {} {}: {}",
                        setpoint.deviceId(),
                        io.headroom.protocol.Verbs.name(setpoint.verb()),
                        status,
                        failure != null ? failure.toString() : done.reason() + " " + done.message());
            }
        });
    }

    private static Optional<Capability> capability(List<Capability> verbs, Verb verb) {
        return verbs.stream().filter(c -> c.getVerb() == verb).findFirst();
    }

    /** Held set-points, all devices. */
    public synchronized int count() {
        return held.values().stream().mapToInt(Map::size).sum();
    }

    /** Every held set-point, by device then slot. */
    public synchronized List<HeldSetpoint> snapshot() {
        List<HeldSetpoint> all = new ArrayList<>();
        held.values().forEach(slots -> all.addAll(slots.values()));
        return List.copyOf(all);
    }

    /**
     * The held set-points that would still be put back now: all under a valid lease; after it, the
     * curtailments within their {@code hold_until} (sleep, outlet off; a power target or cap counts,
     * since whether it lowers power depends on the reading).
     */
    public synchronized int enforced() {
        if (lease.valid()) {
            return count();
        }
        long now = monotonic.nanoTime();
        return (int) held.values().stream()
                .flatMap(slots -> slots.values().stream())
                .filter(s -> s.verb() != Verb.VERB_WAKE && s.verb() != Verb.VERB_OUTLET_ON)
                .filter(s -> s.heldPastLeaseAt(now))
                .count();
    }
}
