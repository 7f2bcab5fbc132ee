package io.headroom.protocol;

import com.google.protobuf.Message;
import io.headroom.protocol.wire.Ack;
import io.headroom.protocol.wire.Birth;
import io.headroom.protocol.wire.Capability;
import io.headroom.protocol.wire.Command;
import io.headroom.protocol.wire.ControllerState;
import io.headroom.protocol.wire.Data;
import io.headroom.protocol.wire.Death;
import io.headroom.protocol.wire.DeviceDescriptor;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.DeviceKind;
import io.headroom.protocol.wire.DeviceStatus;
import io.headroom.protocol.wire.MetricDefinition;
import io.headroom.protocol.wire.MetricType;
import io.headroom.protocol.wire.Result;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;

/**
 * The rules a decoded message must satisfy beyond parsing. Structural only: whether a metric name
 * is known, or a seq is the one expected, is for the receiver to judge and count.
 */
final class PayloadRules {
    private static final int MAX_COMMAND_ID_LENGTH = 64;

    private static final int MAX_UNIT_LENGTH = 16;

    private PayloadRules() {}

    /** Returns the first broken rule as {@code "field: problem"}, or {@code null} if none. */
    static String check(Message message) {
        if (message instanceof Data data) {
            return checkData(data);
        } else if (message instanceof Birth birth) {
            return checkBirth(birth);
        } else if (message instanceof Result result) {
            return checkResult(result);
        } else if (message instanceof Command command) {
            return checkCommand(command);
        } else if (message instanceof Ack ack) {
            return ack.getBootId() == 0 ? "boot_id: must not be 0" : null;
        } else if (message instanceof Death death) {
            return checkDeath(death);
        } else if (message instanceof ControllerState state) {
            return state.getTimestampMs() <= 0 ? "timestamp_ms: must be positive" : null;
        }
        throw new IllegalArgumentException("no rules for " + message.getClass().getName());
    }

    private static String checkSequence(long bootId, long seq) {
        if (bootId == 0) {
            return "boot_id: must not be 0";
        }
        if (seq == 0) {
            return "seq: must be at least 1";
        }
        return null;
    }

    private static String checkData(Data data) {
        return checkData(
                data.getBootId(),
                data.getSeq(),
                data.getAliasCount(),
                data.getValueCount(),
                data.getOffsetMsCount(),
                data.getQualityCount(),
                data::getQualityValue,
                data.getStatusCount(),
                data::getStatus);
    }

    /**
     * The rules of a Data, on its fields as counted and read by the generated message or by
     * {@link DataFrame}: one set of rules for both decoders.
     */
    static String checkData(
            long bootId,
            long seq,
            int aliases,
            int values,
            int offsets,
            int qualities,
            IntUnaryOperator quality,
            int statuses,
            IntFunction<DeviceStatus> status) {
        String problem = checkSequence(bootId, seq);
        if (problem != null) {
            return problem;
        }
        if (values != aliases) {
            return "value: " + values + " values for " + aliases + " aliases";
        }
        if (offsets != 0 && offsets != aliases) {
            return "offset_ms: " + offsets + " offsets for " + aliases + " aliases";
        }
        if (qualities != 0 && qualities != aliases) {
            return "quality: " + qualities + " qualities for " + aliases + " aliases";
        }
        for (int i = 0; i < qualities; i++) {
            int code = quality.applyAsInt(i);
            if (code < 0 || code > 2) {
                return "quality[" + i + "]: unknown code " + code;
            }
        }
        for (int i = 0; i < statuses; i++) {
            problem = checkStatus(status.apply(i));
            if (problem != null) {
                return "status[" + i + "]." + problem;
            }
        }
        return null;
    }

    private static String checkStatus(DeviceStatus status) {
        String idProblem = Topics.idProblem(status.getDeviceId());
        if (idProblem != null) {
            return "device_id: " + idProblem;
        }
        if (status.getHealth() == DeviceHealth.DEVICE_HEALTH_UNSPECIFIED
                || status.getHealth() == DeviceHealth.UNRECOGNIZED) {
            return "health: must be ONLINE, DEGRADED or OFFLINE";
        }
        return null;
    }

