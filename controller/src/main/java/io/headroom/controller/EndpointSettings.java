package io.headroom.controller;

import io.headroom.controller.api.ApiSecurity;
import io.headroom.controller.api.ApiServerConfig;
import io.headroom.controller.config.ControllerConfig;
import io.headroom.controller.config.MqttLimitsConfig;
import io.headroom.controller.mqtt.MqttEndpointConfig;
import io.headroom.controller.mqtt.MqttLimits;
import io.headroom.controller.mqtt.MqttTls;
import java.util.Optional;

/**
 * The settings of the controller's two endpoints, the embedded MQTT endpoint and the HTTP API, as
 * {@code controller.yaml} gives them: durations in whole seconds, sizes in bytes, TLS only when its
 * mode is on, and the built-in defaults for what the file does not set.
 *
 * <p>Kept apart from {@link Controller}, which starts and stops the services: this is only how
 * the configuration reads to each of them.
 */
final class EndpointSettings {

    private EndpointSettings() {}

    /** The embedded endpoint's settings from {@code mqtt}. */
    static MqttEndpointConfig mqtt(String site, ControllerConfig.Mqtt m) {
        return new MqttEndpointConfig(
                site,
                m.bind(),
                m.port(),
                m.maxPacketBytes(),
                (int) m.maxKeepAlive().toSeconds(),
                MqttEndpointConfig.DEFAULT_RECEIVE_MAXIMUM,
                MqttEndpointConfig.DEFAULT_CONNECT_TIMEOUT_SECONDS,
                m.maxConnections());
    }

    static MqttLimits limits(MqttLimitsConfig limits) {
        return new MqttLimits(
                limits.maxPreAuthPerAddress(),
                limits.maxFailedLogins(),
                (int) limits.failureWindow().toSeconds(),
                (int) limits.penalty().toSeconds(),
                limits.maxTakeoversPerMinute(),
                (int) limits.takeoverBackoff().toSeconds(),
                limits.maxAuthInFlightPerUser(),
                (int) limits.writeBufferLow().bytes(),
                (int) limits.writeBufferHigh().bytes(),
                (int) limits.unwritableTimeout().toSeconds(),
                limits.observerLaneCapacity());
    }

    /** The endpoint's TLS, or null when {@code mqtt.tls} is absent or not on. */
    static MqttTls tls(ControllerConfig.Mqtt mqtt) {
        return mqtt.tls()
                .filter(t -> t.mode() == ControllerConfig.TlsMode.ON)
                .map(t -> new MqttTls(
                        t.certFile().orElseThrow(),
                        t.keyFile().orElseThrow(),
                        t.clientCaFile().orElse(null),
                        t.requireClientCertificate()))
                .orElse(null);
    }

    /** The HTTP server's settings from {@code controller.yaml}'s {@code http} and {@code data-dir}. */
    static ApiServerConfig api(ControllerConfig config) {
        ControllerConfig.Http h = config.http();
        ControllerConfig.Tls tls = h.tls();
        ApiSecurity security = new ApiSecurity(
                h.users().stream().map(ControllerConfig.User::toApiUser).toList(),
                h.sessionTtl(),
                h.maxFailedLogins(),
                ApiSecurity.DEFAULT_FAILED_LOGIN_WINDOW,
                h.allowedHosts(),
                h.allowedOrigins(),
                config.dataDir().resolve("audit.jsonl"),
                tls.mode() == ControllerConfig.TlsMode.ON
                        ? Optional.of(new ApiSecurity.TlsFiles(
                                tls.certFile().orElseThrow(), tls.keyFile().orElseThrow()))
                        : Optional.empty());
        return new ApiServerConfig(
                h.bind(),
                h.port(),
                ApiServerConfig.DEFAULT_REQUEST_TIMEOUT,
                ApiServerConfig.DEFAULT_MAX_REQUEST_BYTES,
                h.maxConnections(),
                security);
    }
}
