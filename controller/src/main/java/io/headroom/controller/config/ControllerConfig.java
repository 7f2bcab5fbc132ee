package io.headroom.controller.config;

import io.headroom.config.DataSize;
import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.config.Range;
import io.headroom.controller.api.auth.ApiRole;
import io.headroom.controller.api.auth.ApiUser;
import io.headroom.controller.mqtt.PasswordHash;
import io.headroom.protocol.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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
 * @param dataDir where the controller keeps what must survive a restart (the API's audit log)
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

        @Doc("Where the controller keeps what must survive a restart: the HTTP API's audit log (audit.jsonl).")
        @Default("/var/lib/headroom")
        Path dataDir,

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
     * The HTTP API (docs/api-security.md).
     *
     * @param bind address to listen on
     * @param port TCP port; 0 picks a free one
     * @param tls HTTPS, or plaintext only when written as {@code mode: off}
     * @param users who may sign in
     * @param sessionTtl how long a session token lives from sign-in
     * @param allowedHosts Host names clients may write through, besides localhost and the bind address
     * @param allowedOrigins foreign origins (a reverse proxy's) that may write
     * @param maxConnections connections open at once
     * @param maxFailedLogins failed sign-ins per source address per minute before it must wait
     */
    @Doc("The operator HTTP API, Prometheus /metrics and the web page.")
    public record Http(
            @Doc("Address to listen on.") @Default("127.0.0.1")
            String bind,

            @Doc("TCP port; 0 picks a free one.") @Default("8080") @Range(min = "0", max = "65535")
            int port,

            Tls tls,

            @Doc("Who may sign in: name, role (viewer, operator, admin) and password-hash from headroom hash-password.")
            List<User> users,

            @Doc("How long a session token lives from sign-in.") @Default("8h") @Range(min = "1m", max = "30d")
            Duration sessionTtl,

            @Doc("Host names clients write through, besides localhost, 127.0.0.1, ::1 and the bind address.")
            List<String> allowedHosts,

            @Doc("Foreign origins that may write, e.g. a reverse proxy's https://headroom.example.")
            List<String> allowedOrigins,

            @Doc("HTTP connections open at once; more are closed on accept and counted.")
            @Default("1024")
            @Range(min = "1", max = "1000000")
            int maxConnections,

            @Doc("Failed sign-ins one source address may make per minute before it must wait.")
            @Default("10")
            @Range(min = "1", max = "10000")
            int maxFailedLogins) {
        /** Plaintext on {@code bind:port} with these users and every other setting at its default. */
        public static Http plaintext(String bind, int port, List<User> users) {
            return new Http(
                    bind,
                    port,
                    new Tls(TlsMode.OFF, Optional.empty(), Optional.empty()),
                    users,
                    Duration.ofHours(8),
                    List.of(),
                    List.of(),
                    1024,
                    10);
        }

        public Http {
            if (bind.isBlank()) {
                throw new IllegalArgumentException("bind: must not be blank");
            }
            Set<String> names = new HashSet<>();
            for (User user : users) {
                if (!names.add(user.name())) {
                    throw new IllegalArgumentException("users: '" + user.name() + "' is listed twice");
                }
            }
            for (String origin : allowedOrigins) {
                if (!origin.matches("https?://[^/?#@\\s]+")) {
                    throw new IllegalArgumentException("allowed-origins: '" + origin
                            + "' is not an origin like https://headroom.example or http://10.0.0.5:8080");
                }
            }
        }
    }

    /**
     * TLS on the HTTP API.
     *
     * @param mode {@code on} or {@code off}; required, so plaintext is always a written choice
     * @param certFile PEM certificate chain, required when on
     * @param keyFile PEM unencrypted PKCS#8 private key, required when on
     */
    @Doc("TLS on the HTTP API. mode is required: plaintext only when the file says mode: off.")
    public record Tls(
            @Doc("on: HTTPS with cert-file and key-file; off: plaintext HTTP (loopback or a trusted network only).")
            TlsMode mode,

            @Doc("PEM certificate chain (server certificate first); relative to this file's directory.")
            Optional<Path> certFile,

            @Doc("PEM private key, unencrypted PKCS#8 (BEGIN PRIVATE KEY); relative to this file's directory.")
            Optional<Path> keyFile) {
        public Tls {
            if (mode == TlsMode.ON && (certFile.isEmpty() || keyFile.isEmpty())) {
                throw new IllegalArgumentException("mode: on needs cert-file and key-file");
            }
            if (mode == TlsMode.OFF && (certFile.isPresent() || keyFile.isPresent())) {
                throw new IllegalArgumentException(
                        "mode: off, yet cert-file or key-file is set; write mode: on to serve HTTPS");
            }
        }
    }

    /** Whether the HTTP API speaks TLS. */
    public enum TlsMode {
        ON,
        OFF
    }

    /**
     * One HTTP API user.
     *
     * @param name what the user signs in as
     * @param role what the user may do
     * @param passwordHash the PBKDF2 hash printed by {@code headroom hash-password}
     */
    @Doc("An HTTP API user.")
    public record User(
            @Doc("Sign-in name.") String name,

            @Doc("viewer (read), operator (also commands and the audit log) or admin (also the user list).")
            ApiRole role,

            @Doc("PBKDF2 hash from headroom hash-password: pbkdf2-sha256$<iterations>$<salt>$<hash>.")
            String passwordHash) {
        public User {
            try {
                PasswordHash.parse(passwordHash);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "password-hash: " + e.getMessage().replaceFirst("^password hash: ", ""), e);
            }
            new ApiUser(name, role, PasswordHash.parse(passwordHash));
        }

        /** The user as the API checks it. */
        public ApiUser toApiUser() {
            return new ApiUser(name, role, PasswordHash.parse(passwordHash));
        }
    }
}
