package io.headroom.agent.driver.cgminer;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.driver.DeviceIdentity;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.driver.Reading;
import io.headroom.profiles.Capability;
import io.headroom.profiles.FirmwareProfile;
import io.headroom.profiles.ReadBack;
import io.headroom.protocol.Mode;
import io.headroom.protocol.Verbs;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and controls one CGMiner-family miner as its firmware profile says. A poll sends the
 * profile's read commands one connection each; a failed command is a per-command error and the
 * others' readings are kept (DEGRADED). When the first command fails at the connection level and
 * nothing has answered yet, the rest are not tried: the device is OFFLINE and one timeout, not
 * one per command, is spent on it.
 *
 * <p>The identify command ({@code version}) is sent at the first poll and again every
 * {@value #IDENTITY_EVERY} polls; identity is reported only by the poll that read it.
 */
public final class CgminerDriver implements Driver {

    /** Polls between two reads of the device's identity. */
    static final int IDENTITY_EVERY = 10;

    private static final Logger logger = LoggerFactory.getLogger(CgminerDriver.class);

    private final String deviceId;
    private final String host;
    private final int port;
    private final FirmwareProfile profile;
    private final CgminerProfile compiled;
    private final CgminerPoints points;
    private final Clock clock;
    private final CgminerClient client;
    private volatile boolean closed;
    private int pollsSinceIdentity = IDENTITY_EVERY;
    private boolean identityKnown;

    /**
     * @param deviceId for logs
     * @param host address of the miner's RPC
     * @param port its TCP port
     * @param timeout limit for one request
     * @param profile the device's profile (its id and capabilities)
     * @param compiled the profile's points and match rules
     * @param clock time stamps of polls
     */
    public CgminerDriver(
            String deviceId,
            String host,
            int port,
            Duration timeout,
            FirmwareProfile profile,
            CgminerProfile compiled,
            Clock clock) {
        this.deviceId = deviceId;
        this.host = host;
        this.port = port;
        this.profile = profile;
        this.compiled = compiled;
        this.points = compiled.points();
        this.clock = clock;
        this.client = new CgminerClient(host, port, timeout);
    }

    @Override
    public PollResult poll() throws InterruptedException {
        if (closed) {
            return PollResult.offline(clock.instant(), CgminerException.CLOSED, "driver closed");
        }
        boolean wantIdentity = !identityKnown
                || pollsSinceIdentity >= IDENTITY_EVERY
                || points.reads().size() == 1;
        String identifyCommand = compiled.identify().command();
        Map<String, CgminerReply> replies = new LinkedHashMap<>();
        List<CgminerException> failures = new ArrayList<>();
        for (String command : points.reads()) {
            if (command.equals(identifyCommand) && !wantIdentity) {
                continue;
            }
            try {
                replies.put(command, client.request(command).requireSection());
            } catch (CgminerException e) {
                failures.add(e);
                if (e.reason().equals(CgminerException.CLOSED)) {
                    break;
                }
                if (replies.isEmpty() && e.isTransport()) {
                    break; // the device is not answering: do not spend a timeout per command
                }
            }
        }
        if (closed) {
            return PollResult.offline(clock.instant(), CgminerException.CLOSED, "driver closed");
        }
        PollResult result;
        try {
            result = interpret(clock.instant(), compiled, replies, failures);
        } catch (RuntimeException e) {
            // A reply shape the mapping code did not foresee: a device fault, never an escape.
            logger.warn("device {}: cannot interpret replies", deviceId, e);
            return PollResult.offline(clock.instant(), CgminerException.BAD_RESPONSE, "cannot interpret replies: " + e);
        }
        if (result.identity() != null) {
            identityKnown = true;
            pollsSinceIdentity = 0;
            JsonNode version = replies.get(identifyCommand).root();
            if (!CgminerReadings.identifies(compiled.identify(), version)) {
                logger.warn(
                        "device {}: reply to {} does not match profile {} ({})",
                        deviceId,
                        identifyCommand,
                        profile.id(),
                        result.identity());
            }
        }
        pollsSinceIdentity++;
        return result;
    }

    /**
     * Parses raw replies by command exactly as a poll does and interprets them; what the golden
     * cases of {@code firmware-profiles} run.
     */
    static PollResult interpretRaw(Instant at, CgminerProfile profile, Map<String, String> rawReplies) {
        Map<String, CgminerReply> replies = new LinkedHashMap<>();
        List<CgminerException> failures = new ArrayList<>();
        for (Map.Entry<String, String> raw : rawReplies.entrySet()) {
            try {
                replies.put(
                        raw.getKey(),
                        CgminerReply.parse(raw.getKey(), raw.getValue()).requireSection());
            } catch (CgminerException e) {
                failures.add(e);
            }
        }
        if (replies.isEmpty()) {
            return PollResult.offline(
                    at,
                    failures.isEmpty()
                            ? CgminerException.BAD_RESPONSE
                            : failures.get(0).reason(),
                    failures.isEmpty() ? "no replies" : describe(failures));
        }
        return interpret(at, profile, replies, failures);
    }

    /** Health, readings and identity from the replies that parsed and the commands that failed. */
    private static PollResult interpret(
            Instant at, CgminerProfile profile, Map<String, CgminerReply> replies, List<CgminerException> failures) {
        if (replies.isEmpty()) {
            return PollResult.offline(at, failures.get(0).reason(), describe(failures));
        }
        Map<String, JsonNode> roots = new LinkedHashMap<>();
        boolean truncated = false;
        for (CgminerReply reply : replies.values()) {
            roots.put(reply.command(), reply.root());
            truncated |= reply.truncated();
        }
        List<Reading> readings = CgminerReadings.read(profile.points(), roots);
        JsonNode version = roots.get(profile.identify().command());
        DeviceIdentity identity = version == null ? null : CgminerReadings.identity(version);
        if (failures.isEmpty() && !truncated) {
            return new PollResult(at, DeviceHealth.DEVICE_HEALTH_ONLINE, "", "", identity, readings);
        }
        String reason =
                failures.isEmpty() ? "truncated-response" : failures.get(0).reason();
        String message = failures.isEmpty()
                ? "a reply was cut short; its last field was dropped"
                : describe(failures) + (truncated ? "; a reply was cut short" : "");
        return new PollResult(at, DeviceHealth.DEVICE_HEALTH_DEGRADED, reason, message, identity, readings);
    }

    private static String describe(List<CgminerException> failures) {
        return failures.stream().map(Throwable::getMessage).collect(Collectors.joining("; "));
    }

    @Override
    public CommandOutcome execute(Verb verb, double value, String instance) throws InterruptedException {
        if (closed) {
            return outcome(
                    ResultStatus.RESULT_STATUS_FAILED,
                    CgminerException.CLOSED,
                    "driver closed",
                    OptionalDouble.empty());
        }
        Optional<Capability> capability = profile.capability(verb);
        CgminerControl control = points.controls().get(Verbs.name(verb));
        if (capability.isEmpty() || control == null) {
            return outcome(
                    ResultStatus.RESULT_STATUS_REJECTED,
                    "unsupported",
                    profile.id() + " has no " + Verbs.name(verb) + " capability",
                    OptionalDouble.empty());
        }
        String sessionId = null;
        Optional<SessionSpec> session = control.needsSession() ? points.session() : Optional.empty();
        if (session.isPresent()) {
            try {
                CgminerReply logon = client.request(session.get().logon());
                JsonNode id = CgminerReadings.at(logon.root(), session.get().idPath());
                if (id == null || !id.isValueNode() || id.asText().isBlank()) {
                    return outcome(
                            ResultStatus.RESULT_STATUS_FAILED,
                            CgminerException.BAD_RESPONSE,
                            "logon reply has no " + session.get().idPath(),
                            OptionalDouble.empty());
                }
                sessionId = id.asText();
            } catch (CgminerException e) {
                // LuxOS allows one session at a time (DEVICES.md §4.5); its refusal names the session.
                boolean busy = e.reason().equals(CgminerException.DEVICE_ERROR)
                        && e.getMessage().toLowerCase(Locale.ROOT).contains("session");
                return outcome(
                        ResultStatus.RESULT_STATUS_FAILED,
                        busy ? "session-busy" : e.reason(),
                        e.getMessage(),
                        OptionalDouble.empty());
            }
        }
        String parameter = control.fill(sessionId, value, instance);
        try {
            client.request(control.command(), parameter);
        } catch (CgminerException e) {
            return outcome(ResultStatus.RESULT_STATUS_FAILED, e.reason(), e.getMessage(), OptionalDouble.empty());
        } finally {
            if (sessionId != null) {
                logoff(session.get(), sessionId);
            }
        }
        return readBack(verb, capability.get(), control, value);
    }

    private void logoff(SessionSpec session, String sessionId) throws InterruptedException {
        try {
            client.request(session.logoff(), sessionId);
        } catch (CgminerException e) {
            // The session expires on its own after a minute idle (DEVICES.md §4.5).
            logger.debug("device {}: {} failed: {}", deviceId, session.logoff(), e.getMessage());
        }
    }

    /** Reads the capability's read-back metric at once: the device's own report of what it now does. */
    private CommandOutcome readBack(Verb verb, Capability capability, CgminerControl control, double value)
            throws InterruptedException {
        if (capability.readBack().isEmpty()) {
            return outcome(
                    ResultStatus.RESULT_STATUS_APPLIED,
                    "",
                    control.command() + " accepted by the device",
                    OptionalDouble.empty());
        }
        ReadBack wanted = capability.readBack().get();
        FieldMapping field = points.field(wanted.metric()).orElseThrow();
        OptionalDouble observed;
        try {
            observed = CgminerReadings.fieldValue(
                    field, client.request(field.command()).root());
        } catch (CgminerException e) {
            return outcome(
                    ResultStatus.RESULT_STATUS_FAILED,
                    "readback-failed",
                    control.command() + " sent, but reading back " + field.path() + " failed: " + e.getMessage(),
                    OptionalDouble.empty());
        }
        Optional<Mode> expect = capability.expectedMode();
        if (expect.isPresent()) {
            if (observed.isPresent() && observed.getAsDouble() == expect.get().code()) {
                return outcome(
                        ResultStatus.RESULT_STATUS_APPLIED, "", field.path() + " confirms " + expect.get(), observed);
            }
            String seen = observed.isPresent()
                    ? String.valueOf(Mode.fromCode((int) observed.getAsDouble()))
                    : "an unknown value";
            return outcome(
                    ResultStatus.RESULT_STATUS_FAILED,
                    "readback-mismatch",
                    "expected " + expect.get() + " after " + control.command() + ", device reports " + seen,
                    observed);
        }
        if (observed.isPresent() && Math.abs(observed.getAsDouble() - value) <= wanted.tolerance()) {
            return outcome(
                    ResultStatus.RESULT_STATUS_APPLIED,
                    "",
                    field.path() + " confirms " + observed.getAsDouble(),
                    observed);
        }
        return outcome(
                ResultStatus.RESULT_STATUS_FAILED,
                "readback-mismatch",
                "expected " + value + " ± "
                        + wanted.tolerance() + " after " + Verbs.name(verb) + ", device reports "
                        + (observed.isPresent() ? observed.getAsDouble() : "an unknown value"),
                observed);
    }

    private static CommandOutcome outcome(ResultStatus status, String reason, String message, OptionalDouble readBack) {
        return new CommandOutcome(status, reason, message, readBack);
    }

    @Override
    public void close() {
        closed = true;
        client.close();
    }

    @Override
    public String toString() {
        return "CgminerDriver[" + deviceId + " " + host + ":" + port + " " + profile.id() + "]";
    }
}
