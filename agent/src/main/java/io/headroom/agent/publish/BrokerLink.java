package io.headroom.agent.publish;

import io.headroom.agent.config.AgentConfig;
import io.headroom.agent.config.TlsSettings;
import io.headroom.agent.tls.HandshakeFailure;
import io.headroom.agent.tls.PemTls;
import io.headroom.agent.tls.TlsSetupException;
import java.util.Optional;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/**
 * How this agent reaches its broker: the endpoint, the credentials and, for {@code ssl://} and
 * {@code mqtts://}, TLS with a socket factory built once, at start-up, so that a bad certificate or key
 * stops the agent before it connects. Gives each connection attempt its options and says in one
 * sentence why an attempt failed.
 */
final class BrokerLink {

    private final AgentConfig config;
    private final BrokerEndpoint endpoint;
    private final TlsSettings tls;
    /** Null for a plaintext URL. */
    private final SSLSocketFactory socketFactory;

    private final byte[] password;

    /**
     * @param password the MQTT password (copied; never logged)
     * @throws TlsSetupException if a TLS file of {@code mqtt.tls} cannot be used; it names the file
     */
    BrokerLink(AgentConfig config, byte[] password) throws TlsSetupException {
        this.config = config;
        this.endpoint = BrokerEndpoint.of(config.mqtt().url());
        this.tls = config.mqtt().tls().orElse(TlsSettings.DEFAULTS);
        this.socketFactory = endpoint.tls() ? PemTls.socketFactory(tls) : null;
        this.password = password.clone();
    }

    /** The URI Paho connects to. */
    String pahoUri() {
        return endpoint.pahoUri();
    }

    /** {@code host:port}, for messages. */
    String hostPort() {
        return endpoint.hostPort();
    }

    /** The options of one connection attempt: credentials, a clean start, keep-alive, TLS, the Will. */
    MqttConnectionOptions options(String willTopic, MqttMessage will) {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(config.agentId());
        options.setPassword(password);
        options.setCleanStart(true);
        options.setSessionExpiryInterval(0L);
        options.setKeepAliveInterval(pahoKeepAliveSeconds(config.mqtt().keepAlive()));
        options.setConnectionTimeout(
                (int) Math.max(1, config.mqtt().connectTimeout().toSeconds()));
        options.setAutomaticReconnect(false);
        if (endpoint.tls()) {
            options.setSocketFactory(socketFactory);
            // The JDK checks the certificate's names against the host (endpoint identification
            // "HTTPS", RFC 2818 / RFC 6125) during the handshake, before the password is sent.
            options.setHttpsHostnameVerificationEnabled(true);
        }
        options.setWill(willTopic, will);
        return options;
    }

    /**
     * The keep-alive asked for in CONNECT, so that a silent connection (a partition: no FIN, no RST)
     * is declared lost within 1.5 × {@code mqtt.keep-alive} (fault matrix row 9). Paho notices only
     * after two of its intervals (a PINGREQ after one silent interval, no PINGRESP by the next;
     * measured 4.2 s for a 2 s keep-alive), so it is given two thirds of the budget, in whole seconds,
     * at least 1 (0 would turn keep-alive off): 30 s → 20 s, noticed within 40 s ≤ 45 s.
     */
    static int pahoKeepAliveSeconds(java.time.Duration keepAlive) {
        return (int) Math.max(1, Math.min(65_535, keepAlive.toMillis() * 2 / 3 / 1000));
    }

    /** The TLS handshake failure behind a failed attempt, in one sentence; empty when it was not one. */
    Optional<String> tlsFailure(Throwable failure) {
        return endpoint.tls()
                ? HandshakeFailure.describe(failure, endpoint.hostPort(), endpoint.host(), tls)
                : Optional.empty();
    }
}
