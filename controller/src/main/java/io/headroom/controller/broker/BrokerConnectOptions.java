package io.headroom.controller.broker;

import io.headroom.config.SecretResolver;
import io.headroom.controller.config.ExternalBrokerConfig;
import io.headroom.protocol.Topic;
import java.io.IOException;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.jspecify.annotations.Nullable;

/**
 * What each connection attempt's CONNECT to the external broker says: a clean-start-false session
 * with the configured expiry, keep-alive and connect timeout; Paho's own reconnect off (the
 * transport makes one client per attempt); the controller's username and password; the offline
 * controller state, retained, as the Will; and the TLS socket factory of an ssl:// url.
 *
 * <p>Kept apart from {@link BrokerTransport}, which runs the attempts and their outcomes: this is
 * only the options one attempt starts from. The password is resolved from its secret for every
 * attempt, and the secret's characters are wiped once encoded.
 */
final class BrokerConnectOptions {
    private final ExternalBrokerConfig config;
    private final SecretResolver secrets;
    private final @Nullable SSLSocketFactory tls;
    private final String willTopic;
    private final byte[] willPayload;

    /** @param offlineState the encoded {@code ControllerState{online: false}}; copied */
    BrokerConnectOptions(
            ExternalBrokerConfig config,
            SecretResolver secrets,
            @Nullable SSLSocketFactory tls,
            Topic stateTopic,
            byte[] offlineState) {
        this.config = config;
        this.secrets = secrets;
        this.tls = tls;
        this.willTopic = stateTopic.toWire();
        this.willPayload = offlineState.clone();
    }

    /** @throws IOException when the password cannot be read from its secret */
    MqttConnectionOptions forAttempt() throws IOException {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(config.sessionExpiry().toSeconds());
        options.setKeepAliveInterval((int) config.keepAlive().toSeconds());
        options.setConnectionTimeout((int) Math.max(1, config.connectTimeout().toSeconds()));
        options.setAutomaticReconnect(false);
        options.setUserName(config.username());
        options.setPassword(password());
        options.setWill(
                willTopic, new MqttMessage(willPayload, BrokerTransport.PUBLISH_QOS, true, new MqttProperties()));
        if (tls != null) {
            options.setSocketFactory(tls);
            // Paho's default, said out loud: the certificate must name the url's host (SAN DNS or IP).
            options.setHttpsHostnameVerificationEnabled(true);
        }
        return options;
    }

    private byte[] password() throws IOException {
        char[] secret = secrets.resolve(config.password());
        try {
            var encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(secret));
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            return bytes;
        } finally {
            Arrays.fill(secret, '\0');
        }
    }
}
