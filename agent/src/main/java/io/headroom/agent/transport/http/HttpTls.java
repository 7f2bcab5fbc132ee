package io.headroom.agent.transport.http;

import io.headroom.agent.tls.PemTls;
import io.headroom.agent.tls.TlsSetupException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS context of an {@link HttpTransport}: the JDK's default trust store, or exactly the CAs of a
 * PEM file (read with {@link PemTls}, so the agent's MQTT and HTTP clients accept the same files).
 * There is deliberately no "trust everything" option: a BMC with a self-signed certificate is
 * trusted by giving its certificate (or its CA) as the CA file.
 */
final class HttpTls {

    private HttpTls() {}

    /**
     * @param key the config key naming the file, for messages
     * @throws HttpTransportException with reason {@code tls} naming the file when it cannot be used
     */
    static SSLContext context(Optional<Path> caFile, String key) throws HttpTransportException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            if (caFile.isEmpty()) {
                context.init(null, null, new SecureRandom());
                return context;
            }
            List<X509Certificate> cas = PemTls.certificates(key, caFile.get());
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                store.setCertificateEntry("ca-" + i, cas.get(i));
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            context.init(null, trust.getTrustManagers(), new SecureRandom());
            return context;
        } catch (TlsSetupException e) {
            throw new HttpTransportException(HttpTransportException.TLS, e.getMessage(), e);
        } catch (GeneralSecurityException | IOException e) {
            throw new HttpTransportException(
                    HttpTransportException.TLS, "cannot set up TLS for " + key + ": " + e.getMessage(), e);
        }
    }
}
