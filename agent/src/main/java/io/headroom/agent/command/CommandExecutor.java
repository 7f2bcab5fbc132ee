package io.headroom.agent.command;

import io.headroom.agent.AgentVersion;
import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.rawreply.RawReply;
import io.headroom.protocol.CapabilityRules;
import io.headroom.protocol.MalformedPayloadException;
import io.headroom.protocol.Verbs;
import io.headroom.protocol.WireCodec;
import io.headroom.protocol.wire.Capability;
import io.headroom.protocol.wire.Command;
import io.headroom.protocol.wire.Result;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks and runs the controller's commands, and answers each with results. In order:
 * <ol>
 *   <li>a repeated {@code command_id} is answered with the stored result, never run twice;
 *   <li>a command issued further in our future than the clock-skew tolerance, or whose
 *       {@code issued_at + ttl} has passed (with that tolerance), is REJECTED;
 *   <li>an unknown device, or a {@code version} lower than the last one accepted for the device,
 *       is REJECTED — a delayed old intent must never undo a newer one;
 *   <li>a verb the device's profile does not declare, or a value or instance outside its
 *       capability, is REJECTED with the capability's reason ({@code unsupported},
 *       {@code out-of-range}, {@code off-step}, {@code unknown-instance} …) — the controller checks
 *       the same before sending, this is the last guard;
 *   <li>otherwise ACCEPTED, then run with a deadline on the monotonic clock taken at receipt (so
 *       time queued counts), then APPLIED with the read-back, or FAILED / REJECTED.
 * </ol>
 * Bookkeeping runs on one thread of its own; nothing here blocks the MQTT client.
 */
public final class CommandExecutor implements AutoCloseable {
    /** Results kept for answering repeated command ids. */
    static final int REMEMBERED_COMMANDS = 10_000;

