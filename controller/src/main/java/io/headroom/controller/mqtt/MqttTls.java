package io.headroom.controller.mqtt;

import java.nio.file.Path;
import java.util.Objects;

/**
 * TLS on the endpoint. Files are PEM: the certificate chain (leaf first), its private key in
 * PKCS#8 ({@code BEGIN PRIVATE KEY}, which {@code openssl req -newkey} and {@code openssl genpkey}
 * write), and, for client certificates, the CA bundle that signs them.
 *
 * @param certificateChain the server's certificate chain
 * @param privateKey the server's private key, unencrypted PKCS#8
 * @param clientCa CA certificates trusted for client certificates; {@code null} when none are asked for
 * @param requireClientCertificate mTLS: every client must present a certificate signed by
 *     {@code clientCa} whose subject CN or a DNS/URI subject alternative name equals its MQTT
 *     username; the password is still checked
 */
public record MqttTls(Path certificateChain, Path privateKey, Path clientCa, boolean requireClientCertificate) {

    public MqttTls {
        Objects.requireNonNull(certificateChain, "certificateChain");
        Objects.requireNonNull(privateKey, "privateKey");
        if (requireClientCertificate && clientCa == null) {
            throw new IllegalArgumentException("clientCa: required when client certificates are required");
        }
    }
}
