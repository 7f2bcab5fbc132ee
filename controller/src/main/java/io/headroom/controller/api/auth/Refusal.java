package io.headroom.controller.api.auth;

import java.util.Objects;

/**
 * Why the API refuses a request before it reaches a route, answered as
 * {@code {"error": message, "reason": reason}}.
 *
 * @param status the HTTP status: 401, 403, 415 or 429
 * @param reason machine-readable, stable: e.g. {@code unauthenticated}, {@code foreign-origin}
 * @param message for humans: what was wrong and what to do
 * @param retryAfterSeconds for 429, when to try again (the Retry-After header); 0 otherwise
 */
public record Refusal(int status, String reason, String message, long retryAfterSeconds) {
    public Refusal {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }

    public static Refusal of(int status, String reason, String message) {
        return new Refusal(status, reason, message, 0);
    }
}