    private final Logger logger = LoggerFactory.getLogger(CommandExecutor.class);
    private final Function<String, Optional<List<Capability>>> capabilities;
    private final CommandRunner runner;
    private final CommandObserver observer;
    private final Function<String, Optional<RawReply>> lastReplies;
    private final Consumer<Result.Builder> results;
    private final Duration clockSkewTolerance;
    private final Duration executionGrace;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
        Thread t = new Thread(runnable, "headroom-agent-commands");
        t.setDaemon(true);
        return t;
    });
    /** Least recently used first: a command the controller keeps retrying stays remembered. */
    private final Map<String, Result> remembered = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Result> eldest) {
            return size() > REMEMBERED_COMMANDS;
        }
    };

    private final Map<String, Long> lastVersion = new HashMap<>();
    private final Map<ResultStatus, Counter> counted = new EnumMap<>(ResultStatus.class);
    private final Counter malformed;

    /**
     * @param capabilities every device of this agent, with the verbs its profile declares
     * @param results publishes a result (the publisher sets boot id, seq and time)
     * @param executionGrace time a running command may take past its deadline (device I/O of the
     *     write and its read-back) before it is reported FAILED "timeout"
     * @param nanoTime the monotonic clock, {@code System::nanoTime} outside tests
     */
    public CommandExecutor(
            Map<String, List<Capability>> capabilities,
            CommandRunner runner,
            Consumer<Result.Builder> results,
            Duration clockSkewTolerance,
            Duration executionGrace,
            Clock clock,
            LongSupplier nanoTime,
            MeterRegistry registry) {
        this(fixed(capabilities), runner, results, clockSkewTolerance, executionGrace, clock, nanoTime, registry);
    }

    private static Function<String, Optional<List<Capability>>> fixed(Map<String, List<Capability>> capabilities) {
        Map<String, List<Capability>> copy = Map.copyOf(capabilities);
        return device -> Optional.ofNullable(copy.get(device));
    }

    /**
     * As the other constructor, with each device's capabilities asked for at each command: a device
     * configured with {@code profile: auto} has none until it has been identified.
     *
     * @param capabilities the verbs a device of this agent accepts now; empty for a device not on it
     */
    public CommandExecutor(
            Function<String, Optional<List<Capability>>> capabilities,
            CommandRunner runner,
            Consumer<Result.Builder> results,
            Duration clockSkewTolerance,
            Duration executionGrace,
            Clock clock,
            LongSupplier nanoTime,
            MeterRegistry registry) {
        this(
                capabilities,
                runner,
                CommandObserver.NONE,
                results,
                clockSkewTolerance,
                executionGrace,
                clock,
                nanoTime,
                registry);
    }

    /**
     * As the other constructors, with {@code observer} told of each command accepted and of how it
     * ended ({@link HeldSetpoints} in the agent).
     */
    public CommandExecutor(
            Function<String, Optional<List<Capability>>> capabilities,
            CommandRunner runner,
            CommandObserver observer,
            Consumer<Result.Builder> results,
            Duration clockSkewTolerance,
            Duration executionGrace,
            Clock clock,
            LongSupplier nanoTime,
            MeterRegistry registry) {
        this(
                capabilities,
                runner,
                observer,
                results,
                clockSkewTolerance,
                executionGrace,
                clock,
                nanoTime,
                registry,
                device -> Optional.empty());
    }

    /**
     * As the other constructors, answering {@code read-last-reply} from {@code lastReplies}: the raw
     * replies of the device's last poll ({@link io.headroom.agent.rawreply.RawReplyBook#last}).
     */
    public CommandExecutor(
            Function<String, Optional<List<Capability>>> capabilities,
            CommandRunner runner,
            CommandObserver observer,
            Consumer<Result.Builder> results,
            Duration clockSkewTolerance,
            Duration executionGrace,
            Clock clock,
            LongSupplier nanoTime,
            MeterRegistry registry,
            Function<String, Optional<RawReply>> lastReplies) {
        this.lastReplies = java.util.Objects.requireNonNull(lastReplies, "lastReplies");
        this.capabilities = capabilities;
        this.observer = java.util.Objects.requireNonNull(observer, "observer");
        this.runner = runner;
        this.results = results;
        this.clockSkewTolerance = clockSkewTolerance;
        this.executionGrace = executionGrace;
        this.clock = clock;
        this.nanoTime = nanoTime;
        for (ResultStatus status : new ResultStatus[] {
            ResultStatus.RESULT_STATUS_ACCEPTED,
            ResultStatus.RESULT_STATUS_REJECTED,
            ResultStatus.RESULT_STATUS_APPLIED,
            ResultStatus.RESULT_STATUS_FAILED
        }) {
            counted.put(
                    status,
                    Counter.builder("headroom.agent.commands")
                            .tag(
                                    "status",
                                    status.name()
                                            .substring("RESULT_STATUS_".length())
                                            .toLowerCase(java.util.Locale.ROOT))
                            .register(registry));
        }
        this.malformed = Counter.builder("headroom.agent.commands.malformed").register(registry);
    }

    /**
     * Takes a command as it arrived. Thread-safe and non-blocking.
     *
     * @param receivedNanos monotonic receipt time
     * @param expiryIntervalSeconds the MQTT 5 message expiry the broker forwarded, or {@code null}
     */
    public void receive(byte[] payload, long receivedNanos, Long expiryIntervalSeconds) {
        thread.execute(() -> {
            try {
                handle(payload, receivedNanos, expiryIntervalSeconds);
            } catch (RuntimeException e) {
                logger.error("command handling failed", e);
            }
        });
    }

    private void handle(byte[] payload, long receivedNanos, Long expiryIntervalSeconds) {
        Command command;
        try {
            command = WireCodec.decode(payload, Command.class);
        } catch (MalformedPayloadException e) {
            malformed.increment();
            logger.warn("dropping a malformed command: {}", e.getMessage());
            return;
        }
        Result earlier = remembered.get(command.getCommandId());
        if (earlier != null) {
            // A redelivery (QoS 1) or a controller retry: answer again, never act twice.
            results.accept(earlier.toBuilder());
            return;
        }
        long wall = clock.millis();
        long skew = clockSkewTolerance.toMillis();
        if (command.getIssuedAtMs() > wall + skew) {
            reject(
                    command,
                    "clock-skew",
                    "issued " + (command.getIssuedAtMs() - wall) + " ms in this agent's future, beyond the " + skew
                            + " ms clock-skew tolerance");
            return;
        }
        long remainingMillis = command.getIssuedAtMs() + command.getTtlMs() + skew - wall;
        if (remainingMillis <= 0) {
            reject(
                    command,
                    "expired",
                    "ttl of " + command.getTtlMs() + " ms passed " + (-remainingMillis)
                            + " ms ago (after the clock-skew tolerance)");
            return;
        }
        remainingMillis = Math.min(remainingMillis, command.getTtlMs());
        if (expiryIntervalSeconds != null) {
            remainingMillis = Math.min(remainingMillis, TimeUnit.SECONDS.toMillis(expiryIntervalSeconds));
        }
        long deadlineNanos = receivedNanos + TimeUnit.MILLISECONDS.toNanos(remainingMillis);
        if (nanoTime.getAsLong() - deadlineNanos > 0) {
            reject(command, "expired", "expired while waiting in the agent");
            return;
        }
        List<Capability> verbs = capabilities.apply(command.getDeviceId()).orElse(null);
        if (verbs == null) {
            reject(command, "unknown-device", "no device " + command.getDeviceId() + " on this agent");
            return;
        }
        if (command.getVerb() == Verb.UNRECOGNIZED) {
            reject(
                    command,
                    CapabilityRules.UNSUPPORTED,
                    "this agent (" + AgentVersion.current() + ") does not know verb " + command.getVerbValue());
            return;
        }
        if (Verbs.readsOnly(command.getVerb())) {
            // Only reads what the last poll kept: no capability, no version slot, no hold.
            answerLastReply(command);
            return;
        }
        // proto3 has no absent double: a verb without a value carries 0, which means none.
        OptionalDouble value =
                Verbs.takesValue(command.getVerb()) ? OptionalDouble.of(command.getValue()) : OptionalDouble.empty();
        Optional<CapabilityRules.Refusal> refusal =
                CapabilityRules.check(command.getDeviceId(), verbs, command.getVerb(), value, command.getInstance());
        if (refusal.isPresent()) {
            reject(command, refusal.get().reason(), refusal.get().message());
            return;
        }
        Long last = lastVersion.get(command.getDeviceId());
        if (last != null && command.getVersion() < last) {
            reject(
                    command,
                    "stale-version",
                    "version " + command.getVersion() + " is older than " + last
                            + ", already accepted for this device");
            return;
        }
        lastVersion.put(command.getDeviceId(), command.getVersion());
        answer(result(command, ResultStatus.RESULT_STATUS_ACCEPTED, "", "").build());
        observer.accepted(command);

        long timeoutNanos = deadlineNanos - nanoTime.getAsLong() + executionGrace.toNanos();
        CompletableFuture<CommandOutcome> outcome;
        try {
            outcome = runner.run(
                    command.getDeviceId(), command.getVerb(), command.getValue(), command.getInstance(), deadlineNanos);
        } catch (RuntimeException e) {
            outcome = CompletableFuture.failedFuture(e);
        }
        outcome.orTimeout(Math.max(1, timeoutNanos), TimeUnit.NANOSECONDS)
                .whenComplete((done, failure) -> thread.execute(() -> finish(command, done, failure)));
    }

    private void finish(Command command, CommandOutcome outcome, Throwable failure) {
        Result.Builder result;
        if (failure != null) {
            boolean timedOut = failure instanceof TimeoutException || failure.getCause() instanceof TimeoutException;
            result = result(
                    command,
                    ResultStatus.RESULT_STATUS_FAILED,
                    timedOut ? "timeout" : "agent-error",
                    timedOut ? "no outcome from the device within the command's deadline" : failure.toString());
        } else {
            result = result(command, outcome.status(), outcome.reason(), outcome.message());
            outcome.readBack().ifPresent(result::setReadBack);
        }
        answer(result.build());
        observer.finished(command, result.getStatus());
        logger.info(
                "command {} {} on {}: {} {}",
                command.getCommandId(),
                command.getVerb(),
                command.getDeviceId(),
                result.getStatus(),
                result.getReason());
    }

    /**
     * Answers read-last-reply at once: APPLIED with the raw replies, or FAILED before any poll has
     * asked the device anything. Not remembered for repeats: each is a fresh read of memory, and
     * ten thousand kept replies of 64 KiB would be too much to hold.
     */
    private void answerLastReply(Command command) {
        Optional<RawReply> raw = lastReplies.apply(command.getDeviceId());
        Result.Builder result;
        if (raw.isPresent()) {
            result = result(command, ResultStatus.RESULT_STATUS_APPLIED, "", "")
                    .setRawReply(raw.get().reply())
                    .setRawRequest(raw.get().request())
                    .setRawReadAtMs(raw.get().readAtMs())
                    .setRawTruncated(raw.get().truncated());
        } else {
            result = result(
                    command,
                    ResultStatus.RESULT_STATUS_FAILED,
                    "no-reply-yet",
                    "no poll of " + command.getDeviceId() + " has asked the device anything since the agent started");
        }
        counted.get(result.getStatus()).increment();
        results.accept(result);
    }

    private void reject(Command command, String reason, String message) {
        answer(result(command, ResultStatus.RESULT_STATUS_REJECTED, reason, message)
                .build());
        logger.info(
                "command {} {} on {} rejected: {}",
                command.getCommandId(),
                command.getVerb(),
                command.getDeviceId(),
                message);
    }

    private void answer(Result result) {
        remembered.put(result.getCommandId(), result);
        counted.get(result.getStatus()).increment();
        results.accept(result.toBuilder());
    }

    private static Result.Builder result(Command command, ResultStatus status, String reason, String message) {
        return Result.newBuilder()
                .setCommandId(command.getCommandId())
                .setDeviceId(command.getDeviceId())
                .setStatus(status)
                .setReason(reason)
                .setMessage(message);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }

    /**
     * Test hook: returns once everything received so far has been handled, including the
     * follow-up a handled command enqueues when its outcome is already known.
     */
    void awaitIdle() throws Exception {
        thread.submit(() -> {}).get(5, TimeUnit.SECONDS);
        thread.submit(() -> {}).get(5, TimeUnit.SECONDS);
    }
}
