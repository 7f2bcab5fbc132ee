package io.headroom.agent.config;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.config.Range;
import io.headroom.config.SecretRef;
import java.net.URI;
import java.time.Duration;

/**
 * How the agent reaches the controller's MQTT endpoint (or an external broker).
 *
 * @param url {@code tcp://host:port} or {@code ssl://host:port}
 * @param password where this agent's MQTT password is kept (a file or a systemd credential)
 * @param keepAlive MQTT keep-alive
 * @param connectTimeout limit for one connection attempt
 * @param reconnectMin first delay after a lost connection
 * @param reconnectMax cap of the exponential reconnect backoff
 */
@Doc("The controller's MQTT endpoint, or an external broker.")
public record MqttSettings(
        @Doc("tcp://host:port, or ssl://host:port for TLS.") URI url,
        @Doc("Where this agent's MQTT password is kept: {file: path} or {credential: name}; never inline.")
                SecretRef password,
        @Doc("MQTT keep-alive.") @Default("30s") @Range(min = "1s", max = "18h") Duration keepAlive,
        @Doc("Limit for one connection attempt.") @Default("10s") @Range(min = "100ms", max = "5m")
                Duration connectTimeout,
        @Doc("First delay after a lost connection.") @Default("1s") @Range(min = "10ms", max = "1h")
                Duration reconnectMin,
        @Doc("Cap of the exponential reconnect backoff.") @Default("60s") @Range(min = "10ms", max = "1h")
                Duration reconnectMax) {

    public MqttSettings {
        String scheme = url.getScheme();
        if (scheme == null || !(scheme.equals("tcp") || scheme.equals("ssl"))) {
            throw new IllegalArgumentException("url: '" + url + "' must start with tcp:// or ssl://");
        }
        if (url.getHost() == null) {
            throw new IllegalArgumentException("url: '" + url + "' has no host");
        }
        if (reconnectMin.compareTo(reconnectMax) > 0) {
            throw new IllegalArgumentException("reconnect-min: " + reconnectMin + " must not exceed reconnect-max "
                    + reconnectMax);
        }
    }
}
