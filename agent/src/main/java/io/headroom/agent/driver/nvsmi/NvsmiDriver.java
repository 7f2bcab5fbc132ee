package io.headroom.agent.driver.nvsmi;

import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.rawreply.RawReplyRecorder;
import io.headroom.profiles.Capability;
import io.headroom.profiles.FirmwareProfile;
import io.headroom.profiles.ReadBack;
import io.headroom.protocol.CapabilityRules;
import io.headroom.protocol.Verbs;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the GPUs of the agent's own host by running {@code nvidia-smi -q -x} once per poll, and caps
 * a GPU's power with {@code nvidia-smi -i <index> -pl <W>}.
 *
 * <p>A cap is checked against the range the GPU itself reports ({@code min_power_limit} ..
 * {@code max_power_limit}, read just before), sent, and APPLIED only when a fresh {@code -q -x}
 * shows the enforced limit at the new value; otherwise FAILED with nvidia-smi's own words (a
 * non-root agent gets "Insufficient Permissions").
 *
 * <p>NVML's power limit is not persistent: it is lost when the kernel driver reloads (a GPU reset,
 * a reboot, or without persistence mode the driver unloading with its last client). The driver
 * therefore remembers the last cap it applied per GPU and, when a poll sees that GPU's enforced
 * limit back at another value, sends the same cap again (counted in
 * {@code headroom.driver.nvsmi.cap.reapplied}); a failed re-apply makes the poll DEGRADED with
 * reason {@code power-cap-reapply-failed}. The cap holds until the next command for that GPU.
 */
public final class NvsmiDriver implements Driver {

    /** How close the enforced limit must be to the commanded cap when the profile gives no tolerance. */
    static final double DEFAULT_TOLERANCE_WATTS = 0.5;

    private static final Logger logger = LoggerFactory.getLogger(NvsmiDriver.class);

    private final String deviceId;
    private final String executable;
    private final Duration timeout;
    private final FirmwareProfile profile;
    private final NvsmiProfile compiled;
    private final Clock clock;
    private final NvsmiProcess process;
    private final Map<Integer, Double> commanded = new LinkedHashMap<>();
    private final Counter reapplied;
    private volatile boolean closed;

    public NvsmiDriver(
            String deviceId,
            String executable,
            Duration timeout,
            FirmwareProfile profile,
            NvsmiProfile compiled,
            Clock clock,
            MeterRegistry meters) {
        this(deviceId, executable, timeout, profile, compiled, clock, meters, RawReplyRecorder.NONE);
    }

    /** As the other constructor, keeping each poll's command lines and output in {@code replies}. */
    public NvsmiDriver(
            String deviceId,
            String executable,
            Duration timeout,
            FirmwareProfile profile,
            NvsmiProfile compiled,
            Clock clock,
            MeterRegistry meters,
            RawReplyRecorder replies) {
        this.process = new NvsmiProcess(replies);
        this.deviceId = deviceId;
        this.executable = executable;
        this.timeout = timeout;
        this.profile = profile;
        this.compiled = compiled;
        this.clock = clock;
        this.reapplied = Counter.builder("headroom.driver.nvsmi.cap.reapplied")
                .description("Power caps sent again after the GPU's enforced limit reverted")
                .tag("device", deviceId)
                .register(meters);
    }

    @Override
    public PollResult poll() throws InterruptedException {
        if (closed) {
            return PollResult.offline(clock.instant(), NvsmiException.CLOSED, "driver closed");
        }
        NvsmiReadings.Interpretation read;
        try {
            read = query();
        } catch (NvsmiException e) {
            if (e.offline()) {
                return PollResult.offline(clock.instant(), e.reason(), e.getMessage());
            }
            return new PollResult(
                    clock.instant(), DeviceHealth.DEVICE_HEALTH_DEGRADED, e.reason(), e.getMessage(), null, List.of());
        }
        List<String> failed = reapply(read.limits());
        PollResult result = read.result();
        if (failed.isEmpty() || closed) {
            return result;
        }
        return new PollResult(
                result.at(),
                DeviceHealth.DEVICE_HEALTH_DEGRADED,
                "power-cap-reapply-failed",
                String.join("; ", failed) + (result.message().isEmpty() ? "" : "; " + result.message()),
                result.identity(),
                result.readings());
    }

