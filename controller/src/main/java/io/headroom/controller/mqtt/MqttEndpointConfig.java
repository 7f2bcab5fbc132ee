package io.headroom.controller.mqtt;

import io.headroom.protocol.Topics;

/**
 * Settings of the embedded MQTT endpoint.
 *
 * @param site the one site this endpoint serves; topics of other sites are refused
 * @param bindHost address to listen on, e.g. {@code 127.0.0.1} or {@code 0.0.0.0}
 * @param port TCP port; 0 picks a free one (read it back from the running endpoint)
 * @param maxPacketSize largest MQTT packet accepted, fixed header included, in bytes; larger is
 *     refused with reason 0x95 (Packet too large) and the connection closed
 * @param maxKeepAliveSeconds keep-alive the endpoint enforces at most; a client asking for more
 *     (or for 0, none) is told this value in CONNACK (MQTT 5 Server Keep Alive)
 * @param receiveMaximum QoS 1 messages in flight towards one client before it must PUBACK
 * @param connectTimeoutSeconds how long a new TCP connection may take to send CONNECT
 * @param maxConnections connections accepted at once; more are closed on accept
 */
public record MqttEndpointConfig(
        String site,
        String bindHost,
        int port,
        int maxPacketSize,
        int maxKeepAliveSeconds,
        int receiveMaximum,
        int connectTimeoutSeconds,
        int maxConnections) {

    public static final int DEFAULT_PORT = 1883;
    public static final int DEFAULT_MAX_PACKET_SIZE = 1024 * 1024;
    public static final int DEFAULT_MAX_KEEP_ALIVE_SECONDS = 30;
    public static final int DEFAULT_RECEIVE_MAXIMUM = 64;
    public static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;

    public MqttEndpointConfig {
        Topics.requireValidId(site, "site");
        if (bindHost == null || bindHost.isBlank()) {
            throw new IllegalArgumentException("bindHost: must not be blank");
        }
        requireRange("port", port, 0, 65_535);
        requireRange("maxPacketSize", maxPacketSize, 1024, 268_435_455);
        requireRange("maxKeepAliveSeconds", maxKeepAliveSeconds, 1, 65_535);
        requireRange("receiveMaximum", receiveMaximum, 1, 65_535);
        requireRange("connectTimeoutSeconds", connectTimeoutSeconds, 1, 600);
        requireRange("maxConnections", maxConnections, 1, 1_000_000);
    }

    /** Defaults for everything but the site, listening on {@code bindHost:port}. */
    public static MqttEndpointConfig defaults(String site, String bindHost, int port) {
        return new MqttEndpointConfig(
                site,
                bindHost,
                port,
                DEFAULT_MAX_PACKET_SIZE,
                DEFAULT_MAX_KEEP_ALIVE_SECONDS,
                DEFAULT_RECEIVE_MAXIMUM,
                DEFAULT_CONNECT_TIMEOUT_SECONDS,
                DEFAULT_MAX_CONNECTIONS);
    }

    private static void requireRange(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + ": " + value + " is outside " + min + ".." + max);
        }
    }
}
