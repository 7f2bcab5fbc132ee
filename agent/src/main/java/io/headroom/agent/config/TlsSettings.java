package io.headroom.agent.config;

import io.headroom.config.Doc;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code mqtt.tls} block: what the agent trusts and how it proves who it is. Whether TLS is used
 * at all follows from the URL scheme ({@code ssl://}, {@code mqtts://}); this block only tunes it,
 * and a block next to a plaintext URL is refused.
 *
 * @param caFile PEM with one or more CA certificates; empty means the JDK's default trust store
 * @param certFile the client certificate chain (PEM, leaf first); present exactly when {@code keyFile} is
 * @param keyFile the client certificate's private key, unencrypted PKCS#8 PEM
 */
@Doc("TLS settings for an ssl:// or mqtts:// URL.")
public record TlsSettings(
        @Doc("PEM file with one or more CA certificates; the JDK's default trust store when absent.")
        Optional<Path> caFile,

        @Doc("Client certificate chain (PEM, leaf first); together with key-file.")
        Optional<Path> certFile,

        @Doc("The client certificate's private key, unencrypted PKCS#8 PEM (openssl pkcs8 -topk8 -nocrypt).")
        Optional<Path> keyFile) {

    /** No block: the JDK's default trust store, no client certificate. */
    public static final TlsSettings DEFAULTS = new TlsSettings(Optional.empty(), Optional.empty(), Optional.empty());

    public TlsSettings {
        if (certFile.isPresent() != keyFile.isPresent()) {
            throw new IllegalArgumentException("cert-file: cert-file and key-file go together: set both or neither");
        }
    }

    /** True when a client certificate is configured. */
    public boolean hasClientCertificate() {
        return certFile.isPresent();
    }
}
