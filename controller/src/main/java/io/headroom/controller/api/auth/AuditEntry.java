package io.headroom.controller.api.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * One line of the audit log: who did what to which target, when, from where, and how it ended.
 *
 * @param at when the controller answered
 * @param user who; for a failed sign-in the name that was tried
 * @param role the user's role; empty for a failed sign-in
 * @param action what was asked: {@code sign-in}, {@code sign-out} or {@code command}
 * @param target what it was about: a device id, or the user for sign-in and sign-out
 * @param detail the request in short, e.g. {@code set-power-target 3000}; empty when nothing to add
 * @param source the client's address (the TCP peer; forwarding headers are not trusted)
 * @param status the HTTP status answered
 * @param outcome for humans: the command id, or why it was refused
 */
public record AuditEntry(
        Instant at,
        String user,
        String role,
        String action,
        String target,
        String detail,
        String source,
        int status,
        String outcome) {
    public AuditEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(outcome, "outcome");
    }
}
