package io.headroom.controller.mqtt;

import io.headroom.controller.grid.signal.GridSignalReceiver;
import io.headroom.controller.log.RateLimitedLog;
import io.headroom.controller.transport.AgentMessageListener;
import io.headroom.protocol.Topic;
import java.nio.ByteBuffer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every connection of one endpoint shares: settings, credentials, the listener, the session
 * registry, retained messages, metrics. Thread-safe.
 */
final class EndpointContext {
    private static final Logger logger = LoggerFactory.getLogger(EndpointContext.class);

    private final MqttEndpointConfig config;
    private final CredentialVerifier verifier;
    private final AgentMessageListener listener;
    private final MqttMetrics metrics;
    private final TopicAcl acl;
    private final SessionRegistry sessions = new SessionRegistry();
    private final RetainedMessages retained = new RetainedMessages();
    private final LongSupplier nanoTime;
    private final MqttLimits limits;
    private final CredentialStore credentials;
    private final SourceLimits sourceLimits;
    private final TakeoverLimiter takeovers;
    private final RateLimitedLog log;
    private final boolean requireClientCertificate;
    private final GridSignalReceiver gridSignals;
    private volatile boolean shuttingDown;
    private volatile io.headroom.controller.market.@org.jspecify.annotations.Nullable MarketPriceFeed prices;

    /** Plaintext, default limits, no known principals for client-id binding beyond the verifier's. */
    EndpointContext(
            MqttEndpointConfig config,
            CredentialVerifier verifier,
            AgentMessageListener listener,
            MqttMetrics metrics,
            LongSupplier nanoTime) {
        this(config, MqttLimits.defaults(), false, verifier, listener, null, metrics, nanoTime);
    }

    /**
     * @param gridSignals where a grid principal's signals go, or {@code null} when the grid signal
     *     is not enabled (then publishing one closes the connection as not authorised)
     */
    EndpointContext(
            MqttEndpointConfig config,
            MqttLimits limits,
            boolean requireClientCertificate,
            CredentialVerifier verifier,
            AgentMessageListener listener,
            GridSignalReceiver gridSignals,
            MqttMetrics metrics,
            LongSupplier nanoTime) {
        this.config = config;
        this.gridSignals = gridSignals;
        this.limits = limits;
        this.requireClientCertificate = requireClientCertificate;
        this.verifier = verifier;
        this.credentials = verifier.store();
        this.listener = listener;
        this.metrics = metrics;
        this.acl = new TopicAcl(config.site());
        this.nanoTime = nanoTime;
        this.sourceLimits = new SourceLimits(limits, nanoTime);
        this.takeovers = new TakeoverLimiter(limits, nanoTime);
        // 5 lines per kind of refusal per 10 s: a flood is visible, never a flood of lines.
        this.log = new RateLimitedLog(logger, 5, 10_000, metrics.registry(), nanoTime);
    }

    /** The grid signal receiver, or {@code null} when the grid signal is not enabled. */
    GridSignalReceiver gridSignals() {
        return gridSignals;
    }

    /** The market's MQTT price inputs, or {@code null} while there are none. */
    io.headroom.controller.market.@org.jspecify.annotations.Nullable MarketPriceFeed prices() {
        return prices;
    }

    void prices(io.headroom.controller.market.@org.jspecify.annotations.Nullable MarketPriceFeed feed) {
        this.prices = feed;
    }

    MqttLimits limits() {
        return limits;
    }

    SourceLimits sourceLimits() {
        return sourceLimits;
    }

    TakeoverLimiter takeovers() {
        return takeovers;
    }

    /** The endpoint's rate-limited log for anything a client can cause over and over. */
    RateLimitedLog log() {
        return log;
    }

    boolean requireClientCertificate() {
        return requireClientCertificate;
    }

    /** True if {@code clientId} is the username (and so the client id) of an agent principal. */
    boolean isAgentId(String clientId) {
        return credentials.find(clientId).map(c -> c.role() == Role.AGENT).orElse(false);
    }

    MqttEndpointConfig config() {
        return config;
    }

    CredentialVerifier verifier() {
        return verifier;
    }

    MqttMetrics metrics() {
        return metrics;
    }

    TopicAcl acl() {
        return acl;
    }

    SessionRegistry sessions() {
        return sessions;
    }

    RetainedMessages retained() {
        return retained;
    }

    long nanoTime() {
        return nanoTime.getAsLong();
    }

    LongSupplier nanoClock() {
        return nanoTime;
    }

    boolean shuttingDown() {
        return shuttingDown;
    }

    void startShutdown() {
        shuttingDown = true;
    }

    // The listener must not throw; if it does anyway, one bad message must not kill the connection.

    void agentConnected(String agentId) {
        try {
            listener.agentConnected(agentId);
        } catch (RuntimeException e) {
            listenerFailed("agentConnected", agentId, e);
        }
    }

    void agentMessage(Topic.AgentTopic topic, ByteBuffer payload) {
        try {
            listener.agentMessage(topic, payload);
        } catch (RuntimeException e) {
            listenerFailed("agentMessage(" + topic.kind().wireName() + ")", topic.agent(), e);
        }
    }

    void agentDisconnected(String agentId, boolean graceful) {
        try {
            listener.agentDisconnected(agentId, graceful);
        } catch (RuntimeException e) {
            listenerFailed("agentDisconnected", agentId, e);
        }
    }

    private void listenerFailed(String call, String agentId, RuntimeException e) {
        metrics.listenerFailure();
        logger.error("MQTT: the agent message listener threw from {} for agent '{}'", call, agentId, e);
    }
}
