package io.headroom.agent.tls;

import io.headroom.agent.config.TlsSettings;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Turns the JDK's TLS exceptions (buried in Paho's) into one sentence an operator can act on:
 * {@code TLS handshake with 127.0.0.1:8883 failed: server certificate is not trusted by the CA in /etc/ca.pem}.
 * The JDK's own words stay in the log at debug level.
 */
public final class HandshakeFailure {
    private static final Pattern ALERT = Pattern.compile("Received fatal alert: (\\w+)");
    /** Alerts a server sends about the client's certificate (RFC 8446 §6.2). */
    private static final Set<String> CLIENT_CERTIFICATE_ALERTS = Set.of(
            "bad_certificate",
            "unsupported_certificate",
            "certificate_revoked",
            "certificate_expired",
            "certificate_unknown",
            "unknown_ca",
            "access_denied",
            "certificate_required");

    private HandshakeFailure() {}

    /**
     * The sentence for a failed connection attempt over TLS, or empty when TLS was not what failed
     * (the connection was refused, timed out, the broker said no to the CONNECT, …).
     *
     * @param endpoint {@code host:port}, as connected to
     * @param host the name the server certificate must match
     */
    public static Optional<String> describe(Throwable failure, String endpoint, String host, TlsSettings tls) {
        List<Throwable> chain = chain(failure);
        SSLException ssl = null;
        for (Throwable t : chain) {
            if (t instanceof SSLException e) {
                ssl = e;
                break;
            }
        }
        if (ssl != null) {
            return Optional.of("TLS handshake with " + endpoint + " failed: " + reason(chain, ssl, host, tls));
        }
        for (Throwable t : chain) {
            String message = String.valueOf(t.getMessage());
            if (t instanceof EOFException
                    || (t instanceof SocketException
                            && !(t instanceof ConnectException)
                            && (message.contains("Broken pipe") || message.contains("Connection reset")))) {
                // TLS 1.3 (RFC 8446 §4.4.2): the server judges the client's certificate after the
                // client's handshake is done, so the refusal can race the CONNECT and arrive as a
                // reset instead of an alert.
                return Optional.of("TLS connection with " + endpoint + " ended before the broker answered CONNECT ("
                        + t + "); under TLS 1.3 this is how a broker refuses a client certificate: "
                        + tls.certFile()
                                .map(cert -> "check that the certificate in " + cert
                                        + " is signed by a CA the broker accepts")
                                .orElse("check whether it requires one (mqtt.tls.cert-file and mqtt.tls.key-file)"));
            }
        }
        return Optional.empty();
    }

    private static String reason(List<Throwable> chain, SSLException ssl, String host, TlsSettings tls) {
        String trustedBy = tls.caFile()
                .map(ca -> "the CA in " + ca)
                .orElse("the JDK's default trust store (set mqtt.tls.ca-file to the CA that signed it)");
        for (Throwable t : chain) {
            if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException) {
                return "server certificate (or one of its chain) is outside its validity period: " + t.getMessage();
            }
        }
        for (Throwable t : chain) {
            if (t instanceof CertPathBuilderException
                    || t instanceof CertPathValidatorException
                    || String.valueOf(t.getMessage()).contains("PKIX path")) {
                return "server certificate is not trusted by " + trustedBy;
            }
        }
        for (Throwable t : chain) {
            String message = String.valueOf(t.getMessage());
            if (t instanceof CertificateException
                    && (message.startsWith("No subject alternative") || message.startsWith("No name matching"))) {
                return "server certificate does not match " + host + " (hostname verification): " + message;
            }
        }
        for (Throwable t : chain) {
            Matcher alert = ALERT.matcher(String.valueOf(t.getMessage()));
            if (alert.find()) {
                return alert(alert.group(1), tls);
            }
        }
        String message = String.valueOf(ssl.getMessage());
        if (message.contains("plaintext connection") || message.contains("Unsupported or unrecognized SSL message")) {
            return "the endpoint did not answer in TLS (a plaintext listener? then its URL is tcp://, and the "
                    + "password would cross the network in the clear)";
        }
        return message;
    }

    private static String alert(String alert, TlsSettings tls) {
        if (CLIENT_CERTIFICATE_ALERTS.contains(alert) || alert.equals("handshake_failure")) {
            if (tls.certFile().isEmpty()) {
                // We sent none, so a complaint about the client's certificate means one is required.
                return "the broker requires a client certificate (alert " + alert + "); set "
                        + "mqtt.tls.cert-file and mqtt.tls.key-file";
            } else if (!alert.equals("handshake_failure")) {
                return "the broker refused the client certificate in "
                        + tls.certFile().get() + " (alert " + alert
                        + (alert.equals("certificate_required")
                                ? ": it was not sent, because its issuer is not among the CAs the broker accepts)"
                                : ")");
            }
        }
        if (alert.equals("protocol_version")) {
            return "no TLS version in common (the agent offers TLS 1.3 and 1.2 only; alert protocol_version)";
        }
        return "the broker ended the handshake (alert " + alert + ")";
    }

    private static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && chain.size() < 16 && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }
}
