package io.headroom.controller.api;

import io.headroom.controller.api.auth.ApiRole;
import io.headroom.controller.api.auth.ApiUser;
import io.headroom.controller.mqtt.PasswordHash;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * API users for tests, hashed with {@link PasswordHash}'s scheme at its lowest iteration count so
 * that each sign-in costs a millisecond, not a tenth of a second.
 */
public final class TestUsers {
    public static final String VIEWER = "vera";
    public static final String OPERATOR = "olga";
    public static final String ADMIN = "adam";

    private TestUsers() {}

    /** The password every test user has: its name, reversed, with a suffix. */
    public static String password(String name) {
        return new StringBuilder(name).reverse() + "-secret";
    }

    public static ApiUser user(String name, ApiRole role) {
        return new ApiUser(name, role, PasswordHash.parse(hash(password(name))));
    }

    /** One user of each role. */
    public static java.util.List<ApiUser> all() {
        return java.util.List.of(
                user(VIEWER, ApiRole.VIEWER), user(OPERATOR, ApiRole.OPERATOR), user(ADMIN, ApiRole.ADMIN));
    }

    /** The encoded PBKDF2 hash of {@code password} at 1,000 iterations. */
    public static String hash(String password) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        try {
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, 1000, 256);
            byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(spec)
                    .getEncoded();
            Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
            return "pbkdf2-sha256$1000$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Authorization header value for Basic as {@code name}. */
    public static String basic(String name) {
        return "Basic "
                + Base64.getEncoder().encodeToString((name + ":" + password(name)).getBytes(StandardCharsets.UTF_8));
    }
}
