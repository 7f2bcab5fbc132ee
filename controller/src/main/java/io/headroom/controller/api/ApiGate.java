package io.headroom.controller.api;

import io.headroom.controller.api.auth.AuditEntry;
import io.headroom.controller.api.auth.AuditLog;
import io.headroom.controller.api.auth.Authenticator;
import io.headroom.controller.api.auth.Principal;
import io.headroom.controller.api.auth.Refusal;
import io.headroom.controller.api.auth.UserDirectory;
import io.headroom.controller.api.auth.WriteGuard;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every API request passes before its route: the write guard (content type, Host, Origin),
 * then authentication; plus the users and the audit log the routes use. Refused writes are
 * counted by reason ({@code headroom.http.writes.refused}) rather than audited, so a flood of
 * them cannot fill the disk.
 */
final class ApiGate {
    private final WriteGuard guard;
    private final Authenticator authenticator;
    private final UserDirectory users;
    private final AuditLog audit;
    private final MeterRegistry registry;
    private final Map<String, Counter> refused = new ConcurrentHashMap<>();

    ApiGate(
            WriteGuard guard,
            Authenticator authenticator,
            UserDirectory users,
            AuditLog audit,
            MeterRegistry registry) {
        this.guard = guard;
        this.authenticator = authenticator;
        this.users = users;
        this.audit = audit;
        this.registry = registry;
        for (String reason :
                new String[] {WriteGuard.UNSUPPORTED_MEDIA_TYPE, WriteGuard.HOST_NOT_ALLOWED, WriteGuard.FOREIGN_ORIGIN
                }) {
            counter(reason);
        }
    }

    /** Why a write (any method but GET) is refused before authentication, or empty. */
    Optional<Refusal> checkWrite(FullHttpRequest request, Peer peer) {
        Optional<Refusal> refusal = guard.check(
                request.headers().get(HttpHeaderNames.CONTENT_TYPE),
                request.headers().get(HttpHeaderNames.HOST),
                request.headers().get(HttpHeaderNames.ORIGIN),
                peer.tls());
        refusal.ifPresent(r -> counter(r.reason()).increment());
        return refusal;
    }

    private Counter counter(String reason) {
        return refused.computeIfAbsent(
                reason,
                r -> Counter.builder("headroom.http.writes.refused")
                        .tag("reason", r)
                        .description("HTTP writes refused before authentication (CSRF and DNS-rebinding checks)")
                        .register(registry));
    }

    Authenticator authenticator() {
        return authenticator;
    }

    UserDirectory users() {
        return users;
    }

    AuditLog audit() {
        return audit;
    }

    /**
     * Appends one audit entry of a signed-in user's write: who (name and role) and from where, at
     * {@code at}.
     *
     * @throws java.io.UncheckedIOException when the audit log cannot be written
     */
    void record(
            Instant at,
            Principal who,
            Peer peer,
            String action,
            String target,
            String detail,
            int status,
            String outcome) {
        audit.append(new AuditEntry(
                at, who.name(), who.role().spelling(), action, target, detail, peer.describe(), status, outcome));
    }
}
