package io.headroom.simulator.cgminer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The LuxOS write session of one miner (reference/DEVICES.md §4.5): at most one session at a time; it expires
 * after one minute without use; every accepted write refreshes it. Thread-safe.
 */
final class LuxosSessions {
    /** LuxOS docs: a session expires after 1 min idle. */
    static final Duration IDLE_EXPIRY = Duration.ofMinutes(1);

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final Clock clock;
    private final SplittableRandom random;
    private String activeId;
    private Instant lastUsed;

    LuxosSessions(Clock clock, long seed) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = new SplittableRandom(seed);
    }

    /** Opens a session, or returns empty when another one is still active. */
    synchronized Optional<String> logon() {
        if (current().isPresent()) {
            return Optional.empty();
        }
        StringBuilder id = new StringBuilder(8);
        for (int i = 0; i < 8; i++) {
            id.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        activeId = id.toString();
        lastUsed = clock.instant();
        return Optional.of(activeId);
    }

    /** The active session id, if any (does not refresh it). */
    synchronized Optional<String> current() {
        if (activeId != null && !clock.instant().isBefore(lastUsed.plus(IDLE_EXPIRY))) {
            activeId = null;
            lastUsed = null;
        }
        return Optional.ofNullable(activeId);
    }

    /** True when {@code id} is the active session; refreshes it then. */
    synchronized boolean use(String id) {
        Optional<String> active = current();
        if (active.isPresent() && active.get().equals(id)) {
            lastUsed = clock.instant();
            return true;
        }
        return false;
    }

    /** Ends the session {@code id}; false when it is not the active one. */
    synchronized boolean logoff(String id) {
        if (use(id)) {
            activeId = null;
            lastUsed = null;
            return true;
        }
        return false;
    }
}
