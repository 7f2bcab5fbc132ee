package io.headroom.controller.api.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * A signed-in session.
 *
 * @param token the opaque bearer token (also the cookie value); 256 random bits, base64url
 * @param principal who signed in
 * @param expiresAt after this instant the token is refused
 */
public record Session(String token, Principal principal, Instant expiresAt) {
    public Session {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** Does not print the token. */
    @Override
    public String toString() {
        return "Session[" + principal.name() + ", " + principal.role().spelling() + ", until " + expiresAt + "]";
    }
}
