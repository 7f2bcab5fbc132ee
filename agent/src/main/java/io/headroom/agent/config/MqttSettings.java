package io.headroom.agent.config;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.config.Range;
import io.headroom.config.SecretRef;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * How the agent reaches the controller's MQTT endpoint (or an external broker).
 *
 * @param url {@code tcp://} or {@code mqtt://} (plaintext), {@code ssl://} or {@code mqtts://} (TLS), then
 *     {@code host:port}
 * @param password where this agent's MQTT password is kept (a file or a systemd credential)
 * @param keepAlive MQTT keep-alive
 * @param connectTimeout limit for one connection attempt
 * @param reconnectMin first delay after a lost connection
 * @param reconnectMax cap of the exponential reconnect backoff
 * @param tls the {@code mqtt.tls} block; only allowed with a TLS scheme
 */
@Doc("The controller's MQTT endpoint, or an external broker.")
public record MqttSettings(
        @Doc("tcp:// or mqtt:// (plaintext), ssl:// or mqtts:// (TLS), then host:port.")
        URI url,

        @Doc("Where this agent's MQTT password is kept: {file: path} or {credential: name}; never inline.")
        SecretRef password,

        @Doc("MQTT keep-alive.") @Default("30s") @Range(min = "1s", max = "18h")
        Duration keepAlive,

        @Doc("Limit for one connection attempt.") @Default("10s") @Range(min = "100ms", max = "5m")
        Duration connectTimeout,

        @Doc("First delay after a lost connection.") @Default("1s") @Range(min = "10ms", max = "1h")
        Duration reconnectMin,

        @Doc("Cap of the exponential reconnect backoff.") @Default("60s") @Range(min = "10ms", max = "1h")
        Duration reconnectMax,

        @Doc("TLS settings; only with ssl:// or mqtts://.") Optional<TlsSettings> tls) {

    /** Plaintext: tcp, mqtt. TLS: ssl, mqtts. WebSocket (ws, wss) is not supported. */
    private static final Set<String> SCHEMES = Set.of("tcp", "mqtt", "ssl", "mqtts");

    public MqttSettings {
        String scheme = url.getScheme();
        if (scheme == null || !SCHEMES.contains(scheme)) {
            throw new IllegalArgumentException("url: '" + url + "' must start with tcp://, mqtt://, ssl:// or mqtts://"
                    + ("ws".equals(scheme) || "wss".equals(scheme) ? " (MQTT over WebSocket is not supported)" : ""));
        }
        if (tls.isPresent() && !usesTls(url)) {
            throw new IllegalArgumentException(
                    "tls: is set but url is " + url + " (plaintext); use ssl:// or mqtts://");
        }
        if (url.getHost() == null) {
            throw new IllegalArgumentException("url: '" + url + "' has no host");
        }
        if (reconnectMin.compareTo(reconnectMax) > 0) {
            throw new IllegalArgumentException(
                    "reconnect-min: " + reconnectMin + " must not exceed reconnect-max " + reconnectMax);
        }
    }

    /** Without a {@code tls} block. */
    public MqttSettings(
            URI url,
            SecretRef password,
            Duration keepAlive,
            Duration connectTimeout,
            Duration reconnectMin,
            Duration reconnectMax) {
        this(url, password, keepAlive, connectTimeout, reconnectMin, reconnectMax, Optional.empty());
    }

    /** True for {@code ssl://} and {@code mqtts://}: the connection is TLS, whatever {@link #tls()} holds. */
    public boolean usesTls() {
        return usesTls(url);
    }

    private static boolean usesTls(URI url) {
        return "ssl".equals(url.getScheme()) || "mqtts".equals(url.getScheme());
    }
}
