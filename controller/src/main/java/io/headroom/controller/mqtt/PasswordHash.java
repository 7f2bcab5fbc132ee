package io.headroom.controller.mqtt;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A salted PBKDF2-HMAC-SHA256 password hash, computed with the JDK's {@code PBKDF2WithHmacSHA256}.
 *
 * <p>Encoded as {@code pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>}. New hashes use a
 * random 16-byte salt and {@value #DEFAULT_ITERATIONS} iterations (OWASP's 2023 figure for
 * PBKDF2-HMAC-SHA256); a parsed hash is verified with the iteration count it carries. Comparison is
 * constant-time. The plain password is never kept.
 */
public final class PasswordHash {
    /** Iterations used by {@link #create(char[])}. */
    public static final int DEFAULT_ITERATIONS = 210_000;

    static final String SCHEME = "pbkdf2-sha256";
    static final int MIN_ITERATIONS = 1_000;
    static final int MAX_ITERATIONS = 10_000_000;
    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int iterations;
    private final byte[] salt;
    private final byte[] hash;

    private PasswordHash(int iterations, byte[] salt, byte[] hash) {
        this.iterations = iterations;
        this.salt = salt;
        this.hash = hash;
    }

    /** Hashes {@code password} with a fresh random salt. The caller may wipe {@code password} afterwards. */
    public static PasswordHash create(char[] password) {
        return create(password, DEFAULT_ITERATIONS);
    }

    /** As {@link #create(char[])} with another iteration count; tests use a low one to stay fast. */
    static PasswordHash create(char[] password, int iterations) {
        Objects.requireNonNull(password, "password");
        if (password.length == 0) {
            throw new IllegalArgumentException("password: must not be empty");
        }
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException(
                    "iterations: " + iterations + " is outside " + MIN_ITERATIONS + ".." + MAX_ITERATIONS);
        }
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return new PasswordHash(iterations, salt, derive(password, salt, iterations, HASH_BYTES));
    }

    /**
     * Parses the encoded form.
     *
     * @throws IllegalArgumentException saying which part is wrong
     */
    public static PasswordHash parse(String encoded) {
        if (encoded == null || encoded.isEmpty()) {
            throw new IllegalArgumentException("password hash: must not be empty");
        }
        String[] parts = encoded.split("\\$", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("password hash: expected " + SCHEME
                    + "$<iterations>$<salt base64>$<hash base64>, found " + parts.length + " '$'-separated parts");
        }
        if (!SCHEME.equals(parts[0])) {
            throw new IllegalArgumentException("password hash: unknown scheme '" + parts[0] + "', expected " + SCHEME);
        }
        int iterations;
        try {
            iterations = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("password hash: iterations '" + parts[1] + "' is not a number", e);
        }
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("password hash: iterations " + iterations + " is outside "
                    + MIN_ITERATIONS + ".." + MAX_ITERATIONS);
        }
        byte[] salt = decode(parts[2], "salt");
        byte[] hash = decode(parts[3], "hash");
        if (salt.length < 8) {
            throw new IllegalArgumentException("password hash: salt must be at least 8 bytes, is " + salt.length);
        }
        if (hash.length < 16 || hash.length > 64) {
            throw new IllegalArgumentException("password hash: hash must be 16 to 64 bytes, is " + hash.length);
        }
        return new PasswordHash(iterations, salt, hash);
    }

    /** The encoded form, as written in the credentials file. */
    public String encoded() {
        Base64.Encoder encoder = Base64.getEncoder().withoutPadding();
        return SCHEME + '$' + iterations + '$' + encoder.encodeToString(salt) + '$' + encoder.encodeToString(hash);
    }

    /** True if {@code password} hashes to this hash. Slow on purpose (about 100 ms at the default count). */
    public boolean verify(char[] password) {
        if (password == null || password.length == 0) {
            return false;
        }
        byte[] candidate = derive(password, salt, iterations, hash.length);
        try {
            return MessageDigest.isEqual(candidate, hash);
        } finally {
            Arrays.fill(candidate, (byte) 0);
        }
    }

    int iterations() {
        return iterations;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PasswordHash that
                && iterations == that.iterations
                && Arrays.equals(salt, that.salt)
                && Arrays.equals(hash, that.hash);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * iterations + Arrays.hashCode(salt)) + Arrays.hashCode(hash);
    }

    /** Does not print salt or hash: enough to tell hashes apart in a log, nothing to attack offline. */
    @Override
    public String toString() {
        return "PasswordHash[" + SCHEME + ", " + iterations + " iterations]";
    }

    private static byte[] decode(String base64, String part) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("password hash: " + part + " is not valid base64", e);
        }
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations, int bytes) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bytes * 8);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            // SunJCE has shipped PBKDF2WithHmacSHA256 since Java 8; without it no password can be checked.
            throw new IllegalStateException(ALGORITHM + " is not available in this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }
}
