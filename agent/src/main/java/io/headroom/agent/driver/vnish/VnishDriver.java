package io.headroom.agent.driver.vnish;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContext;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.transport.http.HttpTransport;
import io.headroom.agent.transport.http.HttpTransportException;
import io.headroom.config.SecretRef;
import io.headroom.profiles.FirmwareProfile;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and controls one miner on Vnish firmware through its web REST API (decision D42). A poll asks
 * {@link #POLL_READS} in order, one HTTP exchange each, on one token; a failed read is a per-read error and the
 * others' readings are kept (DEGRADED). When a read fails at the connection level, or on authentication, the rest
 * are not tried: one timeout or one refusal per poll, not one per endpoint. Faults the miner reports (a failed
 * state, a failed board, a lost fan, dead pools) make the poll DEGRADED {@code device-status}; a reply of the wrong
 * shape or types makes it DEGRADED {@code bad-response} and is counted in
 * {@code headroom.driver.vnish.replies.rejected}.
 */
public final class VnishDriver implements Driver {

    /** The endpoints of one poll, in order, under {@code /api/v1/}. */
    static final List<String> POLL_READS = List.of("summary", "perf-summary", "info");

    static final String DEVICE_STATUS = "device-status";

    /** How many per-read problems a poll's message quotes. */
    private static final int QUOTED_PROBLEMS = 3;

    private static final Logger logger = LoggerFactory.getLogger(VnishDriver.class);

    private final String deviceId;
    private final VnishSettings settings;
    private final FirmwareProfile profile;
    private final VnishProfile compiled;
    private final Clock clock;
    private final Duration timeout;
    private final HttpTransport transport;
    private final VnishClient client;
    private final VnishControls controls;
    private final MeterRegistry meters;
    private volatile boolean closed;

    VnishDriver(
            String deviceId,
            VnishSettings settings,
            Optional<SecretRef> credentials,
            Duration timeout,
            FirmwareProfile profile,
            VnishProfile compiled,
            HttpTransport transport,
            DriverContext context) {
        this.deviceId = deviceId;
        this.settings = settings;
        this.profile = profile;
        this.compiled = compiled;
        this.clock = context.wallClock();
        this.timeout = timeout;
        this.transport = transport;
        this.meters = context.meters();
        this.client =
                new VnishClient(deviceId, settings, transport, () -> secret(deviceId, settings, credentials, context));
        this.controls = new VnishControls(profile, compiled.points(), client, timeout);
    }

    static char[] secret(
            String deviceId, VnishSettings settings, Optional<SecretRef> credentials, DriverContext context)
            throws VnishException {
        if (credentials.isEmpty()) {
            throw new VnishException(
                    VnishException.NO_CREDENTIALS,
                    "device " + deviceId + " has no credentials: the Vnish API needs "
                            + (settings.apiKey() ? "an API key" : "the web UI password")
                            + " (a credentials reference)");
        }
        try {
            return context.secrets().resolve(credentials.get());
        } catch (IOException e) {
            throw new VnishException(
                    VnishException.NO_CREDENTIALS, "device " + deviceId + ": " + e.getMessage(), false, e);
        }
    }

    /** Logins made so far, for tests. */
    int logins() {
        return client.logins();
    }

    @Override
    public PollResult poll() throws InterruptedException {
        if (closed) {
            return PollResult.offline(clock.instant(), VnishException.CLOSED, "driver closed");
        }
        Map<String, JsonNode> replies = new LinkedHashMap<>();
        List<VnishException> failures = new ArrayList<>();
        for (String endpoint : POLL_READS) {
            try {
                replies.put(endpoint, client.get(endpoint, timeout));
            } catch (VnishException e) {
                failures.add(e);
                if (e.reason().equals(VnishException.GARBAGE) || e.reason().equals(HttpTransportException.OVERSIZE)) {
                    rejected(e.reason());
                }
                if (e.stopsPoll() || (replies.isEmpty() && e.reason().startsWith("http-5"))) {
                    break;
                }
            }
        }
        if (closed) {
            return PollResult.offline(clock.instant(), VnishException.CLOSED, "driver closed");
        }
        try {
            PollResult result = interpret(clock.instant(), compiled, replies, failures);
            if (result.reason().equals(VnishException.BAD_RESPONSE) && failures.isEmpty()) {
                rejected(VnishException.BAD_RESPONSE);
            }
            return result;
        } catch (RuntimeException e) {
            logger.warn("device {}: cannot interpret replies", deviceId, e);
            rejected(VnishException.BAD_RESPONSE);
            return PollResult.offline(clock.instant(), VnishException.BAD_RESPONSE, "cannot interpret replies: " + e);
        }
    }

    private void rejected(String reason) {
        Counter.builder("headroom.driver.vnish.replies.rejected")
                .description("Vnish replies that were not JSON, over the size cap, or of the wrong shape")
                .tag("device", deviceId)
                .tag("reason", reason)
                .register(meters)
                .increment();
    }

    /** Parses raw bodies exactly as a poll does and interprets them (the golden cases). */
    static PollResult interpretRaw(Instant at, VnishProfile compiled, Map<String, String> raw) {
        Map<String, JsonNode> replies = new LinkedHashMap<>();
        List<VnishException> failures = new ArrayList<>();
        for (Map.Entry<String, String> entry : raw.entrySet()) {
            try {
                replies.put(
                        entry.getKey(),
                        VnishClient.parse(
                                "GET /api/v1/" + entry.getKey(),
                                entry.getValue().getBytes(StandardCharsets.UTF_8)));
            } catch (VnishException e) {
                failures.add(e);
            }
        }
        return interpret(at, compiled, replies, failures);
    }

    private static PollResult interpret(
            Instant at, VnishProfile compiled, Map<String, JsonNode> replies, List<VnishException> failures) {
        if (replies.isEmpty()) {
            return PollResult.offline(
                    at,
                    failures.isEmpty()
                            ? VnishException.BAD_RESPONSE
                            : failures.get(0).reason(),
                    failures.isEmpty()
                            ? "no replies"
                            : describe(
                                    failures.stream().map(Throwable::getMessage).toList()));
        }
        VnishReadings.Interpretation seen = VnishReadings.interpret(replies, compiled.points());
        if (!failures.isEmpty()) {
            return degraded(
                    at,
                    failures.get(0).reason(),
                    failures.stream().map(Throwable::getMessage).toList(),
                    seen);
        }
        if (!seen.malformed().isEmpty()) {
            return degraded(at, VnishException.BAD_RESPONSE, seen.malformed(), seen);
        }
        if (!seen.faults().isEmpty()) {
            return degraded(at, DEVICE_STATUS, List.of("the miner reports " + String.join("; ", seen.faults())), seen);
        }
        return new PollResult(at, DeviceHealth.DEVICE_HEALTH_ONLINE, "", "", seen.identity(), seen.readings());
    }

    private static PollResult degraded(
            Instant at, String reason, List<String> problems, VnishReadings.Interpretation seen) {
        return new PollResult(
                at, DeviceHealth.DEVICE_HEALTH_DEGRADED, reason, describe(problems), seen.identity(), seen.readings());
    }

    private static String describe(List<String> problems) {
        String shown = String.join("; ", problems.subList(0, Math.min(QUOTED_PROBLEMS, problems.size())));
        return problems.size() > QUOTED_PROBLEMS
                ? shown + "; and " + (problems.size() - QUOTED_PROBLEMS) + " more"
                : shown;
    }

    @Override
    public CommandOutcome execute(Verb verb, double value, String instance) throws InterruptedException {
        if (closed) {
            return new CommandOutcome(
                    ResultStatus.RESULT_STATUS_FAILED, VnishException.CLOSED, "driver closed", OptionalDouble.empty());
        }
        return controls.execute(verb, value);
    }

    @Override
    public void close() {
        closed = true;
        transport.close();
    }

    @Override
    public String toString() {
        return "VnishDriver[" + deviceId + " " + settings.host() + ":" + settings.port() + " " + profile.id() + "]";
    }
}
