package io.headroom.controller.config;

import io.headroom.config.DataSize;
import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.config.Range;
import io.headroom.protocol.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The controller's settings: {@code controller.yaml} as bound by {@link ControllerConfigLoader} on the
 * shared binder (keys in {@code docs/controller.md}, rules in {@code docs/config.md}). Runtime facts
 * (the port actually bound) are never written back here.
 *
 * @param site the site this controller is in charge of; the {@code <site>} topic level
 * @param controllerId name this controller announces in its retained state message
 * @param mqtt the embedded MQTT endpoint agents connect to
 * @param http the operator HTTP API and web page
 * @param lease how long agents may hold controller-issued caps and sleeps without a fresh state
 *     message; the state is re-published every third of it
 * @param siteModel the site model ({@code site.yaml}, {@code docs/site-model.md}); without it
 *     {@code GET /api/v1/site} answers 404
 */
@Doc("Headroom controller configuration (controller.yaml).")
public record ControllerConfig(
        @Doc("The site this controller is in charge of: the <site> level of every topic.")
        String site,

        @Doc("Name announced in the retained controller state message.") @Default("controller")
        String controllerId,

        Mqtt mqtt,
        Http http,

        @Doc("How long agents may hold controller-issued caps and sleeps without a fresh state message.")
        @Default("60s")
        @Range(min = "3s", max = "1h")
        Duration lease,

        @Doc("The site model (site.yaml: feeds, PDUs, racks, devices, limits); relative to this file's directory.")
        Optional<Path> siteModel) {

    public ControllerConfig {
        Topics.requireValidId(site, "site");
        Topics.requireValidId(controllerId, "controller-id");
    }

    /**
     * The embedded MQTT endpoint.
     *
     * @param bind address to listen on
     * @param port TCP port; 0 picks a free one
     * @param credentialsFile per-agent credentials (PBKDF2 hashes), read at start-up
     * @param maxPacketSize largest MQTT packet accepted
     * @param maxKeepAlive longest keep-alive a client may use (whole seconds)
     * @param maxConnections connections accepted at once
     */
    @Doc("The embedded MQTT 5 endpoint that agents connect to.")
    public record Mqtt(
            @Doc("Address to listen on; 0.0.0.0 for every interface.") @Default("127.0.0.1")
            String bind,

            @Doc("TCP port; 0 picks a free one.") @Default("1883") @Range(min = "0", max = "65535")
            int port,

            @Doc("Per-agent credentials file (PBKDF2 hashes); relative to this file's directory.")
            Path credentialsFile,

            @Doc("Largest MQTT packet accepted; larger packets close the connection.")
            @Default("1MiB")
            @Range(min = "1KiB", max = "256MiB")
            DataSize maxPacketSize,

            @Doc("Longest keep-alive a client may use; clients asking for more are told this value.")
            @Default("30s")
            @Range(min = "1s", max = "65535s")
            Duration maxKeepAlive,

            @Doc("Connections accepted at once.") @Default("10000") @Range(min = "1", max = "1000000")
            int maxConnections) {

        public Mqtt {
            if (bind.isBlank()) {
                throw new IllegalArgumentException("bind: must not be blank");
            }
            if (maxKeepAlive.toMillis() % 1000 != 0) {
                throw new IllegalArgumentException("max-keep-alive: MQTT counts keep-alive in whole seconds");
            }
        }

        /** The largest packet in bytes, as the MQTT codec takes it. */
        public int maxPacketBytes() {
            return Math.toIntExact(maxPacketSize.bytes());
        }
    }

    /**
     * The HTTP API.
     *
     * @param bind address to listen on
     * @param port TCP port; 0 picks a free one
     */
    @Doc("The operator HTTP API, Prometheus /metrics and the web page.")
    public record Http(
            @Doc("Address to listen on.") @Default("127.0.0.1")
            String bind,

            @Doc("TCP port; 0 picks a free one.") @Default("8080") @Range(min = "0", max = "65535")
            int port) {
        public Http {
            if (bind.isBlank()) {
                throw new IllegalArgumentException("bind: must not be blank");
            }
        }
    }
}
