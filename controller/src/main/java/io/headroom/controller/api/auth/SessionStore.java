package io.headroom.controller.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Session tokens in memory: opaque random tokens that expire after a fixed time from sign-in and
 * end at sign-out. Kept by their SHA-256, so a heap dump does not hold usable tokens. A controller
 * restart signs everyone out, which is acceptable for a handful of operators (docs/decisions.md
 * D18). At most {@link #MAX_SESSIONS} live at once; signing in beyond that ends the oldest session.
 * Thread-safe.
 */
public final class SessionStore {
    public static final int MAX_SESSIONS = 10_000;
    private static final int TOKEN_BYTES = 32;

    private final Clock clock;
    private final Duration ttl;
    private final SecureRandom random = new SecureRandom();
    /** Token digest → session, in sign-in order. Guarded by {@code this}. */
    private final LinkedHashMap<String, Session> sessions = new LinkedHashMap<>();

    public SessionStore(Clock clock, Duration ttl) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl: must be positive");
        }
    }

    /** A new session for {@code principal}. */
    public Session create(Principal principal) {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Session session = new Session(token, principal, clock.instant().plus(ttl));
        synchronized (this) {
            sweep();
            if (sessions.size() >= MAX_SESSIONS) {
                Iterator<Map.Entry<String, Session>> oldest =
                        sessions.entrySet().iterator();
                oldest.next();
                oldest.remove();
            }
            sessions.put(digest(token), session);
        }
        return session;
    }

    /** The live session of {@code token}; empty when unknown, signed out or expired. */
    public synchronized Optional<Session> find(String token) {
        String key = digest(token);
        Session session = sessions.get(key);
        if (session == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(session.expiresAt())) {
            sessions.remove(key);
            return Optional.empty();
        }
        return Optional.of(session);
    }

    /** Ends the session of {@code token}; true if there was one. */
    public synchronized boolean delete(String token) {
        return sessions.remove(digest(token)) != null;
    }

    public Duration ttl() {
        return ttl;
    }

    /** Live sessions, for the gauge. */
    public synchronized int size() {
        sweep();
        return sessions.size();
    }

    private void sweep() {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> !now.isBefore(s.expiresAt()));
    }

    private static String digest(String token) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
