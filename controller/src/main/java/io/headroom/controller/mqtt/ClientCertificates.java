package io.headroom.controller.mqtt;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The names a client's TLS certificate gives its holder: the subject's CN values and the DNS and
 * URI subject alternative names. Under mTLS one of them must equal the MQTT username.
 */
final class ClientCertificates {
    private static final int SAN_DNS = 2;
    private static final int SAN_URI = 6;

    private ClientCertificates() {}

    /** The names of the verified peer certificate; empty without TLS or without a certificate. */
    static Set<String> names(Channel channel) {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return Set.of();
        }
        Certificate[] chain;
        try {
            chain = ssl.engine().getSession().getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return Set.of();
        }
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
            return Set.of();
        }
        return names(leaf);
    }

    static Set<String> names(X509Certificate certificate) {
        Set<String> names = new LinkedHashSet<>();
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    names.add(String.valueOf(rdn.getValue()));
                }
            }
        } catch (InvalidNameException e) {
            // A subject the JDK printed but cannot parse back has no usable CN.
        }
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> alternative : alternatives) {
                    if (alternative.size() == 2
                            && alternative.get(0) instanceof Integer type
                            && (type == SAN_DNS || type == SAN_URI)
                            && alternative.get(1) instanceof String name) {
                        names.add(name);
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // An unparseable extension gives no names.
        }
        return names;
    }
}
