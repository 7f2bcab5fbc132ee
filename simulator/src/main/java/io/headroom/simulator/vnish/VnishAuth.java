package io.headroom.simulator.vnish;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The simulated miner's ways in: the web password exchanged at {@code unlock} for a token that lapses
 * {@link SimulatedVnish#TOKEN_TIMEOUT_S} s of clock time after its last use, at most
 * {@link SimulatedVnish#MAX_TOKENS} of them (a flood of unlocks evicts the least recently used), and an optional API
 * key. Thread-safe.
 */
final class VnishAuth {

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Instant> tokens = new HashMap<>();
    private volatile String password;
    private volatile String apiKey;

    VnishAuth(Clock clock, String password) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.password = Objects.requireNonNull(password, "password");
    }

    void setPassword(String password) {
        this.password = Objects.requireNonNull(password, "password");
    }

    void setApiKey(String key) {
        this.apiKey = key;
    }

    synchronized void revoke() {
        tokens.clear();
    }

    /** A fresh token for the right password, else empty. */
    Optional<String> unlock(String pw) {
        if (!pw.equals(password)) {
            return Optional.empty();
        }
        byte[] raw = new byte[16];
        random.nextBytes(raw);
        String token = HexFormat.of().formatHex(raw);
        synchronized (this) {
            if (tokens.size() >= SimulatedVnish.MAX_TOKENS) {
                tokens.entrySet().stream()
                        .min(Map.Entry.comparingByValue())
                        .map(Map.Entry::getKey)
                        .ifPresent(tokens::remove);
            }
            tokens.put(token, clock.instant());
        }
        return Optional.of(token);
    }

    /**
     * True for the configured {@code x-api-key}, or an {@code Authorization: Bearer} token that is known and has
     * not lapsed (its use renews it).
     */
    boolean authorized(String key, String authorization) {
        if (key != null) {
            String configured = apiKey;
            return configured != null && key.strip().equals(configured);
        }
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        String token = authorization.substring("Bearer ".length()).strip();
        synchronized (this) {
            Instant lastUse = tokens.get(token);
            Instant now = clock.instant();
            if (lastUse == null) {
                return false;
            }
            if (now.isAfter(lastUse.plusSeconds(SimulatedVnish.TOKEN_TIMEOUT_S))) {
                tokens.remove(token);
                return false;
            }
            tokens.put(token, now);
            return true;
        }
    }
}