    /** Runs {@code -q -x} and interprets it. */
    private NvsmiReadings.Interpretation query() throws NvsmiException, InterruptedException {
        NvsmiProcess.Output output = process.run(List.of(executable, "-q", "-x"), timeout);
        if (output.exitCode() != 0) {
            String words = output.words();
            boolean noDriver = words.toLowerCase(Locale.ROOT).contains("couldn't communicate with the nvidia driver");
            throw new NvsmiException(
                    noDriver ? NvsmiException.CONNECTION_REFUSED : NvsmiException.COMMAND_FAILED,
                    true,
                    executable + " -q -x exited with " + output.exitCode() + (words.isEmpty() ? "" : ": " + words));
        }
        return NvsmiReadings.interpret(clock.instant(), compiled, NvsmiXml.parse(output.bytes()));
    }

    /** Sends each remembered cap again whose GPU now enforces another limit; returns the failures. */
    private List<String> reapply(Map<Integer, GpuLimits> limits) throws InterruptedException {
        List<String> failed = new ArrayList<>();
        for (Map.Entry<Integer, Double> cap : new ArrayList<>(commanded.entrySet())) {
            GpuLimits gpu = limits.get(cap.getKey());
            if (gpu == null || gpu.enforced().isEmpty()) {
                continue;
            }
            double enforced = gpu.enforced().getAsDouble();
            if (Math.abs(enforced - cap.getValue()) <= tolerance()) {
                continue;
            }
            String watts = CapabilityRules.number(cap.getValue());
            try {
                NvsmiProcess.Output output = process.run(setCommand(cap.getKey(), cap.getValue()), timeout);
                if (output.exitCode() == 0) {
                    reapplied.increment();
                    logger.info(
                            "device {}: GPU {} enforced {} W instead of the commanded {} W (driver reloaded?); cap sent again",
                            deviceId,
                            cap.getKey(),
                            CapabilityRules.number(enforced),
                            watts);
                } else {
                    failed.add("GPU " + cap.getKey() + " reverted to " + CapabilityRules.number(enforced)
                            + " W; re-applying " + watts + " W failed (exit " + output.exitCode() + "): "
                            + output.words());
                }
            } catch (NvsmiException e) {
                failed.add("GPU " + cap.getKey() + " reverted to " + CapabilityRules.number(enforced)
                        + " W; re-applying " + watts + " W failed: " + e.getMessage());
            }
        }
        return failed;
    }

    private List<String> setCommand(int index, double watts) {
        return List.of(executable, "-i", Integer.toString(index), "-pl", CapabilityRules.number(watts));
    }

    private double tolerance() {
        return profile.capability(Verb.VERB_SET_POWER_CAP)
                .flatMap(Capability::readBack)
                .map(ReadBack::tolerance)
                .filter(t -> t > 0)
                .orElse(DEFAULT_TOLERANCE_WATTS);
    }

