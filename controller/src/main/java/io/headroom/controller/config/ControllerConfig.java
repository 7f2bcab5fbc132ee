package io.headroom.controller.config;

import io.headroom.config.DataSize;
import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.config.Range;
import io.headroom.config.Replaced;
import io.headroom.controller.api.auth.ApiRole;
import io.headroom.controller.api.auth.ApiUser;
import io.headroom.controller.grid.signal.GridSignalPolicy;
import io.headroom.controller.grid.signal.GridSignalState;
import io.headroom.controller.journal.JournalSettings;
import io.headroom.controller.market.MarketConfig;
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
 * @param ingest how agents' samples are taken in
 * @param engine how the control engine acts, when there is a site model
 * @param journal the durable journal replayed at start-up ({@code docs/journal.md}); its directory
 *     defaults to {@code <data-dir>/journal}
 * @param history which metrics keep a short-term history for the device page's charts (D61)
 * @param gridSignal the MQTT grid signal ({@code docs/grid-signal.md}); absent means not enabled
 * @param market market-driven curtailment ({@code docs/market.md}); absent means no price inputs
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
        Optional<Path> siteModel,

        IngestSettings ingest,

        @Doc("The control engine (needs site-model): margins, command pacing, restore.")
        io.headroom.controller.engine.EngineSettings engine,

        JournalSettings journal,
        io.headroom.controller.history.HistorySettings history,
        Optional<GridSignalConfig> gridSignal,
        Optional<MarketConfig> market) {

    public ControllerConfig {
        Topics.requireValidId(site, "site");
        Topics.requireValidId(controllerId, "controller-id");
    }

    /**
     * Defaults for {@link #ingest()}, {@link #engine()}, {@link #journal()} and {@link #history()}; no
     * grid signal, no market.
     */
    public ControllerConfig(
            String site,
            String controllerId,
            Mqtt mqtt,
            Http http,
            Duration lease,
            Path dataDir,
            Optional<Path> siteModel) {
        this(
                site,
                controllerId,
                mqtt,
                http,
                lease,
                dataDir,
                siteModel,
                IngestSettings.defaults(),
                io.headroom.controller.engine.EngineSettings.defaults(),
                JournalSettings.defaults(),
                io.headroom.controller.history.HistorySettings.defaults(),
                Optional.empty(),
                Optional.empty());
    }

    /**
     * The MQTT grid signal: a target percent with a timestamp that a {@code grid} principal
     * publishes on {@code headroom/v1/<site>/grid/signal}.
     *
     * @param enabled whether the endpoint takes grid signals at all
     * @param maxAge a signal older than this is stale, and the site fails safe to the curtailed state
     * @param failSafePercent while stale, the site is held at most at this percent as well
     * @param timestampTolerance how far ahead of the controller's clock a signal may be stamped
     */
    @Doc("The MQTT grid signal (docs/grid-signal.md): a target percent with a timestamp on"
            + " headroom/v1/<site>/grid/signal, published by a principal with the grid role.")
    public record GridSignalConfig(
            @Doc("Take grid signals; without it a grid principal's publish closes its connection.") @Default("false")
            boolean enabled,

            @Doc("A signal older than this is stale: the site then stays at the last curtailing percent"
                    + " (and at most fail-safe-percent) until a fresh signal arrives.")
            @Default("5m")
            @Range(min = "1s", max = "1d")
            Duration maxAge,

            @Doc("While the signal is stale, hold the site at most at this percent of its load (0 to 100)"
                    + " as well; without it, the last signal's percent is held.")
            Optional<Double> failSafePercent,

            @Doc("Signals stamped further ahead of the controller's clock than this are dropped.")
            @Default("30s")
            @Range(min = "0s", max = "1h")
            Duration timestampTolerance) {

        public GridSignalConfig {
            failSafePercent.ifPresent(percent -> {
                if (!(percent >= 0 && percent <= 100)) {
                    throw new IllegalArgumentException("fail-safe-percent: " + percent + " is not within 0..100");
                }
            });
        }

        /** The settings as {@link GridSignalState} takes them. */
        public GridSignalPolicy policy() {
            return new GridSignalPolicy(maxAge, failSafePercent, timestampTolerance);
        }
    }

    /**
     * How agents' samples are taken in.
     *
     * @param clockTolerance samples stamped further ahead of the controller's clock are counted,
     *     logged (rate-limited) and stored with the receive time instead
     */
    @Doc("How agents' samples are taken in.")
    public record IngestSettings(
            @Doc("Samples stamped further ahead of the controller's clock than this are stored with the"
                    + " receive time (and counted, and logged).")
            @Default("5s")
            @Range(min = "0s", max = "1h")
            Duration clockTolerance) {

        public static IngestSettings defaults() {
            return new IngestSettings(Duration.ofSeconds(5));
        }
    }

    /**
     * TLS on the MQTT endpoint; see {@code docs/mqtt-endpoint.md}. The keys and the rule are those of
     * {@link Tls} on the HTTP API (one style for both listeners, D51), plus client certificates.
     *
     * @param mode {@code on} or {@code off}; required, so plaintext is always a written choice
     * @param certFile the server's certificate chain, PEM, leaf first; required when on
     * @param keyFile its private key, PEM, unencrypted PKCS#8; required when on
     * @param clientCaFile CA bundle (PEM) that signs agents' client certificates
     * @param requireClientCertificate mTLS: every client presents a certificate from {@code clientCaFile}
     *     whose CN or a DNS/URI SAN equals its MQTT username
     */
    @Doc("TLS on the MQTT endpoint: the keys of http.tls plus client certificates. mode is required: plaintext"
            + " only when the file says mode: off. Relative paths are resolved against this file's directory.")
    @Replaced(key = "certificate", by = "cert-file (D51: the keys of http.tls)")
    @Replaced(key = "private-key", by = "key-file (D51: the keys of http.tls)")
    @Replaced(key = "client-ca", by = "client-ca-file (D51: the keys of http.tls)")
    public record MqttTlsConfig(
            @Doc("on: MQTT over TLS with cert-file and key-file; off: plaintext MQTT (loopback or a trusted network"
                    + " only).")
            TlsMode mode,

            @Doc("The server's certificate chain, PEM, leaf first.")
            Optional<Path> certFile,

            @Doc("Its private key, PEM, unencrypted PKCS#8 (BEGIN PRIVATE KEY).")
            Optional<Path> keyFile,

            @Doc("CA bundle (PEM) that signs client certificates; required with require-client-certificate.")
            Optional<Path> clientCaFile,

            @Doc("mTLS: every client must present a certificate from client-ca-file whose CN or a DNS/URI SAN"
                    + " equals its MQTT username (the password is still checked).")
            @Default("false")
            boolean requireClientCertificate) {

        public MqttTlsConfig {
            Tls.checkFiles(mode, certFile, keyFile);
            if (mode == TlsMode.OFF && (clientCaFile.isPresent() || requireClientCertificate)) {
                throw new IllegalArgumentException(
                        "mode: off, yet client certificates are set up; write mode: on to check them");
            }
            if (requireClientCertificate && clientCaFile.isEmpty()) {
                throw new IllegalArgumentException("client-ca-file: required when require-client-certificate is true");
            }
        }

        /** Plaintext, written as {@code mode: off}. */
        public static MqttTlsConfig off() {
            return new MqttTlsConfig(TlsMode.OFF, Optional.empty(), Optional.empty(), Optional.empty(), false);
        }

        /** TLS with this certificate and key, without client certificates. */
        public static MqttTlsConfig on(Path certFile, Path keyFile) {
            return new MqttTlsConfig(TlsMode.ON, Optional.of(certFile), Optional.of(keyFile), Optional.empty(), false);
        }
    }

    /**
     * The MQTT transport: the embedded endpoint agents connect to, or (mode external) the broker the
     * controller is a client of.
     *
     * @param mode {@code embedded} (the default) or {@code external}
     * @param bind address to listen on
     * @param port TCP port; 0 picks a free one
     * @param credentialsFile per-agent credentials (PBKDF2 hashes), read at start-up
     * @param maxPacketSize largest MQTT packet accepted
     * @param maxKeepAlive longest keep-alive a client may use (whole seconds)
     * @param maxConnections connections accepted at once
     * @param tls TLS, or plaintext only when written as {@code mode: off}; required in embedded mode and
     *     refused in external mode, where the broker's url says it
     * @param limits per source address and per client id limits
     * @param external the broker, required in and only allowed in mode {@code external}
     */
    @Doc("The MQTT transport: the embedded MQTT 5 endpoint that agents connect to, or an external broker.")
    @Replaced(
            key = "plaintext",
            by =
                    "tls: {mode: \"off\"} (D51: the rule of http.tls); in external mode the url's tcp:// or ssl:// says it")
    public record Mqtt(
            @Doc("embedded: the controller is the MQTT endpoint; external: it is a client of the broker in"
                    + " external (docs/external-broker.md), and bind, port, tls and limits are not used.")
            @Default("embedded")
            MqttMode mode,

            @Doc("Address to listen on; 0.0.0.0 for every interface.") @Default("127.0.0.1")
            String bind,

            @Doc("TCP port; 0 picks a free one.") @Default("1883") @Range(min = "0", max = "65535")
            int port,

            @Doc("Per-agent credentials file (PBKDF2 hashes); relative to this file's directory. In external mode"
                    + " its usernames and roles are what headroom broker-acl writes the broker's ACL from.")
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
            int maxConnections,

            Optional<MqttTlsConfig> tls,

            MqttLimitsConfig limits,
            Optional<ExternalBrokerConfig> external) {

        public Mqtt {
            if (bind.isBlank()) {
                throw new IllegalArgumentException("bind: must not be blank");
            }
            if (mode == MqttMode.EXTERNAL) {
                ExternalBrokerConfig broker = external.orElseThrow(() -> new IllegalArgumentException(
                        "external: mode is external, so the broker's url, username and password are needed here"));
                if (tls.isPresent()) {
                    throw new IllegalArgumentException("tls: the endpoint is not started in external mode; TLS"
                            + " towards the broker is external.tls with an ssl:// url");
                }
            } else if (external.isPresent()) {
                throw new IllegalArgumentException(
                        "external: is set, but mode is embedded; write mode: external to use the broker");
            } else if (tls.isEmpty()) {
                throw new IllegalArgumentException("tls: required: write tls: {mode: \"off\"} for plaintext MQTT"
                        + " (loopback or a trusted network only), or mode: \"on\" with cert-file and key-file");
            }
            if (maxKeepAlive.toMillis() % 1000 != 0) {
                throw new IllegalArgumentException("max-keep-alive: MQTT counts keep-alive in whole seconds");
            }
        }

        /** Embedded, plaintext ({@code tls: {mode: off}}), default limits. */
        public Mqtt(
                String bind,
                int port,
                Path credentialsFile,
                DataSize maxPacketSize,
                Duration maxKeepAlive,
                int maxConnections) {
            this(
                    MqttMode.EMBEDDED,
                    bind,
                    port,
                    credentialsFile,
                    maxPacketSize,
                    maxKeepAlive,
                    maxConnections,
                    Optional.of(MqttTlsConfig.off()),
                    MqttLimitsConfig.defaults(),
                    Optional.empty());
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
            checkFiles(mode, certFile, keyFile);
        }

        /** The rule of both listeners' tls blocks: files with on, none with off. */
        static void checkFiles(TlsMode mode, Optional<Path> certFile, Optional<Path> keyFile) {
            if (mode == TlsMode.ON && (certFile.isEmpty() || keyFile.isEmpty())) {
                throw new IllegalArgumentException("mode: on needs cert-file and key-file");
            }
            if (mode == TlsMode.OFF && (certFile.isPresent() || keyFile.isPresent())) {
                throw new IllegalArgumentException(
                        "mode: off, yet cert-file or key-file is set; write mode: on to speak TLS");
            }
        }
    }

    /** Whether a listener (the MQTT endpoint, the HTTP API) speaks TLS. */
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
