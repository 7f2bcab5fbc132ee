package io.headroom.agent.driver.antminer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContext;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.transport.http.HttpTransport;
import io.headroom.config.SecretRef;
import io.headroom.profiles.FirmwareProfile;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and controls one Antminer on stock firmware through its web CGIs (decision D34: telemetry is read
 * here too, not from the RPC port, so one device is one driver and one login). A poll asks
 * {@link #POLL_CGIS} in order, one HTTP exchange each; a failed CGI is a per-read error and the others'
 * readings are kept (DEGRADED). When the first CGI fails at the connection level, or on authentication, the
 * rest are not tried: one timeout or one refusal per poll, not one per CGI. Faults the miner reports in its
 * summary make the poll DEGRADED with reason {@code device-status}; the readings are kept.
 */
public final class AntminerDriver implements Driver {

    /** The CGIs of one poll, in order. */
    static final List<String> POLL_CGIS = List.of("stats", "summary", "get_miner_conf");

    static final String DEVICE_STATUS = "device-status";

    private static final Logger logger = LoggerFactory.getLogger(AntminerDriver.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String deviceId;
    private final AntminerSettings settings;
    private final FirmwareProfile profile;
    private final AntminerProfile compiled;
    private final Clock clock;
    private final Duration timeout;
    private final HttpTransport transport;
    private final AntminerWebClient client;
    private final AntminerControls controls;
    private volatile boolean closed;

    AntminerDriver(
            String deviceId,
            AntminerSettings settings,
            Optional<SecretRef> credentials,
            Duration timeout,
            FirmwareProfile profile,
            AntminerProfile compiled,
            HttpTransport transport,
            DriverContext context) {
        this.deviceId = deviceId;
        this.settings = settings;
        this.profile = profile;
        this.compiled = compiled;
        this.clock = context.wallClock();
        this.timeout = timeout;
        this.transport = transport;
        this.client = new AntminerWebClient(
                deviceId,
                settings,
                transport,
                new DigestAuthenticator(new SecureRandom()),
                () -> password(credentials, context));
        this.controls = new AntminerControls(profile, compiled.points(), client, timeout, settings.writeTimeout());
    }

    private char[] password(Optional<SecretRef> credentials, DriverContext context) throws AntminerException {
        if (credentials.isEmpty()) {
            throw new AntminerException(
                    AntminerException.NO_CREDENTIALS,
                    "device " + deviceId + " has no credentials: every CGI of the stock firmware needs the web"
                            + " password of user '" + settings.username() + "' (a credentials reference)");
        }
        try {
            return context.secrets().resolve(credentials.get());
        } catch (IOException e) {
            throw new AntminerException(
                    AntminerException.NO_CREDENTIALS, "device " + deviceId + ": " + e.getMessage(), false, e);
        }
    }

    /** Digest challenges received so far, for tests. */
    int challenges() {
        return client.challenges();
    }

    @Override
    public PollResult poll() throws InterruptedException {
        if (closed) {
            return PollResult.offline(clock.instant(), AntminerException.CLOSED, "driver closed");
        }
        Map<String, JsonNode> replies = new LinkedHashMap<>();
        List<AntminerException> failures = new ArrayList<>();
        for (String cgi : POLL_CGIS) {
            try {
                replies.put(cgi, client.get(cgi, timeout));
            } catch (AntminerException e) {
                failures.add(e);
                if (stopsPoll(e) || (replies.isEmpty() && e.isTransport())) {
                    break;
                }
            }
        }
        if (closed) {
            return PollResult.offline(clock.instant(), AntminerException.CLOSED, "driver closed");
        }
        try {
            return interpret(clock.instant(), compiled, replies, failures);
        } catch (RuntimeException e) {
            logger.warn("device {}: cannot interpret replies", deviceId, e);
            return PollResult.offline(
                    clock.instant(), AntminerException.BAD_RESPONSE, "cannot interpret replies: " + e);
        }
    }

    private static boolean stopsPoll(AntminerException e) {
        return e.reason().equals(AntminerException.CLOSED)
                || e.reason().equals(AntminerException.AUTH_FAILED)
                || e.reason().equals(AntminerException.AUTH_UNSUPPORTED)
                || e.reason().equals(AntminerException.NO_CREDENTIALS);
    }

    /** Parses raw CGI bodies exactly as a poll does and interprets them (the golden cases). */
    static PollResult interpretRaw(Instant at, AntminerProfile compiled, Map<String, String> raw) {
        Map<String, JsonNode> replies = new LinkedHashMap<>();
        List<AntminerException> failures = new ArrayList<>();
        for (Map.Entry<String, String> entry : raw.entrySet()) {
            try {
                replies.put(entry.getKey(), parse(entry.getKey(), entry.getValue()));
            } catch (AntminerException e) {
                failures.add(e);
            }
        }
        return interpret(at, compiled, replies, failures);
    }

    /** A raw CGI body as the client checks it: a JSON object. */
    static JsonNode parse(String cgi, String raw) throws AntminerException {
        JsonNode root;
        try {
            root = JSON.readTree(raw);
        } catch (IOException e) {
            throw new AntminerException(
                    "garbage", "/cgi-bin/" + cgi + ".cgi: the body is not JSON: " + e.getMessage(), false, e);
        }
        if (root == null || !root.isObject()) {
            throw new AntminerException("garbage", "/cgi-bin/" + cgi + ".cgi: expected a JSON object");
        }
        return root;
    }

    private static PollResult interpret(
            Instant at, AntminerProfile compiled, Map<String, JsonNode> replies, List<AntminerException> failures) {
        if (replies.isEmpty()) {
            return PollResult.offline(
                    at,
                    failures.isEmpty()
                            ? AntminerException.BAD_RESPONSE
                            : failures.get(0).reason(),
                    failures.isEmpty() ? "no replies" : describe(failures));
        }
        AntminerReadings.Interpretation seen = AntminerReadings.interpret(replies, compiled.points());
        if (!failures.isEmpty()) {
            return new PollResult(
                    at,
                    DeviceHealth.DEVICE_HEALTH_DEGRADED,
                    failures.get(0).reason(),
                    describe(failures),
                    seen.identity(),
                    seen.readings());
        }
        if (!seen.faults().isEmpty()) {
            return new PollResult(
                    at,
                    DeviceHealth.DEVICE_HEALTH_DEGRADED,
                    DEVICE_STATUS,
                    "the miner reports " + String.join("; ", seen.faults()),
                    seen.identity(),
                    seen.readings());
        }
        return new PollResult(at, DeviceHealth.DEVICE_HEALTH_ONLINE, "", "", seen.identity(), seen.readings());
    }

    private static String describe(List<AntminerException> failures) {
        return failures.stream().map(Throwable::getMessage).collect(Collectors.joining("; "));
    }

    @Override
    public CommandOutcome execute(Verb verb, double value, String instance) throws InterruptedException {
        if (closed) {
            return new CommandOutcome(
                    ResultStatus.RESULT_STATUS_FAILED,
                    AntminerException.CLOSED,
                    "driver closed",
                    OptionalDouble.empty());
        }
        return controls.execute(verb);
    }

    @Override
    public void close() {
        closed = true;
        transport.close();
    }

    @Override
    public String toString() {
        return "AntminerDriver[" + deviceId + " " + settings.host() + ":" + settings.port() + " " + profile.id() + "]";
    }
}
