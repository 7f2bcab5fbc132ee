package io.headroom.agent.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Connection to the MQTT endpoint.
 *
 * @param url {@code tcp://host:port} (later {@code ssl://})
 * @param passwordFile file holding this agent's MQTT password (first line); never inline
 * @param keepAlive MQTT keep-alive; the endpoint may lower it
 * @param connectTimeout time allowed for TCP + CONNECT/CONNACK
 * @param reconnectMin first reconnect delay after a lost connection
 * @param reconnectMax cap of the exponential reconnect backoff
 */
public record MqttSettings(
        URI url, Path passwordFile, Duration keepAlive, Duration connectTimeout, Duration reconnectMin,
        Duration reconnectMax) {

    public MqttSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(passwordFile, "password-file");
        Objects.requireNonNull(keepAlive, "keep-alive");
        Objects.requireNonNull(connectTimeout, "connect-timeout");
        Objects.requireNonNull(reconnectMin, "reconnect-min");
        Objects.requireNonNull(reconnectMax, "reconnect-max");
    }
}
