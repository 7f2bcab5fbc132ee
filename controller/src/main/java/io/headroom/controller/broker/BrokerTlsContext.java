package io.headroom.controller.broker;

import io.headroom.controller.config.ExternalBrokerConfig.BrokerTls;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLSocketFactory;

/**
 * The socket factory for a TLS broker url: whom the controller trusts (the CA file's certificates
 * as the only anchors, or the JDK's trust store without one) and, for mutual TLS, the certificate
 * it presents. Built once at start, so that a file that is missing or not PEM stops the controller
 * with the key and the file named, instead of becoming an outage that never heals.
 */
final class BrokerTlsContext {
    private static final String PREFIX = "mqtt.external.tls.";

    private BrokerTlsContext() {}

    /**
     * @throws IOException naming the key and the file when one cannot be read or used
     */
    static SSLSocketFactory socketFactory(Optional<BrokerTls> tls) throws IOException {
        Optional<Path> caFile = tls.flatMap(BrokerTls::caFile);
        Optional<Path> certFile = tls.flatMap(BrokerTls::certFile);
        Optional<Path> keyFile = tls.flatMap(BrokerTls::keyFile);
        // Netty's JDK provider: the same PEM and PKCS#8 reading as the embedded endpoint's TLS.
        SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(SslProvider.JDK);
        if (caFile.isPresent()) {
            builder.trustManager(certificates(caFile.get()));
        }
        if (certFile.isPresent() && keyFile.isPresent()) {
            requireReadable("cert-file", certFile.get());
            requireReadable("key-file", keyFile.get());
        }
        try {
            if (certFile.isPresent() && keyFile.isPresent()) {
                builder.keyManager(certFile.get().toFile(), keyFile.get().toFile());
            }
            return ((JdkSslContext) builder.build()).context().getSocketFactory();
        } catch (IOException | RuntimeException e) {
            // SSLException or IllegalArgumentException from a certificate or key that does not parse.
            throw new IOException(
                    PREFIX + "cert-file " + certFile.map(Path::toString).orElse("-") + " with key-file "
                            + keyFile.map(Path::toString).orElse("-") + ": cannot be used: " + e.getMessage()
                            + " (PEM expected; the key unencrypted PKCS#8, 'BEGIN PRIVATE KEY')",
                    e);
        }
    }

    private static X509Certificate[] certificates(Path caFile) throws IOException {
        requireReadable("ca-file", caFile);
        Collection<? extends Certificate> read;
        try (InputStream in = Files.newInputStream(caFile)) {
            read = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (GeneralSecurityException e) {
            throw new IOException(PREFIX + "ca-file " + caFile + ": not PEM certificates: " + e.getMessage(), e);
        }
        List<X509Certificate> certificates = new ArrayList<>();
        for (Certificate certificate : read) {
            if (certificate instanceof X509Certificate x509) {
                certificates.add(x509);
            }
        }
        if (certificates.isEmpty()) {
            throw new IOException(PREFIX + "ca-file " + caFile + ": holds no certificate ('BEGIN CERTIFICATE')");
        }
        return certificates.toArray(new X509Certificate[0]);
    }

    private static void requireReadable(String key, Path file) throws IOException {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IOException(PREFIX + key + " " + file + ": does not exist or is not readable");
        }
    }
}