    private static String checkBirth(Birth birth) {
        String problem = Topics.idProblem(birth.getAgentId());
        if (problem != null) {
            return "agent_id: " + problem;
        }
        problem = checkSequence(birth.getBootId(), birth.getSeq());
        if (problem != null) {
            return problem;
        }
        if (birth.getPendingFromSeq() == 0 || birth.getPendingFromSeq() > birth.getSeq()) {
            return "pending_from_seq: must be between 1 and seq (" + birth.getSeq() + ")";
        }
        Set<String> deviceIds = new HashSet<>();
        Set<Integer> aliases = new HashSet<>();
        for (int d = 0; d < birth.getDevicesCount(); d++) {
            DeviceDescriptor device = birth.getDevices(d);
            String at = "devices[" + d + "]";
            problem = Topics.idProblem(device.getId());
            if (problem != null) {
                return at + ".id: " + problem;
            }
            if (!deviceIds.add(device.getId())) {
                return at + ".id: duplicate device '" + device.getId() + "'";
            }
            if (device.getKind() == DeviceKind.DEVICE_KIND_UNSPECIFIED || device.getKind() == DeviceKind.UNRECOGNIZED) {
                return at + ".kind: must be set";
            }
            if (!(device.getNameplatePowerW() >= 0) || Double.isInfinite(device.getNameplatePowerW())) {
                return at + ".nameplate_power_w: must be a finite number ≥ 0";
            }
            if (!(device.getNameplateHashrateThs() >= 0) || Double.isInfinite(device.getNameplateHashrateThs())) {
                return at + ".nameplate_hashrate_ths: must be a finite number ≥ 0";
            }
            for (int m = 0; m < device.getMetricsCount(); m++) {
                problem = checkMetric(device.getMetrics(m), aliases);
                if (problem != null) {
                    return at + ".metrics[" + m + "]." + problem;
                }
            }
            Set<Verb> verbs = EnumSet.noneOf(Verb.class);
            for (int c = 0; c < device.getCapabilitiesCount(); c++) {
                problem = checkCapability(device.getCapabilities(c), verbs);
                if (problem != null) {
                    return at + ".capabilities[" + c + "]." + problem;
                }
            }
        }
        return null;
    }

    private static String checkMetric(MetricDefinition metric, Set<Integer> aliases) {
        if (!isMetricName(metric.getName())) {
            return "name: '" + metric.getName() + "' is not lowercase and dot-separated";
        }
        if (!MetricDictionary.isValidInstance(metric.getInstance())) {
            return "instance: '" + metric.getInstance() + "' must be 1-32 characters of [a-z0-9_-]";
        }
        if (metric.getType() == MetricType.METRIC_TYPE_UNSPECIFIED || metric.getType() == MetricType.UNRECOGNIZED) {
            return "type: must be set";
        }
        if (!aliases.add(metric.getAlias())) {
            return "alias: duplicate alias " + metric.getAlias();
        }
        return null;
    }

    private static String checkCapability(Capability capability, Set<Verb> verbs) {
        String problem = checkVerb(capability.getVerb(), capability.getVerbValue());
        if (problem != null) {
            return problem;
        }
        if (!verbs.add(capability.getVerb())) {
            return "verb: " + capability.getVerb() + " is listed twice for this device";
        }
        if (capability.getUnit().length() > MAX_UNIT_LENGTH) {
            return "unit: must be at most " + MAX_UNIT_LENGTH + " characters";
        }
        if (!Double.isFinite(capability.getMin())) {
            return "min: must be finite";
        }
        if (!Double.isFinite(capability.getMax())) {
            return "max: must be finite";
        }
        if (capability.getMin() > capability.getMax()) {
            return "min: " + capability.getMin() + " is greater than max " + capability.getMax();
        }
        if (!(capability.getStep() >= 0) || Double.isInfinite(capability.getStep())) {
            return "step: must be a finite number ≥ 0";
        }
        Set<String> instances = new HashSet<>();
        for (int i = 0; i < capability.getInstancesCount(); i++) {
            String instance = capability.getInstances(i);
            problem = Topics.idProblem(instance);
            if (problem != null) {
                return "instances[" + i + "]: " + problem;
            }
            if (!instances.add(instance)) {
                return "instances[" + i + "]: duplicate instance '" + instance + "'";
            }
        }
        String metric = capability.getReadBackMetric();
        if (!metric.isEmpty() && !isMetricName(metric)) {
            return "read_back_metric: '" + metric + "' is not lowercase and dot-separated";
        }
        if (!(capability.getTolerance() >= 0) || Double.isInfinite(capability.getTolerance())) {
            return "tolerance: must be a finite number ≥ 0";
        }
        return null;
    }

