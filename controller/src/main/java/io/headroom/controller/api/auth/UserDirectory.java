package io.headroom.controller.api.auth;

import io.headroom.controller.mqtt.PasswordHash;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The configured API users, checked by password. An unknown name costs the same PBKDF2 work as a
 * known one, so response time does not tell which names exist. Immutable and thread-safe.
 */
public final class UserDirectory {
    /** Verified against for unknown names; its password is random and thrown away. */
    private static final PasswordHash DECOY =
            PasswordHash.create(java.util.UUID.randomUUID().toString().toCharArray());

    private final Map<String, ApiUser> users;

    /** @throws IllegalArgumentException if a name occurs twice */
    public UserDirectory(List<ApiUser> users) {
        Map<String, ApiUser> byName = new LinkedHashMap<>();
        for (ApiUser user : users) {
            if (byName.putIfAbsent(user.name(), user) != null) {
                throw new IllegalArgumentException("users: '" + user.name() + "' is listed twice");
            }
        }
        this.users = Map.copyOf(byName);
    }

    /** The user with this name and password, or empty. Slow on purpose (one PBKDF2 run). */
    public Optional<Principal> authenticate(String name, char[] password) {
        ApiUser user = users.get(name);
        if (user == null) {
            DECOY.verify(password);
            return Optional.empty();
        }
        return user.passwordHash().verify(password)
                ? Optional.of(new Principal(user.name(), user.role()))
                : Optional.empty();
    }

    /** The user named {@code name}, if configured: for a session whose user may have been removed. */
    public Optional<ApiUser> user(String name) {
        return Optional.ofNullable(users.get(name));
    }

    public Collection<ApiUser> all() {
        return users.values();
    }

    public boolean isEmpty() {
        return users.isEmpty();
    }
}
