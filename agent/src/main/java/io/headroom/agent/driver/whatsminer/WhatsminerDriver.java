package io.headroom.agent.driver.whatsminer;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContext;
import io.headroom.agent.driver.PollResult;
import io.headroom.config.SecretRef;
import io.headroom.profiles.FirmwareProfile;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and controls one Whatsminer over API v2 or v3, as its profile says. A poll sends the API's reads
 * one connection each ({@link WhatsminerRead#poll}); a failed read is a per-read error and the others'
 * readings are kept (DEGRADED). When the first read fails at the connection level, the rest are not
 * tried: one timeout per poll, not one per read. Active error codes make the poll DEGRADED with reason
 * {@code device-error-codes}; the readings are kept.
 *
 * <p>Commands go through {@link WhatsminerControls}, which writes and reads back.
 */
public final class WhatsminerDriver implements Driver {

    /** Polls between two reads of a v2 miner's {@code get_version} (v3 reads its device info every poll). */
    static final int IDENTITY_EVERY = 10;

    static final String API_MISMATCH = "api-mismatch";
    static final String ERROR_CODES = "device-error-codes";

    private static final Logger logger = LoggerFactory.getLogger(WhatsminerDriver.class);

    private final String deviceId;
    private final WhatsminerSettings settings;
    private final FirmwareProfile profile;
    private final WhatsminerProfile compiled;
    private final Clock clock;
    private final WhatsminerTransport transport;
    private final WhatsminerV2Api v2;
    private final WhatsminerV3Api v3;
    private final WhatsminerControls controls;
    private volatile boolean closed;
    private int pollsSinceIdentity = IDENTITY_EVERY;

    WhatsminerDriver(
            String deviceId,
            WhatsminerSettings settings,
            Optional<SecretRef> credentials,
            Duration timeout,
            FirmwareProfile profile,
            WhatsminerProfile compiled,
            DriverContext context) {
        this.deviceId = deviceId;
        this.settings = settings;
        this.profile = profile;
        this.compiled = compiled;
        this.clock = context.wallClock();
        this.transport = new WhatsminerTransport(
                settings.host(), timeout, context.rawReplies().recorder(deviceId));
        this.v2 = new WhatsminerV2Api(transport, settings.v2Port(), context.monotonic());
        this.v3 = new WhatsminerV3Api(transport, settings.v3Port(), context.wallClock());
        this.controls =
                new WhatsminerControls(profile, compiled.points(), v2, v3, () -> password(credentials, context));
    }

    private char[] password(Optional<SecretRef> credentials, DriverContext context) throws WhatsminerException {
        if (credentials.isEmpty()) {
            throw new WhatsminerException(
                    WhatsminerException.NO_CREDENTIALS,
                    "device " + deviceId + " has no credentials: writes need the miner's "
                            + (compiled.api() == WhatsminerApi.V3 ? "super" : "admin") + " password reference");
        }
        try {
            return context.secrets().resolve(credentials.get());
        } catch (IOException e) {
            throw new WhatsminerException(
                    WhatsminerException.NO_CREDENTIALS, "device " + deviceId + ": " + e.getMessage(), e);
        }
    }

    /** Token bookkeeping, for tests. */
    int tokensTaken() {
        return v2.tokensTaken();
    }

    int saltsRead() {
        return v3.saltsRead();
    }

    @Override
    public PollResult poll() throws InterruptedException {
        if (closed) {
            return PollResult.offline(clock.instant(), WhatsminerException.CLOSED, "driver closed");
        }
        if (settings.api() != WhatsminerApi.AUTO && settings.api() != compiled.api()) {
            return PollResult.offline(
                    clock.instant(),
                    API_MISMATCH,
                    "device " + deviceId + " is configured with api "
                            + settings.api().spelling() + ", but profile " + profile.id() + " speaks "
                            + compiled.api().spelling());
        }
        WhatsminerRead identityRead = WhatsminerRead.identity(compiled.api());
        boolean wantIdentity = compiled.api() == WhatsminerApi.V3 || pollsSinceIdentity >= IDENTITY_EVERY;
        Map<String, JsonNode> replies = new LinkedHashMap<>();
        List<WhatsminerException> failures = new ArrayList<>();
        for (WhatsminerRead read : WhatsminerRead.poll(compiled.api())) {
            if (read.equals(identityRead) && !wantIdentity) {
                continue;
            }
            try {
                replies.put(read.key(), fetch(read));
            } catch (WhatsminerException e) {
                failures.add(e);
                if (e.reason().equals(WhatsminerException.CLOSED) || (replies.isEmpty() && e.isTransport())) {
                    break;
                }
            }
        }
        if (closed) {
            return PollResult.offline(clock.instant(), WhatsminerException.CLOSED, "driver closed");
        }
        PollResult result;
        try {
            result = interpret(clock.instant(), compiled.api(), replies, failures);
        } catch (RuntimeException e) {
            logger.warn("device {}: cannot interpret replies", deviceId, e);
            return PollResult.offline(
                    clock.instant(), WhatsminerException.BAD_RESPONSE, "cannot interpret replies: " + e);
        }
        if (replies.containsKey(identityRead.key())) {
            pollsSinceIdentity = 0;
        }
        pollsSinceIdentity++;
        return result;
    }

    private JsonNode fetch(WhatsminerRead read) throws WhatsminerException, InterruptedException {
        JsonNode root =
                compiled.api() == WhatsminerApi.V3 ? v3.read(read.command(), read.param()) : v2.read(read.command());
        return read.requireData(root);
    }

    /** Parses raw replies by read key exactly as a poll does and interprets them (the golden cases). */
    static PollResult interpretRaw(Instant at, WhatsminerProfile compiled, Map<String, String> raw) {
        Map<String, JsonNode> replies = new LinkedHashMap<>();
        List<WhatsminerException> failures = new ArrayList<>();
        for (Map.Entry<String, String> entry : raw.entrySet()) {
            try {
                JsonNode root = parse(compiled.api(), entry.getKey(), entry.getValue());
                WhatsminerRead read = WhatsminerRead.byKey(entry.getKey());
                replies.put(entry.getKey(), read == null ? root : read.requireData(root));
            } catch (WhatsminerException e) {
                failures.add(e);
            }
        }
        return interpret(at, compiled.api(), replies, failures);
    }

    /** A raw reply checked as the API's client checks it. */
    static JsonNode parse(WhatsminerApi api, String what, String raw) throws WhatsminerException {
        if (api == WhatsminerApi.V3) {
            return WhatsminerV3Api.check(what, WhatsminerJson.parseStrict(what, raw));
        }
        JsonNode root = WhatsminerJson.parseRepaired(what, raw);
        WhatsminerV2Api.checkStatus(what, root);
        return root;
    }

    private static PollResult interpret(
            Instant at, WhatsminerApi api, Map<String, JsonNode> replies, List<WhatsminerException> failures) {
        if (replies.isEmpty()) {
            return PollResult.offline(
                    at,
                    failures.isEmpty()
                            ? WhatsminerException.BAD_RESPONSE
                            : failures.get(0).reason(),
                    failures.isEmpty() ? "no replies" : describe(failures));
        }
        WhatsminerReadings.Interpretation seen =
                api == WhatsminerApi.V3 ? WhatsminerReadings.v3(replies) : WhatsminerReadings.v2(replies);
        if (!failures.isEmpty()) {
            return new PollResult(
                    at,
                    DeviceHealth.DEVICE_HEALTH_DEGRADED,
                    failures.get(0).reason(),
                    describe(failures),
                    seen.identity(),
                    seen.readings());
        }
        if (!seen.errorCodes().isEmpty()) {
            return new PollResult(
                    at,
                    DeviceHealth.DEVICE_HEALTH_DEGRADED,
                    ERROR_CODES,
                    "the miner reports error codes " + String.join("; ", seen.errorCodes()),
                    seen.identity(),
                    seen.readings());
        }
        return new PollResult(at, DeviceHealth.DEVICE_HEALTH_ONLINE, "", "", seen.identity(), seen.readings());
    }

    private static String describe(List<WhatsminerException> failures) {
        return failures.stream().map(Throwable::getMessage).collect(Collectors.joining("; "));
    }

    @Override
    public CommandOutcome execute(Verb verb, double value, String instance) throws InterruptedException {
        if (closed) {
            return new CommandOutcome(
                    ResultStatus.RESULT_STATUS_FAILED,
                    WhatsminerException.CLOSED,
                    "driver closed",
                    OptionalDouble.empty());
        }
        if (settings.api() != WhatsminerApi.AUTO && settings.api() != compiled.api()) {
            return new CommandOutcome(
                    ResultStatus.RESULT_STATUS_REJECTED,
                    API_MISMATCH,
                    "configured api " + settings.api().spelling() + " differs from profile " + profile.id(),
                    OptionalDouble.empty());
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
        return "WhatsminerDriver[" + deviceId + " " + settings.host() + " " + profile.id() + "]";
    }

    /** Zeroes a password once used. */
    static void wipe(char[] secret) {
        Arrays.fill(secret, '\0');
    }
}
