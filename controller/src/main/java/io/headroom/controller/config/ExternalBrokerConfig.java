package io.headroom.controller.config;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.config.Range;
import io.headroom.config.SecretRef;
import io.headroom.protocol.Topics;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The broker the controller is a client of in {@code mqtt.mode: external} (docs/external-broker.md).
 * The controller's password is a {@link SecretRef} (a file or a systemd credential), never inline.
 *
 * @param url {@code tcp://} or {@code mqtt://} (plaintext), {@code ssl://} or {@code mqtts://} (TLS), then
 *     {@code host:port}
 * @param clientId the controller's MQTT client id; {@code headroom-<controller-id>} when absent. Two
 *     controllers of one site sharing a subscription group need different ids.
 * @param username the controller's principal on the broker
 * @param password where its password is kept
 * @param tls what the controller trusts on a TLS url
 * @param sharedGroup subscribe as {@code $share/<group>/...}, so that several controllers split the
 *     agents' messages; absent for a plain subscription
 * @param sessionExpiry how long the broker keeps the controller's session (its subscriptions) after
 *     a lost connection
 * @param keepAlive MQTT keep-alive, whole seconds
 * @param connectTimeout limit for one connection attempt
 * @param reconnectMin first delay after a lost connection; doubled per failed attempt, jittered
 * @param reconnectMax cap of the reconnect backoff
 */
@Doc("The broker the controller connects to as an MQTT 5 client (mqtt.mode: external); docs/external-broker.md.")
public record ExternalBrokerConfig(
        @Doc("tcp:// or mqtt:// (plaintext), ssl:// or mqtts:// (TLS), then host:port.")
        URI url,

        @Doc("The controller's MQTT client id; headroom-<controller-id> when absent.")
        Optional<String> clientId,

        @Doc("The controller's username on the broker (its principal in the generated ACL).")
        String username,

        @Doc("Where the controller's broker password is kept: {file: path} or {credential: name}; never inline.")
        SecretRef password,

        Optional<BrokerTls> tls,

        @Doc("Subscribe as $share/<group>/...: controllers in one group split the agents' messages.")
        Optional<String> sharedGroup,

        @Doc("How long the broker keeps the controller's session (subscriptions) after a lost connection.")
        @Default("5m")
        @Range(min = "0s", max = "7d")
        Duration sessionExpiry,

        @Doc("MQTT keep-alive (whole seconds).") @Default("30s") @Range(min = "1s", max = "65535s")
        Duration keepAlive,

        @Doc("Limit for one connection attempt.") @Default("10s") @Range(min = "1s", max = "5m")
        Duration connectTimeout,

        @Doc("First delay after a lost connection; doubled per failed attempt, with jitter.")
        @Default("1s")
        @Range(min = "10ms", max = "1h")
        Duration reconnectMin,

        @Doc("Cap of the reconnect backoff.") @Default("30s") @Range(min = "10ms", max = "1h")
        Duration reconnectMax) {

    private static final Set<String> SCHEMES = Set.of("tcp", "mqtt", "ssl", "mqtts");

    public ExternalBrokerConfig {
        String scheme = url.getScheme();
        if (scheme == null || !SCHEMES.contains(scheme)) {
            throw new IllegalArgumentException(
                    "url: '" + url + "' must start with tcp://, mqtt://, ssl:// or mqtts://");
        }
        if (url.getHost() == null) {
            throw new IllegalArgumentException("url: '" + url + "' has no host");
        }
        if (tls.isPresent() && !usesTls(url)) {
            throw new IllegalArgumentException(
                    "tls: is set but url is " + url + " (plaintext); use ssl:// or mqtts://");
        }
        clientId.ifPresent(id -> {
            if (id.isEmpty() || id.length() > 256 || id.chars().anyMatch(c -> c < 0x21 || c > 0x7E)) {
                throw new IllegalArgumentException(
                        "client-id: '" + id + "' must be 1-256 printable ASCII characters without spaces");
            }
        });
        if (username.isBlank() || username.chars().anyMatch(c -> Character.isWhitespace(c) || c == '#')) {
            throw new IllegalArgumentException(
                    "username: '" + username + "' must not be blank or hold whitespace or '#'");
        }
        sharedGroup.ifPresent(group -> {
            String problem = Topics.idProblem(group);
            if (problem != null) {
                throw new IllegalArgumentException("shared-group: '" + group + "' " + problem);
            }
        });
        if (keepAlive.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("keep-alive: MQTT counts keep-alive in whole seconds");
        }
        if (reconnectMin.compareTo(reconnectMax) > 0) {
            throw new IllegalArgumentException(
                    "reconnect-min: " + reconnectMin + " must not exceed reconnect-max " + reconnectMax);
        }
    }

    /** True for {@code ssl://} and {@code mqtts://}. */
    public boolean usesTls() {
        return usesTls(url);
    }

    /**
     * A plaintext url to a host other than loopback: the controller's password crosses the network in
     * the clear. Allowed, since the url's {@code tcp://} is a written choice (D51), but said at start.
     */
    public boolean plaintextBeyondLoopback() {
        String host = url.getHost();
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean loopback = bare.equals("localhost") || bare.startsWith("127.") || bare.equals("::1");
        return !usesTls() && !loopback;
    }

    /** The url as Paho takes it: {@code mqtt://} is {@code tcp://}, {@code mqtts://} is {@code ssl://}. */
    public String pahoUrl() {
        String scheme = usesTls() ? "ssl" : "tcp";
        int port = url.getPort() >= 0 ? url.getPort() : usesTls() ? 8883 : 1883;
        String host = url.getHost();
        return scheme + "://" + (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    private static boolean usesTls(URI url) {
        return "ssl".equals(url.getScheme()) || "mqtts".equals(url.getScheme());
    }

    /**
     * TLS towards the broker. Paho verifies the broker's certificate chain against these CAs and its
     * name against the url's host (HTTPS hostname verification, on).
     *
     * @param caFile PEM CA bundle the broker's certificate must chain to; the JDK's trust store when absent
     * @param certFile the controller's own certificate chain (PEM), for a broker that requires one
     * @param keyFile its private key, unencrypted PKCS#8 PEM; set together with {@code certFile}
     */
    @Doc("TLS towards the broker (ssl:// or mqtts:// url).")
    public record BrokerTls(
            @Doc("PEM file with the CA certificates the broker's certificate chains to; the JDK's trust store"
                    + " when absent. Relative to this file's directory.")
            Optional<Path> caFile,

            @Doc("The controller's certificate chain (PEM), for a broker that requires client certificates;"
                    + " set with key-file.")
            Optional<Path> certFile,

            @Doc("The private key of cert-file: unencrypted PKCS#8 PEM ('BEGIN PRIVATE KEY').")
            Optional<Path> keyFile) {

        public BrokerTls {
            if (certFile.isPresent() != keyFile.isPresent()) {
                throw new IllegalArgumentException(
                        certFile.isPresent()
                                ? "key-file: required with cert-file (the key of the controller's certificate)"
                                : "cert-file: required with key-file (the certificate of that key)");
            }
        }

        /** Trusting {@code caFile}, without a client certificate. */
        public static BrokerTls trusting(Path caFile) {
            return new BrokerTls(Optional.of(caFile), Optional.empty(), Optional.empty());
        }
    }
}
