package io.headroom.controller.config;

import io.headroom.protocol.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The controller's settings, as read from {@code controller.yaml} by {@link ControllerConfigLoader}.
 * Every value is validated; runtime facts (the port actually bound) are never written back here.
 *
 * @param site the site this controller is in charge of; the {@code <site>} topic level
 * @param controllerId name this controller announces in its retained state message
 * @param mqtt the embedded MQTT endpoint agents connect to
 * @param http the operator HTTP API and web page
 * @param lease how long agents may hold controller-issued caps and sleeps without a fresh state
 *     message; the state is re-published every third of it
 */
public record ControllerConfig(String site, String controllerId, Mqtt mqtt, Http http, Duration lease) {

    public static final String DEFAULT_CONTROLLER_ID = "controller";
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(60);
    public static final Duration MIN_LEASE = Duration.ofSeconds(3);
    public static final Duration MAX_LEASE = Duration.ofHours(1);

    public ControllerConfig {
        Topics.requireValidId(site, "site");
        Topics.requireValidId(controllerId, "controllerId");
        Objects.requireNonNull(mqtt, "mqtt");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(lease, "lease");
        if (lease.compareTo(MIN_LEASE) < 0 || lease.compareTo(MAX_LEASE) > 0) {
            throw new IllegalArgumentException("lease: " + lease + " is outside " + MIN_LEASE + ".." + MAX_LEASE);
        }
    }

    /**
     * The embedded MQTT endpoint.
     *
     * @param bind address to listen on
     * @param port TCP port; 0 picks a free one
     * @param credentialsFile per-agent credentials, read at start-up
     * @param maxPacketSize largest MQTT packet accepted, in bytes
     * @param maxKeepAlive longest keep-alive a client may use (whole seconds)
     * @param maxConnections connections accepted at once
     */
    public record Mqtt(
            String bind, int port, Path credentialsFile, int maxPacketSize, Duration maxKeepAlive, int maxConnections) {

        public static final String DEFAULT_BIND = "127.0.0.1";
        public static final int DEFAULT_PORT = 1883;
        public static final int DEFAULT_MAX_PACKET_SIZE = 1024 * 1024;
        public static final Duration DEFAULT_MAX_KEEP_ALIVE = Duration.ofSeconds(30);
        public static final int DEFAULT_MAX_CONNECTIONS = 10_000;

        public Mqtt {
            requireNotBlank(bind, "mqtt.bind");
            requireRange("mqtt.port", port, 0, 65_535);
            Objects.requireNonNull(credentialsFile, "mqtt.credentialsFile");
            requireRange("mqtt.maxPacketSize", maxPacketSize, 1024, 268_435_455);
            Objects.requireNonNull(maxKeepAlive, "mqtt.maxKeepAlive");
            if (maxKeepAlive.toSeconds() < 1 || maxKeepAlive.toSeconds() > 65_535) {
                throw new IllegalArgumentException("mqtt.maxKeepAlive: " + maxKeepAlive + " is outside 1s..65535s");
            }
            requireRange("mqtt.maxConnections", maxConnections, 1, 1_000_000);
        }
    }

    /**
     * The HTTP API.
     *
     * @param bind address to listen on
     * @param port TCP port; 0 picks a free one
     */
    public record Http(String bind, int port) {
        public static final String DEFAULT_BIND = "127.0.0.1";
        public static final int DEFAULT_PORT = 8080;

        public Http {
            requireNotBlank(bind, "http.bind");
            requireRange("http.port", port, 0, 65_535);
        }
    }

    private static void requireNotBlank(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + ": must not be blank");
        }
    }

    private static void requireRange(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + ": " + value + " is outside " + min + ".." + max);
        }
    }
}
