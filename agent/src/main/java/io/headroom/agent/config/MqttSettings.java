package io.headroom.agent.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Connection to the MQTT endpoint.
 *
 * @param url {@code tcp://} or {@code mqtt://} (plaintext), {@code ssl://} or {@code mqtts://} (TLS), then
 *     {@code host:port}
 * @param passwordFile file holding this agent's MQTT password (first line); never inline
 * @param keepAlive MQTT keep-alive; the endpoint may lower it
 * @param connectTimeout time allowed for TCP + CONNECT/CONNACK
 * @param reconnectMin first reconnect delay after a lost connection
 * @param reconnectMax cap of the exponential reconnect backoff
 * @param tls the {@code mqtt.tls} block; only allowed with a TLS scheme
 */
public record MqttSettings(
        URI url, Path passwordFile, Duration keepAlive, Duration connectTimeout, Duration reconnectMin,
        Duration reconnectMax, Optional<TlsSettings> tls) {

    /** Plaintext: tcp, mqtt. TLS: ssl, mqtts. WebSocket (ws, wss) is not supported. */
    private static final Set<String> SCHEMES = Set.of("tcp", "mqtt", "ssl", "mqtts");

    public MqttSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(passwordFile, "password-file");
        Objects.requireNonNull(keepAlive, "keep-alive");
        Objects.requireNonNull(connectTimeout, "connect-timeout");
        Objects.requireNonNull(reconnectMin, "reconnect-min");
        Objects.requireNonNull(reconnectMax, "reconnect-max");
        Objects.requireNonNull(tls, "tls");
        if (!SCHEMES.contains(url.getScheme())) {
            throw new IllegalArgumentException("url " + url + " must start with tcp://, mqtt://, ssl:// or mqtts://");
        }
        if (tls.isPresent() && !usesTls(url)) {
            throw new IllegalArgumentException("mqtt.tls is set but url is " + url + "; use ssl://");
        }
    }

    /** Without a {@code tls} block. */
    public MqttSettings(URI url, Path passwordFile, Duration keepAlive, Duration connectTimeout, Duration reconnectMin,
            Duration reconnectMax) {
        this(url, passwordFile, keepAlive, connectTimeout, reconnectMin, reconnectMax, Optional.empty());
    }

    /** True for {@code ssl://} and {@code mqtts://}: the connection is TLS, whatever {@link #tls()} holds. */
    public boolean usesTls() {
        return usesTls(url);
    }

    private static boolean usesTls(URI url) {
        return "ssl".equals(url.getScheme()) || "mqtts".equals(url.getScheme());
    }
}
