package io.headroom.agent.publish;

import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends Paho clients off the publisher's thread: a dead or given-up client is disconnected forcibly
 * and closed; at shutdown the live one says goodbye with a Death first. Paho's close and
 * disconnect block (up to seconds), and the publisher's thread must never block.
 *
 * <p>Kept apart from {@link MqttPublisher} because it owns its own thread ("headroom-agent-paho")
 * and touches none of the publisher's state. Logs under {@link MqttPublisher}'s logger, as before
 * the split.
 */
final class PahoCloser {
    private final Logger logger = LoggerFactory.getLogger(MqttPublisher.class);
    private final ExecutorService pahoCalls;

    PahoCloser(ThreadFactory threads) {
        this.pahoCalls = Executors.newSingleThreadExecutor(threads);
    }

    /** Disconnects and closes a client that is not the publisher's any more. */
    void closeQuietly(MqttAsyncClient attempt) {
        pahoCalls.execute(() -> {
            try {
                // Also for an attempt still waiting for its CONNACK: this closes its socket, which
                // a partition would otherwise keep open for good.
                attempt.disconnectForcibly(0, 1_000, false);
            } catch (MqttException e) {
                logger.debug("disconnecting a dead MQTT client: {}", e.getMessage());
            }
            try {
                attempt.close(true);
            } catch (MqttException e) {
                logger.debug("closing a dead MQTT client: {}", e.getMessage());
            }
        });
    }

    /**
     * Publishes {@code death} on {@code deathTopic} if still connected, disconnects normally and
     * closes the client.
     *
     * @param url the broker, for the log
     */
    void goodbye(MqttAsyncClient current, String deathTopic, byte[] death, URI url) {
        pahoCalls.execute(() -> {
            try {
                if (current.isConnected()) {
                    current.publish(deathTopic, death, 1, false).waitForCompletion(2_000);
                    current.disconnect(2_000).waitForCompletion(3_000);
                }
            } catch (MqttException e) {
                logger.debug("goodbye to {} incomplete: {}", url, e.getMessage());
            } finally {
                try {
                    current.close(true);
                } catch (MqttException e) {
                    logger.debug("closing the MQTT client: {}", e.getMessage());
                }
            }
        });
    }

    /** Runs what was handed over, then stops. */
    void shutdown() {
        pahoCalls.shutdown();
    }

    boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return pahoCalls.awaitTermination(timeout, unit);
    }
}
