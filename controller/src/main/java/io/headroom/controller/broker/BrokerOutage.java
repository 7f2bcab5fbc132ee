package io.headroom.controller.broker;

import io.headroom.controller.config.ExternalBrokerConfig;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An outage of the external broker, as the operator sees it: logged once when it begins (with
 * the reason and the backoff's ceiling) and once when it ends (with how long it lasted), counted in
 * {@code headroom.broker.outages}, and the last attempt's failure shown on {@code /health}; the
 * failed attempts in between are logged at debug only.
 *
 * <p>Kept apart from {@link BrokerTransport}, which decides when the broker is up or down: this
 * is only what a change of that is reported as. Changed under the transport's monitor, under
 * which {@link #up} and {@link #down} are called; {@link #problem()} is read without it.
 */
final class BrokerOutage {
    // The transport's logger, so that its log configuration covers the outage reports too.
    private static final Logger LOGGER = LoggerFactory.getLogger(BrokerTransport.class);

    private final String url;
    private final String clientId;
    private final ExternalBrokerConfig config;
    private final BrokerMetrics metrics;

    /** Why the last attempt failed (the url, then the reason); null while connected. */
    private volatile @Nullable String problem = "not connected yet";

    private boolean inOutage;
    private long outageStartNanos;

    BrokerOutage(String url, String clientId, ExternalBrokerConfig config, BrokerMetrics metrics) {
        this.url = url;
        this.clientId = clientId;
        this.config = config;
        this.metrics = metrics;
    }

    @Nullable
    String problem() {
        return problem;
    }

    /** Connected with every subscription granted: ends the outage, if there was one. */
    void up(List<String> wanted) {
        problem = null;
        if (inOutage) {
            inOutage = false;
            LOGGER.info(
                    "broker {} reachable again after {} s: subscribed to {}",
                    url,
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - outageStartNanos),
                    wanted);
        } else {
            LOGGER.info(
                    "connected to broker {} as {} (client id {}): subscribed to {} at QoS {}",
                    url,
                    config.username(),
                    clientId,
                    wanted,
                    BrokerTransport.SUBSCRIPTION_QOS);
        }
    }

    /** An attempt failed or the connection was lost: begins an outage, or goes on with one. */
    void down(String reason) {
        problem = url + ": " + reason;
        if (!inOutage) {
            inOutage = true;
            outageStartNanos = System.nanoTime();
            metrics.outage();
            LOGGER.warn(
                    "broker {} unreachable: {}; retrying with backoff up to {} (logged again when it is back)",
                    url,
                    reason,
                    config.reconnectMax());
        } else {
            LOGGER.debug("broker {} still unreachable: {}", url, reason);
        }
    }
}
