package io.headroom.agent.publish;

import java.net.URI;

/**
 * Where Paho connects, from the configured URL. Paho knows {@code tcp://} and {@code ssl://} only,
 * so {@code mqtt://} maps to {@code tcp://} and {@code mqtts://} to {@code ssl://}; the default
 * ports are MQTT's (1883 plaintext, 8883 TLS). Any other scheme is refused, so nothing is ever
 * downgraded to plaintext.
 *
 * @param pahoUri {@code tcp://host:port} or {@code ssl://host:port}
 * @param host the host as configured: the name a server certificate must match
 * @param hostPort {@code host:port}, for messages
 * @param tls true for {@code ssl://} and {@code mqtts://}
 */
record BrokerEndpoint(String pahoUri, String host, String hostPort, boolean tls) {

    static BrokerEndpoint of(URI url) {
        boolean tls;
        switch (String.valueOf(url.getScheme())) {
            case "tcp":
            case "mqtt":
                tls = false;
                break;
            case "ssl":
            case "mqtts":
                tls = true;
                break;
            default:
                throw new IllegalArgumentException(
                        "url " + url + " must start with tcp://, mqtt://, ssl:// or mqtts://");
        }
        if (url.getHost() == null) {
            throw new IllegalArgumentException("url " + url + " has no host");
        }
        String hostPort = url.getHost() + ':' + (url.getPort() < 0 ? (tls ? 8883 : 1883) : url.getPort());
        return new BrokerEndpoint((tls ? "ssl://" : "tcp://") + hostPort, url.getHost(), hostPort, tls);
    }
}
