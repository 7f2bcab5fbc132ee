package io.headroom.controller.config;

import io.headroom.config.DataSize;
import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.config.Range;
import io.headroom.controller.mqtt.MqttLimits;
import java.time.Duration;

/**
 * What one source address or client id may cost the endpoint; see
 * {@code io.headroom.controller.mqtt.MqttLimits}.
 */
@Doc("Per source address and per client id limits of the MQTT endpoint.")
public record MqttLimitsConfig(
        @Doc("Connections from one IP address not yet logged in, at once; more are closed on accept.")
        @Default("64")
        @Range(min = "1", max = "100000")
        int maxPreAuthPerAddress,

        @Doc("Failed logins from one IP address within failure-window before it is penalised.")
        @Default("10")
        @Range(min = "1", max = "100000")
        int maxFailedLogins,

        @Doc("The window failed logins are counted in.") @Default("60s") @Range(min = "1s", max = "1d")
        Duration failureWindow,

        @Doc("How long a penalised address's connections are closed on accept.")
        @Default("60s")
        @Range(min = "1s", max = "1d")
        Duration penalty,

        @Doc("Takeovers of one client id by its own principal allowed per minute.")
        @Default("4")
        @Range(min = "1", max = "1000")
        int maxTakeoversPerMinute,

        @Doc("How long further takeovers are refused (CONNACK 0x9F) once that limit was hit.")
        @Default("60s")
        @Range(min = "1s", max = "1d")
        Duration takeoverBackoff,

        @Doc("Password checks of one user name running at once; more CONNECTs wait their turn or are refused.")
        @Default("2")
        @Range(min = "1", max = "64")
        int maxAuthInFlightPerUser,

        @Doc("A connection's unsent bytes below which it is writable again (back-pressure released).")
        @Default("32KiB")
        @Range(min = "1KiB", max = "64MiB")
        DataSize writeBufferLow,

        @Doc("A connection's unsent bytes above which it is unwritable: the endpoint stops reading from it.")
        @Default("64KiB")
        @Range(min = "1KiB", max = "64MiB")
        DataSize writeBufferHigh,

        @Doc("How long a connection may stay unwritable (a client that does not read) before it is closed.")
        @Default("30s")
        @Range(min = "1s", max = "1h")
        Duration unwritableTimeout,

        @Doc("Messages queued for the read-only observers (headroom tail) before the oldest are dropped.")
        @Default("4096")
        @Range(min = "16", max = "1000000")
        int observerLaneCapacity) {

    public MqttLimitsConfig {
        if (writeBufferHigh.bytes() < writeBufferLow.bytes()) {
            throw new IllegalArgumentException(
                    "write-buffer-high: " + writeBufferHigh + " is below write-buffer-low (" + writeBufferLow + ")");
        }
    }

    public static MqttLimitsConfig defaults() {
        return new MqttLimitsConfig(
                64,
                10,
                Duration.ofSeconds(60),
                Duration.ofSeconds(60),
                4,
                Duration.ofSeconds(60),
                MqttLimits.DEFAULT_MAX_AUTH_IN_FLIGHT_PER_USER,
                DataSize.ofBytes(MqttLimits.DEFAULT_WRITE_BUFFER_LOW_BYTES),
                DataSize.ofBytes(MqttLimits.DEFAULT_WRITE_BUFFER_HIGH_BYTES),
                Duration.ofSeconds(MqttLimits.DEFAULT_UNWRITABLE_TIMEOUT_SECONDS),
                MqttLimits.DEFAULT_OBSERVER_LANE_CAPACITY);
    }
}
