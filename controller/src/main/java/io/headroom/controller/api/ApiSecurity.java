package io.headroom.controller.api;

import io.headroom.controller.api.auth.ApiUser;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may use the HTTP API and how it is protected (docs/api-security.md).
 *
 * @param users who may sign in, each with a role
 * @param sessionTtl how long a session token lives from sign-in
 * @param maxFailedLogins failed sign-ins one source address may make within
 *     {@code failedLoginWindow} before it must wait
 * @param failedLoginWindow see {@code maxFailedLogins}
 * @param allowedHosts Host names clients may write through, besides localhost and the listen address
 * @param allowedOrigins foreign origins that may write (a reverse proxy's), besides the server's own
 * @param auditFile the append-only audit log
 * @param tls the certificate and key to serve HTTPS with; empty for plaintext
 */
public record ApiSecurity(
        List<ApiUser> users,
        Duration sessionTtl,
        int maxFailedLogins,
        Duration failedLoginWindow,
        List<String> allowedHosts,
        List<String> allowedOrigins,
        Path auditFile,
        Optional<TlsFiles> tls) {

    public static final Duration DEFAULT_SESSION_TTL = Duration.ofHours(8);
    public static final int DEFAULT_MAX_FAILED_LOGINS = 10;
    public static final Duration DEFAULT_FAILED_LOGIN_WINDOW = Duration.ofMinutes(1);

    public ApiSecurity {
        users = List.copyOf(users);
        Objects.requireNonNull(sessionTtl, "sessionTtl");
        Objects.requireNonNull(failedLoginWindow, "failedLoginWindow");
        allowedHosts = List.copyOf(allowedHosts);
        allowedOrigins = List.copyOf(allowedOrigins);
        Objects.requireNonNull(auditFile, "auditFile");
        Objects.requireNonNull(tls, "tls");
        if (maxFailedLogins < 1) {
            throw new IllegalArgumentException("maxFailedLogins: " + maxFailedLogins + " is below 1");
        }
    }

    /** Plaintext, default limits, no extra hosts or origins. */
    public static ApiSecurity plaintext(List<ApiUser> users, Path auditFile) {
        return new ApiSecurity(
                users,
                DEFAULT_SESSION_TTL,
                DEFAULT_MAX_FAILED_LOGINS,
                DEFAULT_FAILED_LOGIN_WINDOW,
                List.of(),
                List.of(),
                auditFile,
                Optional.empty());
    }

    /**
     * PEM files for HTTPS.
     *
     * @param certFile the server certificate, then any intermediates
     * @param keyFile its private key, unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY})
     */
    public record TlsFiles(Path certFile, Path keyFile) {
        public TlsFiles {
            Objects.requireNonNull(certFile, "certFile");
            Objects.requireNonNull(keyFile, "keyFile");
        }
    }
}
