package io.headroom.agent.driver.dcgm;

import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.rawreply.RawReplyRecorder;
import io.headroom.protocol.Verbs;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;

/**
 * Reads the GPUs of one server from its dcgm-exporter: one GET of the exposition per poll, parsed
 * strictly ({@link PromTextParser}) and mapped as the profile says ({@link DcgmReadings}).
 * dcgm-exporter only exports, so every command is refused: a power cap goes through
 * {@code nvidia-smi} or the server's BMC.
 */
public final class DcgmDriver implements Driver {

    private final String deviceId;
    private final URI uri;
    private final Duration timeout;
    private final String profileId;
    private final DcgmProfile compiled;
    private final Clock clock;
    private final DcgmHttp http;
    private final RawReplyRecorder replies;
    private volatile CompletableFuture<?> inFlight = CompletableFuture.completedFuture(null);
    private volatile boolean closed;

    /**
     * @param uri the exposition's URL
     * @param timeout limit for the whole exchange
     * @param http the agent's dcgm HTTP transport
     */
    public DcgmDriver(
            String deviceId,
            URI uri,
            Duration timeout,
            String profileId,
            DcgmProfile compiled,
            Clock clock,
            DcgmHttp http) {
        this(deviceId, uri, timeout, profileId, compiled, clock, http, RawReplyRecorder.NONE);
    }

    /** As the other constructor, keeping each poll's GET and exposition text in {@code replies}. */
    public DcgmDriver(
            String deviceId,
            URI uri,
            Duration timeout,
            String profileId,
            DcgmProfile compiled,
            Clock clock,
            DcgmHttp http,
            RawReplyRecorder replies) {
        this.replies = replies;
        this.deviceId = deviceId;
        this.uri = uri;
        this.timeout = timeout;
        this.profileId = profileId;
        this.compiled = compiled;
        this.clock = clock;
        this.http = http;
    }

    @Override
    public PollResult poll() throws InterruptedException {
        if (closed) {
            return PollResult.offline(clock.instant(), DcgmException.CLOSED, "driver closed");
        }
        String body;
        try {
            body = http.get(
                    uri,
                    timeout,
                    exchange -> {
                        inFlight = exchange;
                        if (closed) {
                            exchange.cancel(true);
                        }
                    },
                    replies);
        } catch (DcgmException e) {
            if (closed) {
                return PollResult.offline(clock.instant(), DcgmException.CLOSED, "driver closed");
            }
            if (e.offline()) {
                return PollResult.offline(clock.instant(), e.reason(), e.getMessage());
            }
            return new PollResult(
                    clock.instant(),
                    DeviceHealth.DEVICE_HEALTH_DEGRADED,
                    e.reason(),
                    e.getMessage(),
                    null,
                    java.util.List.of());
        }
        return DcgmReadings.interpret(clock.instant(), compiled, PromTextParser.parse(body));
    }

    @Override
    public CommandOutcome execute(Verb verb, double value, String instance) {
        return new CommandOutcome(
                ResultStatus.RESULT_STATUS_REJECTED,
                "unsupported",
                profileId + " reads dcgm-exporter, which only exports; " + Verbs.name(verb)
                        + " needs the nvidia-smi driver or the server's BMC",
                OptionalDouble.empty());
    }

    @Override
    public void close() {
        closed = true;
        inFlight.cancel(true);
    }

    @Override
    public String toString() {
        return "DcgmDriver[" + deviceId + " " + uri + " " + profileId + "]";
    }
}