    private static String checkVerb(Verb verb, int number) {
        if (verb == Verb.VERB_UNSPECIFIED) {
            return "verb: must be set";
        }
        if (verb == Verb.UNRECOGNIZED) {
            return "verb: unknown verb " + number;
        }
        return null;
    }

    private static boolean isMetricName(String name) {
        if (name.isEmpty() || name.length() > 64 || name.charAt(0) == '.' || name.charAt(name.length() - 1) == '.') {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || c == '_'
                    || (c == '.' && name.charAt(i - 1) != '.'))) {
                return false;
            }
        }
        return true;
    }

    private static String checkResult(Result result) {
        String problem = checkSequence(result.getBootId(), result.getSeq());
        if (problem != null) {
            return problem;
        }
        if (result.getCommandId().isEmpty() || result.getCommandId().length() > MAX_COMMAND_ID_LENGTH) {
            return "command_id: must be 1-" + MAX_COMMAND_ID_LENGTH + " characters";
        }
        if (result.getStatus() == ResultStatus.RESULT_STATUS_UNSPECIFIED
                || result.getStatus() == ResultStatus.UNRECOGNIZED) {
            return "status: must be set";
        }
        if (result.getRawReplyBytes().size() > RawReplyLimits.MAX_REPLY_BYTES) {
            return "raw_reply: must be at most " + RawReplyLimits.MAX_REPLY_BYTES + " bytes, got "
                    + result.getRawReplyBytes().size();
        }
        if (result.getRawRequestBytes().size() > RawReplyLimits.MAX_REQUEST_BYTES) {
            return "raw_request: must be at most " + RawReplyLimits.MAX_REQUEST_BYTES + " bytes, got "
                    + result.getRawRequestBytes().size();
        }
        return null;
    }

    private static String checkCommand(Command command) {
        if (command.getCommandId().isEmpty() || command.getCommandId().length() > MAX_COMMAND_ID_LENGTH) {
            return "command_id: must be 1-" + MAX_COMMAND_ID_LENGTH + " characters";
        }
        String problem = Topics.idProblem(command.getDeviceId());
        if (problem != null) {
            return "device_id: " + problem;
        }
        // A verb number this build does not know passes: the agent answers it REJECTED "unsupported"
        // with its command id, so the controller hears why, rather than dropping it unanswered.
        if (command.getVerb() == Verb.VERB_UNSPECIFIED) {
            return "verb: must be set";
        }
        if (!Double.isFinite(command.getValue())) {
            return "value: must be finite";
        }
        if (!command.getInstance().isEmpty()) {
            problem = Topics.idProblem(command.getInstance());
            if (problem != null) {
                return "instance: " + problem;
            }
        }
        if (command.getIssuedAtMs() <= 0) {
            return "issued_at_ms: must be positive";
        }
        if (command.getTtlMs() == 0) {
            return "ttl_ms: must be positive";
        }
        return null;
    }

    private static String checkDeath(Death death) {
        String problem = Topics.idProblem(death.getAgentId());
        if (problem != null) {
            return "agent_id: " + problem;
        }
        return death.getBootId() == 0 ? "boot_id: must not be 0" : null;
    }
}
