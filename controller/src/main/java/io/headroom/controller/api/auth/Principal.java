package io.headroom.controller.api.auth;

import java.util.Objects;

/**
 * A signed-in user as one request sees it.
 *
 * @param name the user's name from {@code controller.yaml}
 * @param role what the user may do
 */
public record Principal(String name, ApiRole role) {
    public Principal {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
    }
}
