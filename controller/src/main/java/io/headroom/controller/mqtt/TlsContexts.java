package io.headroom.controller.mqtt;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds the endpoint's server {@link SslContext} from PEM files, with errors that name the file. */
final class TlsContexts {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private TlsContexts() {}

    static SslContext server(MqttTls tls) throws IOException {
        requireReadable(tls.certificateChain(), "certificate chain");
        requireReadable(tls.privateKey(), "private key");
        if (tls.clientCa() != null) {
            requireReadable(tls.clientCa(), "client CA");
        }
        try {
            SslContextBuilder builder = SslContextBuilder.forServer(
                            tls.certificateChain().toFile(), tls.privateKey().toFile())
                    .sslProvider(SslProvider.JDK)
                    .protocols(PROTOCOLS);
            if (tls.clientCa() != null) {
                builder.trustManager(tls.clientCa().toFile())
                        .clientAuth(tls.requireClientCertificate() ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
            }
            return builder.build();
        } catch (Exception e) {
            // SSLException or IllegalArgumentException from a key or certificate that does not parse.
            throw new IOException(
                    "MQTT TLS: cannot use certificate " + tls.certificateChain() + " with key " + tls.privateKey()
                            + (tls.clientCa() == null ? "" : " and client CA " + tls.clientCa()) + ": "
                            + e.getMessage()
                            + " (PEM expected; the key unencrypted PKCS#8, 'BEGIN PRIVATE KEY')",
                    e);
        }
    }

    private static void requireReadable(Path file, String what) throws IOException {
        if (!Files.isReadable(file)) {
            throw new IOException("MQTT TLS: " + what + " " + file + " does not exist or is not readable");
        }
    }
}