    @Override
    public CommandOutcome execute(Verb verb, double value, String instance) throws InterruptedException {
        if (closed) {
            return outcome(
                    ResultStatus.RESULT_STATUS_FAILED, NvsmiException.CLOSED, "driver closed", OptionalDouble.empty());
        }
        Optional<Capability> capability = profile.capability(verb);
        if (verb != Verb.VERB_SET_POWER_CAP || capability.isEmpty()) {
            return outcome(
                    ResultStatus.RESULT_STATUS_REJECTED,
                    CapabilityRules.UNSUPPORTED,
                    profile.id() + " has no " + Verbs.name(verb) + " capability",
                    OptionalDouble.empty());
        }
        int index;
        try {
            index = Integer.parseInt(instance);
        } catch (NumberFormatException e) {
            return outcome(
                    ResultStatus.RESULT_STATUS_REJECTED,
                    CapabilityRules.UNKNOWN_INSTANCE,
                    "set-power-cap needs a GPU index as its instance, not '" + instance + "'",
                    OptionalDouble.empty());
        }
        String watts = CapabilityRules.number(value);
        GpuLimits before;
        try {
            Map<Integer, GpuLimits> limits = query().limits();
            before = limits.get(index);
            if (before == null) {
                return outcome(
                        ResultStatus.RESULT_STATUS_REJECTED,
                        CapabilityRules.UNKNOWN_INSTANCE,
                        "no GPU " + index + " on this host; nvidia-smi lists "
                                + (limits.isEmpty() ? "none" : "0.." + (limits.size() - 1)),
                        OptionalDouble.empty());
            }
        } catch (NvsmiException e) {
            return outcome(
                    ResultStatus.RESULT_STATUS_FAILED,
                    e.reason(),
                    "cannot read GPU " + index + "'s power limits before setting one: " + e.getMessage(),
                    OptionalDouble.empty());
        }
        if (before.min().isEmpty() || before.max().isEmpty()) {
            return outcome(
                    ResultStatus.RESULT_STATUS_FAILED,
                    "no-constraints",
                    "nvidia-smi reports no min/max power limit for GPU " + index + " (power management not supported?)",
                    OptionalDouble.empty());
        }
        double min = before.min().getAsDouble();
        double max = before.max().getAsDouble();
        if (value < min || value > max) {
            return outcome(
                    ResultStatus.RESULT_STATUS_REJECTED,
                    CapabilityRules.OUT_OF_RANGE,
                    watts + " W is outside " + CapabilityRules.number(min) + ".." + CapabilityRules.number(max)
                            + " W, the range nvidia-smi reports for GPU " + index,
                    OptionalDouble.empty());
        }
        NvsmiProcess.Output set;
        List<String> command = setCommand(index, value);
        try {
            set = process.run(command, timeout);
        } catch (NvsmiException e) {
            return outcome(ResultStatus.RESULT_STATUS_FAILED, e.reason(), e.getMessage(), OptionalDouble.empty());
        }
        String shown = "nvidia-smi -i " + index + " -pl " + watts;
        if (set.exitCode() != 0) {
            String words = set.words();
            boolean permission =
                    set.exitCode() == 4 || words.toLowerCase(Locale.ROOT).contains("permission");
            return outcome(
                    ResultStatus.RESULT_STATUS_FAILED,
                    permission ? "permission-denied" : "device-error",
                    shown + " failed (exit " + set.exitCode() + "): " + words,
                    OptionalDouble.empty());
        }
        return readBack(index, value, shown, set.words(), before.persistent());
    }

    private CommandOutcome readBack(int index, double value, String shown, String words, boolean persistent)
            throws InterruptedException {
        OptionalDouble enforced;
        try {
            GpuLimits after = query().limits().get(index);
            enforced = after == null ? OptionalDouble.empty() : after.enforced();
        } catch (NvsmiException e) {
            return outcome(
                    ResultStatus.RESULT_STATUS_FAILED,
                    "readback-failed",
                    shown + " sent, but reading the limit back failed: " + e.getMessage(),
                    OptionalDouble.empty());
        }
        if (enforced.isEmpty()) {
            return outcome(
                    ResultStatus.RESULT_STATUS_FAILED,
                    "readback-failed",
                    shown + " sent, but nvidia-smi no longer reports GPU " + index + "'s enforced limit",
                    OptionalDouble.empty());
        }
        double seen = enforced.getAsDouble();
        if (Math.abs(seen - value) > tolerance()) {
            return outcome(
                    ResultStatus.RESULT_STATUS_FAILED,
                    "readback-mismatch",
                    "asked " + CapabilityRules.number(value) + " W, GPU " + index + " enforces "
                            + CapabilityRules.number(seen) + " W"
                            + (words.isEmpty() ? "" : "; nvidia-smi said: " + words),
                    enforced);
        }
        commanded.put(index, value);
        return outcome(
                ResultStatus.RESULT_STATUS_APPLIED,
                "",
                "GPU " + index + " enforces " + CapabilityRules.number(seen) + " W"
                        + (persistent
                                ? ""
                                : "; persistence mode is off, so the cap is lost when the driver unloads"
                                        + " (the agent sends it again when it sees that)"),
                enforced);
    }

    private static CommandOutcome outcome(ResultStatus status, String reason, String message, OptionalDouble readBack) {
        return new CommandOutcome(status, reason, message, readBack);
    }

    @Override
    public void close() {
        closed = true;
        process.close();
    }

    @Override
    public String toString() {
        return "NvsmiDriver[" + deviceId + " " + executable + " " + profile.id() + "]";
    }
}
