package io.headroom.agent.driver.cgminer;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.driver.DeviceIdentity;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.driver.Reading;
import io.headroom.agent.rawreply.RawReplyRecorder;
import io.headroom.profiles.FirmwareProfile;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    private final CgminerCommands commands;
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
        this(deviceId, host, port, timeout, profile, compiled, clock, RawReplyRecorder.NONE);
    }

    /** As the other constructor, keeping the raw replies of each poll in {@code replies}. */
    public CgminerDriver(
            String deviceId,
            String host,
            int port,
            Duration timeout,
            FirmwareProfile profile,
            CgminerProfile compiled,
            Clock clock,
            RawReplyRecorder replies) {
        this.deviceId = deviceId;
        this.host = host;
        this.port = port;
        this.profile = profile;
        this.compiled = compiled;
        this.points = compiled.points();
        this.clock = clock;
        this.client = new CgminerClient(host, port, timeout, replies);
        this.commands = new CgminerCommands(deviceId, profile, points, client, clock);
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
        List<CgminerException> problems = new ArrayList<>();
        List<Reading> readings = CgminerReadings.read(profile.points(), roots, problems);
        if (!problems.isEmpty()) {
            failures = new ArrayList<>(failures);
            failures.addAll(problems);
        }
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
        return commands.execute(verb, value, instance);
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
