package io.headroom.controller.api.auth;

import io.headroom.controller.mqtt.PasswordHash;
import java.util.Objects;

/**
 * One HTTP API user: a name, a role and the PBKDF2 hash of the password (made with
 * {@code headroom hash-password}); the password itself is never stored.
 */
public record ApiUser(String name, ApiRole role, PasswordHash passwordHash) {
    public ApiUser {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(passwordHash, "passwordHash");
        if (name.isEmpty() || name.length() > 64 || !name.chars().allMatch(ApiUser::nameChar)) {
            throw new IllegalArgumentException(
                    "name: '" + name + "' must be 1 to 64 characters of a-z, A-Z, 0-9, '.', '_', '-' or '@'");
        }
    }

    private static boolean nameChar(int c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '.'
                || c == '_'
                || c == '-'
                || c == '@';
    }
}
