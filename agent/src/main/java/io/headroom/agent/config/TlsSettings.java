package io.headroom.agent.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code mqtt.tls} block: what the agent trusts and how it proves who it is. Whether TLS is
 * used at all follows from the URL scheme ({@code ssl://}, {@code mqtts://}); this block only
 * tunes it, and a block next to a plaintext URL is refused by the loader.
 *
 * @param caFile PEM with one or more CA certificates; empty means the JDK's default trust store
 * @param certFile the client certificate chain (PEM, leaf first); present exactly when {@code keyFile} is
 * @param keyFile the client certificate's private key, unencrypted PKCS#8 PEM
 */
public record TlsSettings(Optional<Path> caFile, Optional<Path> certFile, Optional<Path> keyFile) {

    public TlsSettings {
        Objects.requireNonNull(caFile, "ca-file");
        Objects.requireNonNull(certFile, "cert-file");
        Objects.requireNonNull(keyFile, "key-file");
        if (certFile.isPresent() != keyFile.isPresent()) {
            throw new IllegalArgumentException("cert-file and key-file go together: set both or neither");
        }
    }

    /** No block: the JDK's default trust store, no client certificate. */
    public static final TlsSettings DEFAULTS = new TlsSettings(Optional.empty(), Optional.empty(), Optional.empty());

    /** True when a client certificate is configured. */
    public boolean hasClientCertificate() {
        return certFile.isPresent();
    }
}
