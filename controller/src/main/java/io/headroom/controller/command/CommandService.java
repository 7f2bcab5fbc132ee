package io.headroom.controller.command;

import io.headroom.controller.ingest.ResultListener;
import io.headroom.controller.store.DeviceRecord;
import io.headroom.controller.store.DeviceState;
import io.headroom.controller.store.DeviceView;
import io.headroom.controller.store.StateStore;
import io.headroom.controller.transport.ControllerPublisher;
import io.headroom.protocol.TopicKind;
import io.headroom.protocol.Topics;
import io.headroom.protocol.WireCodec;
import io.headroom.protocol.wire.Command;
import io.headroom.protocol.wire.Result;
import io.headroom.protocol.wire.Verb;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends commands to devices through their agents and tracks each to its outcome: DISPATCHED →
 * ACCEPTED → APPLIED | FAILED | REJECTED from the agent's results, or EXPIRED when no final result
 * arrives within ttl + {@link #EXPIRY_GRACE}. Expiry is applied lazily on every read and by
 * {@link #sweep()}, which the controller runs periodically.
 *
 * <p>Each command carries a version that grows per device, also across controller restarts (it
 * is at least the issuing wall-clock millisecond), so an agent can refuse a delayed older intent.
 * The last {@link #HISTORY} commands are kept; older ones are forgotten. Thread-safe.
 */
public final class CommandService implements ResultListener {

    public static final Duration MIN_TTL = Duration.ofSeconds(1);
    public static final Duration MAX_TTL = Duration.ofMinutes(10);
    public static final Duration EXPIRY_GRACE = Duration.ofSeconds(5);
    public static final int HISTORY = 10_000;

    private final Logger logger = LoggerFactory.getLogger(getClass());
    private final String site;
    private final StateStore store;
    private final ControllerPublisher publisher;
    private final Clock clock;
    /** Insertion order = issue order. Guarded by {@code this}. */
    private final LinkedHashMap<String, Tracked> commands = new LinkedHashMap<>();
    /** Guarded by {@code this}. */
    private final Map<String, Long> lastVersion = new HashMap<>();

    private final RawReplies rawReplies = new RawReplies();

    private final Counter dispatched;
    private final Counter refused;
    private final Map<CommandRefusedException.Reason, Counter> refusedBy =
            new EnumMap<>(CommandRefusedException.Reason.class);
    private final Counter expired;
    private final Map<String, Counter> results = new HashMap<>();
    private final java.util.concurrent.CopyOnWriteArrayList<CommandListener> listeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    public CommandService(
            String site, StateStore store, ControllerPublisher publisher, Clock clock, MeterRegistry registry) {
        this.site = Topics.requireValidId(site, "site");
        this.store = Objects.requireNonNull(store, "store");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.dispatched = Counter.builder("headroom.commands.issued")
                .tag("outcome", "dispatched")
                .description("Commands the controller was asked to send")
                .register(registry);
        this.refused = Counter.builder("headroom.commands.issued")
                .tag("outcome", "refused")
                .description("Commands the controller was asked to send")
                .register(registry);
        for (CommandRefusedException.Reason reason : CommandRefusedException.Reason.values()) {
            refusedBy.put(
                    reason,
                    Counter.builder("headroom.commands.refused")
                            .tag("reason", reason.code())
                            .description("Commands the controller refused before sending, by reason")
                            .register(registry));
        }
        this.expired = Counter.builder("headroom.commands.expired")
                .description("Commands with no final result within ttl + 5 s")
                .register(registry);
        for (String outcome : List.of(
                "accepted", "applied", "failed", "rejected", "unknown-command", "wrong-device", "after-final")) {
            results.put(
                    outcome,
                    Counter.builder("headroom.commands.results")
                            .tag("outcome", outcome)
                            .description("Results received from agents")
                            .register(registry));
        }
    }

    /**
     * Validates, publishes and starts tracking a command. A refused command is never published,
     * never tracked and gets no command id; it is counted in {@code headroom.commands.refused} by reason.
     *
     * @param value the verb's value (watts for the power verbs, the point's value for write-point);
     *     {@code null} for verbs without one
     * @param instance the outlet or point; {@code null} or empty when the verb applies to the device itself
     * @param ttl 1 s to 10 min: the agent must not start it later than issue + ttl
     * @return the command as dispatched
     * @throws CommandRefusedException an invalid verb, value or ttl; unknown device; a command outside
     *     the device's capabilities (unsupported verb, value required / not allowed, out of range, off
     *     step, unknown instance); device STALE or agent not listening. Nothing was sent.
     */
    public CommandView send(String deviceId, Verb verb, Double value, String instance, Duration ttl)
            throws CommandRefusedException {
        return send(deviceId, verb, value, instance, ttl, null);
    }

    /**
     * As {@link #send(String, Verb, Double, String, Duration)}, with the time until which the agent
     * keeps the set-point even when the controller is gone (a grid event's end; see
     * {@code docs/control-safety.md}); null: only while the lease holds.
     */
    public CommandView send(
            String deviceId,
            Verb verb,
            Double value,
            String instance,
            Duration ttl,
            @org.jspecify.annotations.Nullable Instant holdUntil)
            throws CommandRefusedException {
        try {
            return dispatch(deviceId, verb, value, instance == null ? "" : instance, ttl, holdUntil);
        } catch (CommandRefusedException e) {
            refused.increment();
            refusedBy.get(e.reason()).increment();
            throw e;
        }
    }

    private CommandView dispatch(
            String deviceId,
            Verb verb,
            Double value,
            String instance,
            Duration ttl,
            @org.jspecify.annotations.Nullable Instant holdUntil)
            throws CommandRefusedException {
        if (ttl == null || ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0) {
            throw new CommandRefusedException(
                    CommandRefusedException.Reason.INVALID,
                    "ttl: " + ttl + " is outside " + MIN_TTL.toSeconds() + " s.." + MAX_TTL.toSeconds() + " s");
        }
        DeviceRecord record = validate(deviceId, verb, value, instance);
        Instant now = clock.instant();
        String agentId = record.agent();
        Command command;
        Tracked tracked;
        synchronized (this) {
            long version = Math.max(lastVersion.getOrDefault(deviceId, 0L) + 1, now.toEpochMilli());
            lastVersion.put(deviceId, version);
            Command.Builder builder = Command.newBuilder();
            if (holdUntil != null) {
                builder.setHoldUntilMs(holdUntil.toEpochMilli());
            }
            command = builder.setCommandId(UUID.randomUUID().toString())
                    .setDeviceId(deviceId)
                    .setVerb(verb)
                    .setValue(value == null ? 0 : value)
                    .setInstance(instance)
                    .setIssuedAtMs(now.toEpochMilli())
                    .setTtlMs((int) ttl.toMillis())
                    .setVersion(version)
                    .build();
            tracked = new Tracked(command, agentId, value, ttl, now);
            commands.put(command.getCommandId(), tracked);
            while (commands.size() > HISTORY) {
                Iterator<Tracked> oldest = commands.values().iterator();
                oldest.next();
                oldest.remove();
            }
        }
        int expirySeconds = (int) Math.max(1, (ttl.toMillis() + 999) / 1000);
        int queued = publisher.publish(
                Topics.agent(site, agentId, TopicKind.CMD), WireCodec.encode(command), false, expirySeconds);
        if (queued == 0) {
            synchronized (this) {
                commands.remove(command.getCommandId());
            }
            throw new CommandRefusedException(
                    CommandRefusedException.Reason.DEVICE_UNAVAILABLE,
                    "agent " + agentId + " of device " + deviceId + " is not subscribed to its commands");
        }
        dispatched.increment();
        logger.debug(
                "command {} {} {}{}{} sent to {} (version {}, ttl {} ms)",
                command.getCommandId(),
                deviceId,
                CommandVerbs.name(verb),
                instance.isEmpty() ? "" : " [" + instance + "]",
                value == null ? "" : " " + value,
                agentId,
                command.getVersion(),
                command.getTtlMs());
        synchronized (this) {
            return tracked.view();
        }
    }

    /**
     * Whether {@link #send} would refuse this command, by the same checks in the same words, sending
     * nothing and counting nothing: the dry-run of a selection's command asks it per device.
     *
     * @throws CommandRefusedException what {@link #send} would throw before publishing
     */
    public void check(String deviceId, Verb verb, @org.jspecify.annotations.Nullable Double value, String instance)
            throws CommandRefusedException {
        validate(deviceId, verb, value, instance == null ? "" : instance);
    }

    private DeviceRecord validate(
            String deviceId, Verb verb, @org.jspecify.annotations.Nullable Double value, String instance)
            throws CommandRefusedException {
        if (verb == null || verb == Verb.VERB_UNSPECIFIED || verb == Verb.UNRECOGNIZED) {
            throw new CommandRefusedException(
                    CommandRefusedException.Reason.INVALID, "verb: must be one of " + CommandVerbs.NAMES);
        }
        if (value != null && !Double.isFinite(value)) {
            throw new CommandRefusedException(
                    CommandRefusedException.Reason.INVALID, "value: must be a finite number, got " + value);
        }
        DeviceRecord record = deviceId == null ? null : store.record(deviceId);
        if (record == null) {
            throw new CommandRefusedException(
                    CommandRefusedException.Reason.UNKNOWN_DEVICE, "no device '" + deviceId + "'");
        }
        CapabilityCheck.check(record, verb, value, instance);
        // No full view on the path the engine takes thousands of times a tick: status and owner only.
        if (!record.conflict().isEmpty() || record.status() == DeviceState.STALE) {
            refuseUnavailable(record.view());
        }
        return record;
    }

    /** Tells {@code listener} of every result and expiry from now on (the engine: no polling). */
    public void addListener(CommandListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    private void notifyListeners(List<CommandView> changed) {
        for (CommandView view : changed) {
            for (CommandListener listener : listeners) {
                try {
                    listener.changed(view);
                } catch (RuntimeException e) {
                    logger.error("command listener failed on {}", view.commandId(), e);
                }
            }
        }
    }

    /**
     * Tracks again a command sent before a restart (from the journal), so that its late result is
     * matched and {@code GET /api/v1/commands/{id}} answers for it; nothing is published.
     */
    public void adopt(
            String commandId,
            String deviceId,
            String agentId,
            Verb verb,
            @org.jspecify.annotations.Nullable Double value,
            String instance,
            long version,
            Instant issuedAt,
            Duration ttl) {
        Command command = Command.newBuilder()
                .setCommandId(commandId)
                .setDeviceId(deviceId)
                .setVerb(verb)
                .setValue(value == null ? 0 : value)
                .setInstance(instance)
                .setIssuedAtMs(issuedAt.toEpochMilli())
                .setTtlMs((int) Math.min(Integer.MAX_VALUE, ttl.toMillis()))
                .setVersion(version)
                .build();
        synchronized (this) {
            commands.putIfAbsent(commandId, new Tracked(command, agentId, value, ttl, issuedAt));
            lastVersion.merge(deviceId, version, Math::max);
        }
    }

    private static void refuseUnavailable(DeviceView device) throws CommandRefusedException {
        if (device.inConflict()) {
            // Two agents report this id: a command could reach the wrong machine (issue 8, problem 5).
            throw new CommandRefusedException(
                    CommandRefusedException.Reason.DEVICE_UNAVAILABLE,
                    "device " + device.id() + " is in conflict: agents " + String.join(", ", device.conflict())
                            + " all report it; commands are refused until only one does");
        }
        if (device.status() == DeviceState.STALE) {
            throw new CommandRefusedException(
                    CommandRefusedException.Reason.DEVICE_UNAVAILABLE,
                    "device " + device.id() + " is STALE (" + device.statusReason() + ": " + device.statusMessage()
                            + "); its agent " + device.agent() + " cannot be reached to carry out a command");
        }
    }

    /** One command by id, with expiry applied. */
    public Optional<CommandView> command(String commandId) {
        Instant now = clock.instant();
        synchronized (this) {
            Tracked tracked = commands.get(commandId);
            if (tracked == null) {
                return Optional.empty();
            }
            expireIfDue(tracked, now);
            return Optional.of(tracked.view());
        }
    }

    /** The raw reply a read-last-reply command brought back, while it is among the newest kept. */
    public Optional<RawReplyView> rawReply(String commandId) {
        return rawReplies.get(commandId);
    }

    /** The device's most recent commands, newest first, at most {@code limit}. */
    public List<CommandView> recentForDevice(String deviceId, int limit) {
        Instant now = clock.instant();
        List<CommandView> views = new ArrayList<>();
        synchronized (this) {
            List<Tracked> all = new ArrayList<>(commands.values());
            for (int i = all.size() - 1; i >= 0 && views.size() < limit; i--) {
                Tracked tracked = all.get(i);
                if (tracked.command.getDeviceId().equals(deviceId)) {
                    expireIfDue(tracked, now);
                    views.add(tracked.view());
                }
            }
        }
        return views;
    }

    /** Moves every overdue command to EXPIRED; returns how many moved. */
    public int sweep() {
        Instant now = clock.instant();
        List<CommandView> changed = new ArrayList<>();
        synchronized (this) {
            for (Tracked tracked : commands.values()) {
                if (expireIfDue(tracked, now)) {
                    changed.add(tracked.view());
                }
            }
        }
        notifyListeners(changed);
        return changed.size();
    }

    @Override
    public void commandResult(String agentId, Result result) {
        CommandView changed = record(agentId, result);
        if (changed != null) {
            notifyListeners(List.of(changed));
        }
    }

    /** Applies a result; returns the command's new view, or null when nothing changed. */
    private @org.jspecify.annotations.Nullable CommandView record(String agentId, Result result) {
        Instant now = clock.instant();
        synchronized (this) {
            Tracked tracked = commands.get(result.getCommandId());
            if (tracked == null) {
                results.get("unknown-command").increment();
                return null;
            }
            if (!tracked.agentId.equals(agentId)
                    || !tracked.command.getDeviceId().equals(result.getDeviceId())) {
                results.get("wrong-device").increment();
                logger.warn(
                        "agent {} reported a result for command {} of device {}, which went to {} / {}; ignored",
                        agentId,
                        result.getCommandId(),
                        result.getDeviceId(),
                        tracked.agentId,
                        tracked.command.getDeviceId());
                return null;
            }
            CommandState next;
            switch (result.getStatus()) {
                case RESULT_STATUS_ACCEPTED:
                    next = CommandState.ACCEPTED;
                    break;
                case RESULT_STATUS_APPLIED:
                    next = CommandState.APPLIED;
                    break;
                case RESULT_STATUS_FAILED:
                    next = CommandState.FAILED;
                    break;
                case RESULT_STATUS_REJECTED:
                    next = CommandState.REJECTED;
                    break;
                default:
                    results.get("unknown-command").increment();
                    return null;
            }
            boolean allowed = !tracked.state.isFinal() || (tracked.state == CommandState.EXPIRED && next.isFinal());
            if (!allowed || (tracked.state == CommandState.ACCEPTED && next == CommandState.ACCEPTED)) {
                results.get("after-final").increment();
                return null;
            }
            results.get(next.name().toLowerCase(java.util.Locale.ROOT)).increment();
            tracked.state = next;
            tracked.reason = result.getReason();
            tracked.message = result.getMessage();
            if (result.hasReadBack()) {
                tracked.readBack = result.getReadBack();
            }
            rawReplies.take(result);
            tracked.updatedAt = now;
            if (next.isFinal()) {
                logger.debug(
                        "command {} {}: {} {}",
                        tracked.command.getCommandId(),
                        tracked.command.getDeviceId(),
                        next,
                        result.getReason());
            }
            return tracked.view();
        }
    }

    /** Guarded by the caller holding {@code this}. */
    private boolean expireIfDue(Tracked tracked, Instant now) {
        if (tracked.state.isFinal()) {
            return false;
        }
        Instant deadline = tracked.issuedAt.plus(tracked.ttl).plus(EXPIRY_GRACE);
        if (!now.isAfter(deadline)) {
            return false;
        }
        tracked.state = CommandState.EXPIRED;
        tracked.reason = "no-result";
        tracked.message = "no final result within ttl + " + EXPIRY_GRACE.toSeconds() + " s";
        tracked.updatedAt = now;
        expired.increment();
        return true;
    }

    /** Mutable tracking state; guarded by the service's monitor. */
    private static final class Tracked {
        final Command command;
        final String agentId;
        final Double value;
        final Duration ttl;
        final Instant issuedAt;
        CommandState state = CommandState.DISPATCHED;
        String reason = "";
        String message = "";
        Double readBack;
        Instant updatedAt;

        Tracked(Command command, String agentId, Double value, Duration ttl, Instant issuedAt) {
            this.command = command;
            this.agentId = agentId;
            this.value = value;
            this.ttl = ttl;
            this.issuedAt = issuedAt;
            this.updatedAt = issuedAt;
        }

        CommandView view() {
            return new CommandView(
                    command.getCommandId(),
                    command.getDeviceId(),
                    agentId,
                    command.getVerb(),
                    value,
                    command.getInstance(),
                    command.getVersion(),
                    ttl,
                    state,
                    reason,
                    message,
                    readBack,
                    issuedAt,
                    updatedAt);
        }
    }
}
