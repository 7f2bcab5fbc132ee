package io.headroom.controller.broker;

import io.headroom.controller.config.ExternalBrokerConfig;
import java.nio.file.Path;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Turns a failed TLS connection attempt (the JDK's exception, buried in Paho's) into the reason an
 * operator can act on: "TLS handshake failed: the broker's certificate is not signed by a CA in
 * /etc/headroom/broker-ca.pem". Empty when TLS was not what failed (refused, timed out, CONNACK).
 */
final class BrokerTlsFailure {
    private static final Pattern ALERT = Pattern.compile("Received fatal alert: (\\w+)");

    private BrokerTlsFailure() {}

    /** The reason a connect to this TLS broker failed: the TLS one, or else Paho's. */
    static String describe(Throwable failure, ExternalBrokerConfig config) {
        Optional<ExternalBrokerConfig.BrokerTls> tls = config.tls();
        return describe(
                        failure,
                        config.url().getHost(),
                        tls.flatMap(ExternalBrokerConfig.BrokerTls::caFile),
                        tls.flatMap(ExternalBrokerConfig.BrokerTls::certFile).isPresent())
                .orElseGet(() -> PahoAttempt.describe(failure));
    }

    /**
     * @param host the name the broker's certificate must match (the url's host)
     * @param caFile the trust anchors, or empty for the JDK's trust store
     * @param clientCertificate whether the controller presents a certificate of its own
     */
    static Optional<String> describe(Throwable failure, String host, Optional<Path> caFile, boolean clientCertificate) {
        List<Throwable> chain = chain(failure);
        Optional<SSLException> ssl = chain.stream()
                .filter(SSLException.class::isInstance)
                .map(SSLException.class::cast)
                .findFirst();
        return ssl.map(e -> "TLS handshake failed: " + reason(chain, e, host, caFile, clientCertificate));
    }

    private static String reason(
            List<Throwable> chain, SSLException ssl, String host, Optional<Path> caFile, boolean clientCertificate) {
        for (Throwable t : chain) {
            if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException) {
                return "the broker's certificate (or one of its chain) is outside its validity period: "
                        + t.getMessage();
            }
        }
        for (Throwable t : chain) {
            if (t instanceof CertPathBuilderException
                    || t instanceof CertPathValidatorException
                    || String.valueOf(t.getMessage()).contains("PKIX path")) {
                return "the broker's certificate is not signed by "
                        + caFile.map(ca -> "a CA in mqtt.external.tls.ca-file " + ca)
                                .orElse("a CA in the JDK's trust store (no mqtt.external.tls.ca-file is set)");
            }
        }
        for (Throwable t : chain) {
            String message = String.valueOf(t.getMessage());
            if (t instanceof CertificateException
                    && (message.startsWith("No subject alternative") || message.startsWith("No name matching"))) {
                return "the broker's certificate is not for " + host + " (hostname verification: " + message + ")";
            }
        }
        for (Throwable t : chain) {
            Matcher alert = ALERT.matcher(String.valueOf(t.getMessage()));
            if (alert.find()) {
                return "the broker ended the handshake (alert " + alert.group(1) + ")"
                        + (clientCertificate
                                ? "; does it accept the controller's certificate (mqtt.external.tls.cert-file)?"
                                : "; if it requires a client certificate, set mqtt.external.tls.cert-file and"
                                        + " key-file");
            }
        }
        String message = String.valueOf(ssl.getMessage());
        if (message.contains("plaintext connection") || message.contains("Unsupported or unrecognized SSL message")) {
            return "the broker did not answer in TLS (a plaintext listener? its url would be tcp://, and the"
                    + " password would cross the network in the clear)";
        }
        return message;
    }

    private static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && chain.size() < 16 && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }
}
