package io.headroom.agent.config;

import java.time.Duration;

/**
 * Every default of {@code agent.yaml} in one place. {@code docs/agent-config.md} lists the same
 * values; {@code AgentConfigLoaderTest} checks that an omitted key gets exactly these.
 */
public final class ConfigDefaults {

    public static final Duration MQTT_KEEP_ALIVE = Duration.ofSeconds(30);
    public static final Duration MQTT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration MQTT_RECONNECT_MIN = Duration.ofSeconds(1);
    public static final Duration MQTT_RECONNECT_MAX = Duration.ofSeconds(60);

    public static final Duration PUBLISH_BATCH_INTERVAL = Duration.ofSeconds(1);
    public static final Duration PUBLISH_FULL_REFRESH_INTERVAL = Duration.ofSeconds(60);
    public static final int PUBLISH_MAX_UNACKED = 10_000;

    public static final Duration COMMANDS_CLOCK_SKEW_TOLERANCE = Duration.ofSeconds(5);

    public static final String METRICS_BIND = "127.0.0.1";
    /**
     * A fixed port, so that Prometheus's {@code instance} label stays the same across restarts. The
     * exporter range 9100-9999 is fully allocated, so any choice can meet some other exporter on a
     * host: {@code metrics.port} moves it.
     */
    public static final int METRICS_PORT = 9467;

    public static final Duration DEVICE_POLL_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEVICE_TIMEOUT = Duration.ofSeconds(2);

    // The port of a device is defaulted from its firmware profile (default-port), not here.

    private ConfigDefaults() {}
}
